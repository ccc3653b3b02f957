import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compareKeys } from './fractional-key.ts';
import { parseFountain } from './fountain-parse.ts';
import { normalizeHeading, planSceneEighths, planScenesFromScript, scenesFromScript } from './scenes-from-script.ts';

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
      fc.property(
        fc.array(headingArb, { maxLength: 12 }),
        fc.array(headingArb, { maxLength: 6 }),
        (headings, existing) => {
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
        },
      ),
    );
  });

  test("[PG7] scenes come from the script's pages: number from #n# or position, length in eighths; a rebuild updates changed lengths only", () => {
    const script = parseFountain(
      [
        'Title: The Test',
        '',
        'INT. KITCHEN - DAY #4#',
        '',
        ...Array.from({ length: 20 }, () => 'Maya cooks.\n'),
        'EXT. PIER - NIGHT',
        '',
        'Gulls.',
        '',
      ].join('\n'),
    );
    const scenes = scenesFromScript(script);
    expect(scenes).toEqual([
      { heading: 'INT. KITCHEN - DAY', number: '4', pageEighths: 6, numbered: true },
      { heading: 'EXT. PIER - NIGHT', number: '2', pageEighths: 1, numbered: false },
    ]);
    // [N2] A script that writes scene numbers is a locked draft: its scenes arrive locked.
    const first = planScenesFromScript(scenes, [], null);
    expect(first.create.map((s) => [s.number, s.numberLocked, s.heading, s.pageEighths])).toEqual([
      ['4', true, 'INT. KITCHEN - DAY', 6],
      ['2', true, 'EXT. PIER - NIGHT', 1],
    ]);
    const unnumbered = scenesFromScript(parseFountain('INT. KITCHEN - DAY\n\nMaya cooks.\n'));
    expect(planScenesFromScript(unnumbered, [], null).create.map((s) => [s.number, s.numberLocked])).toEqual([
      ['1', false],
    ]);
    // The kitchen scene grows; the board (in shooting order) has both scenes already.
    const longer = scenesFromScript([
      ...script.slice(0, 2),
      ...Array.from({ length: 20 }, () => ({ type: 'action' as const, text: 'More.' })),
      ...script.slice(2),
    ]);
    const board = [
      { id: 'pier', heading: 'EXT. PIER - NIGHT', pageEighths: 1 },
      { id: 'kitchen', heading: 'int. kitchen - day', pageEighths: 6 },
    ];
    const rebuild = planScenesFromScript(longer, board, 'z');
    expect(rebuild.create).toEqual([]);
    expect(rebuild.matched).toEqual(['kitchen', 'pier']);
    expect(rebuild.updateEighths).toEqual([{ id: 'kitchen', pageEighths: longer[0]!.pageEighths }]);
    expect(longer[0]!.pageEighths).toBeGreaterThan(6);
    // A heading with its scene number matches the board scene without it.
    expect(normalizeHeading('INT. KITCHEN - DAY #4#')).toBe(normalizeHeading('int.  kitchen - day'));
  });

  test('[PG7] kept live: the linked scenes whose stored eighths differ from the script, nothing once stored', () => {
    const script = scenesFromScript(
      parseFountain(
        [
          'INT. KITCHEN - DAY',
          '',
          ...Array.from({ length: 30 }, () => 'Maya cooks.\n'),
          'EXT. PIER - NIGHT',
          '',
          'Gulls.',
          '',
        ].join('\n'),
      ),
    );
    const kitchen = script[0]!.pageEighths!;
    const board = [
      { id: 'kitchen', heading: 'INT. KITCHEN - DAY', sortKey: 'a1', pageEighths: 1 },
      { id: 'pier', heading: 'EXT. PIER - NIGHT', sortKey: 'a0', pageEighths: 1 },
      { id: 'extra', heading: 'Second unit plates', sortKey: 'a2', pageEighths: 3 },
      { id: 'typed', heading: 'INT. ATTIC - NIGHT', sortKey: 'a3', pageEighths: null },
    ];
    const updates = planSceneEighths(script, board);
    // Only the kitchen changed; the pier is right already; unlinked scenes are left as typed.
    expect(updates).toEqual([{ id: 'kitchen', pageEighths: kitchen }]);
    const written = board.map((scene) => (scene.id === 'kitchen' ? { ...scene, pageEighths: kitchen } : scene));
    expect(planSceneEighths(script, written)).toEqual([]);
  });

  test('[PG7] a repeated heading links its scenes in board order whatever order the records come in, so every device writes the same values', () => {
    const script = scenesFromScript(
      parseFountain(
        [
          'INT. CAR - NIGHT',
          '',
          'Short.',
          '',
          'EXT. ROAD - NIGHT',
          '',
          'Rain.',
          '',
          'INT. CAR - NIGHT',
          '',
          ...Array.from({ length: 40 }, () => 'A long drive.\n'),
        ].join('\n'),
      ),
    );
    expect(script.map((scene) => scene.pageEighths)).toEqual([1, 1, expect.any(Number)]);
    const board = [
      { id: 'zz', heading: 'INT. CAR - NIGHT', sortKey: 'a0', pageEighths: 0 },
      { id: 'aa', heading: 'INT. CAR - NIGHT', sortKey: 'a5', pageEighths: 0 },
      { id: 'road', heading: 'EXT. ROAD - NIGHT', sortKey: 'a2', pageEighths: 0 },
    ];
    const expected = [
      { id: 'zz', pageEighths: 1 },
      { id: 'road', pageEighths: 1 },
      { id: 'aa', pageEighths: script[2]!.pageEighths },
    ];
    fc.assert(
      fc.property(fc.shuffledSubarray(board, { minLength: 3, maxLength: 3 }), (shuffled) => {
        expect(planSceneEighths(script, shuffled)).toEqual(expected);
      }),
    );
    // Equal keys (two devices adding at one spot) break by id.
    const tied = board.map((scene) => ({ ...scene, sortKey: 'a0' }));
    expect(planSceneEighths(script, tied)[0]).toEqual({ id: 'aa', pageEighths: 1 });
  });
});
