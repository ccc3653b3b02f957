import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { dualDialogueSides } from './dual-dialogue.ts';
import { parseFountain } from './fountain-parse.ts';
import type { ScriptBlock } from './screenplay-elements.ts';
import { paginateScript } from './script-pages.ts';

const b = (type: ScriptBlock['type'], text: string): ScriptBlock => ({ type, text });

describe('dual dialogue in the editor (PG8)', () => {
  test('[PG8] the speech before a `^` cue is the left column, the `^` speech the right one', () => {
    const blocks = parseFountain(
      'INT. KITCHEN - DAY\n\nJONAH\nYou could come and live with us.\n\nMAYA ^\n(flat)\nI have a room.\n\nJonah sighs.\n',
    );
    expect(blocks.map((block) => block.type)).toEqual([
      'scene-heading',
      'character',
      'dialogue',
      'character',
      'parenthetical',
      'dialogue',
      'action',
    ]);
    expect(dualDialogueSides(blocks)).toEqual([null, 'left', 'left', 'right', 'right', 'right', null]);
  });

  test('[PG8] a `^` cue with no speech right before it, or after a pair, stands alone; an empty cue or a note keeps speeches apart', () => {
    expect(dualDialogueSides([b('action', 'A door.'), b('character', 'MAYA ^'), b('dialogue', 'Hm.')])).toEqual([
      null,
      null,
      null,
    ]);
    const three = [
      b('character', 'A'),
      b('dialogue', 'One.'),
      b('character', 'B ^'),
      b('dialogue', 'Two.'),
      b('character', 'C ^'),
      b('dialogue', 'Three.'),
    ];
    expect(dualDialogueSides(three)).toEqual(['left', 'left', 'right', 'right', null, null]);
    const apart = [
      b('character', 'A'),
      b('dialogue', 'One.'),
      b('note', 'x'),
      b('character', 'B ^'),
      b('dialogue', 'Two.'),
    ];
    expect(dualDialogueSides(apart)).toEqual([null, null, null, null, null]);
    const emptyCue = [b('character', ''), b('dialogue', 'One.'), b('character', 'B ^'), b('dialogue', 'Two.')];
    expect(dualDialogueSides(emptyCue)).toEqual([null, null, null, null]);
    // A speech's empty lines stay in its column.
    const withBlank = [b('character', 'A'), b('dialogue', ''), b('character', 'B ^'), b('dialogue', 'Two.')];
    expect(dualDialogueSides(withBlank)).toEqual(['left', 'left', 'right', 'right']);
  });

  test('[PG8] the editor pairs exactly the cues the printed pages put in two columns', () => {
    const sample = parseFountain(
      readFileSync(new URL('../test-data/the-last-lighthouse.fountain', import.meta.url), 'utf8'),
    );
    const blockArb = fc.oneof(
      fc.constantFrom(
        b('character', 'MAYA'),
        b('character', 'JONAH ^'),
        b('character', 'TOM (V.O.) ^'),
        b('character', ''),
        b('dialogue', 'Yes.'),
        b('dialogue', ''),
        b('parenthetical', '(quietly)'),
        b('action', 'Rain.'),
        b('note', 'check'),
        b('page-break', ''),
      ),
    );
    const dualCuesPrinted = (blocks: readonly ScriptBlock[]) =>
      paginateScript(blocks)
        .pages.flatMap((page) => page.fragments)
        .filter((fragment) => fragment.kind === 'character' && (fragment.x === 2.4 || fragment.x === 5.4)).length;
    const dualCuesShown = (blocks: readonly ScriptBlock[]) =>
      dualDialogueSides(blocks).filter((side, i) => side !== null && blocks[i]?.type === 'character').length;
    expect(dualCuesShown(sample)).toBe(2);
    expect(dualCuesShown(sample)).toBe(dualCuesPrinted(sample));
    fc.assert(
      fc.property(fc.array(blockArb, { maxLength: 30 }), (blocks) => {
        expect(dualCuesShown(blocks)).toBe(dualCuesPrinted(blocks));
      }),
    );
  });
});
