import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { dualDialogueSides } from './dual-dialogue.ts';
import { parseFountain } from './fountain-parse.ts';
import { enterStartsNewGroup, groupScriptBlocks, mayStartGroupBefore, scriptGroupSize } from './script-groups.ts';
import type { ScriptBlock } from './screenplay-elements.ts';

const b = (type: ScriptBlock['type'], text: string): ScriptBlock => ({ type, text });

const anyBlock = fc.record({
  type: fc.constantFrom<ScriptBlock['type']>(
    'scene-heading',
    'action',
    'character',
    'parenthetical',
    'dialogue',
    'transition',
  ),
  text: fc.constantFrom('', 'MAYA', 'MAYA ^', 'JONAH ^', 'Hm.', '(flat)', 'INT. KITCHEN - DAY'),
});

describe('grouping a script into page-sized groups', () => {
  test('every block once, in order; no group empty; sizes within [1, 2 × size]', () => {
    fc.assert(
      fc.property(fc.array(anyBlock, { maxLength: 400 }), fc.integer({ min: 1, max: 60 }), (blocks, size) => {
        const groups = groupScriptBlocks(blocks, size);
        expect(groups.flat()).toEqual(blocks);
        for (const group of groups) {
          expect(group.length).toBeGreaterThan(0);
          expect(group.length).toBeLessThanOrEqual(2 * size);
        }
        // Every group but the last holds at least `size` blocks.
        for (const group of groups.slice(0, -1)) expect(group.length).toBeGreaterThanOrEqual(size);
      }),
    );
  });

  test('a group never starts inside a speech or between the two speeches of a dual dialogue', () => {
    expect(mayStartGroupBefore(b('character', 'MAYA'), b('dialogue', 'Hm.'))).toBe(false);
    expect(mayStartGroupBefore(b('character', 'MAYA'), b('parenthetical', '(flat)'))).toBe(false);
    expect(mayStartGroupBefore(b('dialogue', 'Hm.'), b('character', 'JONAH ^'))).toBe(false);
    expect(mayStartGroupBefore(b('dialogue', 'Hm.'), b('character', 'JONAH'))).toBe(true);
    expect(mayStartGroupBefore(b('action', 'A door.'), b('scene-heading', 'INT. HALL - DAY'))).toBe(true);
    // A test screenplay (with dual dialogue) many times over, grouped small: every group
    // lays out its dual dialogue as the whole script does.
    const text = readFileSync(new URL('../test-data/the-last-lighthouse.fountain', import.meta.url), 'utf8');
    const blocks = parseFountain(Array.from({ length: 20 }, () => text).join('\n\n'));
    const groups = groupScriptBlocks(blocks, 7);
    expect(dualDialogueSides(blocks).filter((side) => side !== null).length).toBeGreaterThan(0);
    expect(groups.length).toBeGreaterThan(blocks.length / 14);
    for (const group of groups) {
      const sides = dualDialogueSides(group);
      const whole = dualDialogueSides(blocks);
      const start = groups.slice(0, groups.indexOf(group)).reduce((sum, g) => sum + g.length, 0);
      expect(sides).toEqual(whole.slice(start, start + group.length));
    }
  });

  test('Enter at the end of a full group starts a new one, except inside a conversation', () => {
    expect(enterStartsNewGroup(scriptGroupSize - 1, 'action')).toBe(false);
    expect(enterStartsNewGroup(scriptGroupSize, 'action')).toBe(true);
    expect(enterStartsNewGroup(scriptGroupSize, 'scene-heading')).toBe(true);
    expect(enterStartsNewGroup(scriptGroupSize, 'dialogue')).toBe(false);
    expect(enterStartsNewGroup(scriptGroupSize, 'character')).toBe(false);
    expect(enterStartsNewGroup(2 * scriptGroupSize, 'dialogue')).toBe(true);
  });
});
