/**
 * Dual dialogue (`^`, PG8) as the editor lays it out: which blocks sit in the left and
 * right columns. The same rule as the printed pages (`script-pages.ts`): a speech whose
 * cue ends in `^` goes beside the speech just before it (nothing between them), which
 * moves to the left column — unless that speech already sits on the right of another.
 * A speech is a non-empty cue and the parentheticals and dialogue under it (empty ones too).
 */
import type { ScriptBlock } from './screenplay-elements.ts';
import { parseCharacterCue } from './screenplay-grammar.ts';

export type DualSide = 'left' | 'right';

const isSpeechPart = (block: ScriptBlock | undefined) => block?.type === 'parenthetical' || block?.type === 'dialogue';

/** Each block's column (null: not dual dialogue). Only a character block's text is read. */
export function dualDialogueSides(blocks: readonly ScriptBlock[]): (DualSide | null)[] {
  const sides: (DualSide | null)[] = blocks.map(() => null);
  // The speech just before, as [start, end) with whether it sits on the right already.
  let previous: { start: number; end: number; right: boolean } | null = null;
  let i = 0;
  while (i < blocks.length) {
    const block = blocks[i] as ScriptBlock;
    if (block.type !== 'character' || block.text.trim() === '') {
      // Anything between two speeches (even an empty cue, a note) keeps them apart.
      previous = null;
      i++;
      continue;
    }
    let end = i + 1;
    while (end < blocks.length && isSpeechPart(blocks[end])) end++;
    const dual = parseCharacterCue(block.text)?.dual === true;
    if (dual && previous !== null && previous.end === i && !previous.right) {
      for (let j = previous.start; j < previous.end; j++) sides[j] = 'left';
      for (let j = i; j < end; j++) sides[j] = 'right';
      previous = { start: i, end, right: true };
    } else {
      previous = { start: i, end, right: false };
    }
    i = end;
  }
  return sides;
}
