// Page-sized groups of script blocks (the stored shape of new and imported scripts).
//
// A 120-page script is ~5,000 blocks. Held flat in one contenteditable, Chromium's
// per-keystroke work (layout, paint, hit testing, selection sync, the content-visibility
// observer) walks all 5,000 siblings; held as ~100 groups of ~50 blocks that skip
// rendering off screen, it walks ~100. The Yjs doc's root then holds groups, each holding
// blocks (docs/protocol.md, "The script document"). Older scripts stay flat: moving a
// block into a group is a Yjs delete and insert, which would lose what a co-writer or an
// offline device types into it meanwhile, so nothing existing is ever regrouped. Readers
// accept both shapes, and a mix of them.
import { parseCharacterCue } from './screenplay-grammar.ts';

/** What grouping reads of a block: its kind (a Lexical node type) and its text. */
export interface GroupedBlock {
  readonly type: string;
  readonly text: string;
}

/** The node type (`__type`) of a group in a script doc. Part of the stored document: never changes. */
export const scriptGroupType = 'script-group';

/** How many blocks a group holds before the next one starts (about two pages). */
export const scriptGroupSize = 50;

const speechParts = new Set(['character', 'parenthetical', 'dialogue']);

/**
 * Whether a new group may start before `next` (the block after `previous`): not inside a
 * speech, and not between the two speeches of a dual dialogue (its `^` cue), so the two
 * speeches stay in one group and side by side.
 */
export function mayStartGroupBefore(previous: GroupedBlock | undefined, next: GroupedBlock): boolean {
  if (previous === undefined) return true;
  if (next.type === 'dialogue' || next.type === 'parenthetical') return false;
  if (next.type === 'character' && parseCharacterCue(next.text)?.dual === true) return false;
  return true;
}

/**
 * Splits a script's blocks into groups of about `size`: a group closes at the first
 * block from `size` on where `mayStartGroupBefore` allows it, and at `2 × size` blocks
 * whatever comes. Every group holds at least one block; the blocks keep their order.
 */
export function groupScriptBlocks<T extends GroupedBlock>(blocks: readonly T[], size = scriptGroupSize): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  blocks.forEach((block, index) => {
    if (current.length >= size && (current.length >= 2 * size || mayStartGroupBefore(blocks[index - 1], block))) {
      groups.push(current);
      current = [];
    }
    current.push(block);
  });
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * Enter at the end of a group's last block: whether the new block starts a new group
 * (placed right after this one) instead of growing this one. Only a group of `size`
 * blocks or more, and not after a speech's block (cue, parenthetical, dialogue: the
 * conversation may go on, and a dual dialogue's two speeches must share a group) unless
 * the group has reached `2 × size`. Growth in the middle of a group is not bounded.
 */
export function enterStartsNewGroup(groupSize: number, lastType: string, size = scriptGroupSize): boolean {
  if (groupSize < size) return false;
  if (groupSize >= 2 * size) return true;
  return !speechParts.has(lastType);
}
