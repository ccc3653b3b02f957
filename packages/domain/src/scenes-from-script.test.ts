import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compareKeys } from './fractional-key.ts';
import { normalizeHeading, planScenesFromScript } from './scenes-from-script.ts';

const headingArb = fc.constantFrom(
  'INT. KITCHEN - DAY',
  'int.  kitchen - day',
  'EXT. HARBOUR - NIGHT',
  'INT. LIGHTHOUSE - NIGHT',
  'EXT. CLIFF ROAD - DAWN',
  'I/E. CAR - CONTINUOUS',
);

function applyPlan(scenes: { id: string; heading: string }[], plan: ReturnType<typeof planScenesFromScript>) {
  return [...scenes, ...plan.create.map((scene, i) => ({ id: `new${scenes.length + i}`, heading: scene.heading }))];
}

describe('building the shot list from the script', () => {
  test('an empty board gets one scene per heading, numbered and keyed in script order', () => {
    const plan = planScenesFromScript(['EXT. HARBOUR - NIGHT', 'INT. LIGHTHOUSE - NIGHT'], [], 'a3');
    expect(plan.create.map((s) => [s.number, s.heading, s.location, s.timeOfDay])).toEqual([
      ['1', 'EXT. HARBOUR - NIGHT', 'HARBOUR', 'NIGHT'],
      ['2', 'INT. LIGHTHOUSE - NIGHT', 'LIGHTHOUSE', 'NIGHT'],
    ]);
    const keys = plan.create.map((s) => s.sortKey);
    expect('a3' < keys[0]!).toBe(true);
    expect([...keys].sort(compareKeys)).toEqual(keys);
  });

  test('scenes the crew already has (or added by hand) are kept, matched by heading whatever the board order', () => {
    const board = [
      { id: 'x', heading: 'INT. LIGHTHOUSE - NIGHT' },
      { id: 'y', heading: 'Second unit plates' },
    ];
    const plan = planScenesFromScript(['EXT. HARBOUR - NIGHT', 'int. lighthouse  - night'], board, 'a1');
    expect(plan.matched).toEqual([null, 'x']);
    expect(plan.create.map((s) => s.heading)).toEqual(['EXT. HARBOUR - NIGHT']);
    expect(plan.notInScript).toEqual(['y']);
  });

  test('running it twice creates nothing the second time, and every heading has exactly one scene', () => {
    fc.assert(
      fc.property(fc.array(headingArb, { maxLength: 12 }), fc.array(headingArb, { maxLength: 6 }), (headings, existing) => {
        const board = existing.map((heading, i) => ({ id: `s${i}`, heading }));
        const first = planScenesFromScript(headings, board, null);
        const after = applyPlan(board, first);
        const second = planScenesFromScript(headings, after, 'z');
        expect(second.create).toEqual([]);
        expect(second.matched.every((id) => id !== null)).toBe(true);
        expect(new Set(second.matched).size).toBe(headings.length);
        // Never deletes: every board scene is still there.
        expect(after.slice(0, board.length)).toEqual(board);
        for (const [i, id] of second.matched.entries()) {
          expect(normalizeHeading(after.find((s) => s.id === id)!.heading)).toBe(normalizeHeading(headings[i]!));
        }
      }),
    );
  });
});
