import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  type NumberedScene,
  compareSceneNumbers,
  deriveSceneNumbers,
  planSceneNumberLock,
  sceneNumberProblem,
} from './scene-numbers.ts';
import { flattenStripboard } from './shooting-days.ts';
import { planNewScene } from './strip-inserts.ts';

const unlocked = (id: string): NumberedScene => ({ id, number: '', numberLocked: false });
const locked = (id: string, number: string): NumberedScene => ({ id, number, numberLocked: true });
const shown = (scenes: NumberedScene[]) => [...deriveSceneNumbers(scenes).values()];

/** Scenes 1..n, locked. */
const lockedRun = (n: number) => Array.from({ length: n }, (_, i) => locked(`s${i + 1}`, String(i + 1)));

describe('scene numbers', () => {
  test('[N1] until numbers are locked, scenes are numbered by their place on the board', () => {
    expect(shown([unlocked('x'), unlocked('y'), unlocked('z')])).toEqual(['1', '2', '3']);
  });

  test('[N3] a scene added between 10 and 11 after locking is 10A, the next one 10B', () => {
    const board = lockedRun(12);
    board.splice(10, 0, unlocked('new'));
    expect(shown(board).slice(9, 12)).toEqual(['10', '10A', '11']);
    board.splice(11, 0, unlocked('newer'));
    expect(shown(board).slice(9, 13)).toEqual(['10', '10A', '10B', '11']);
  });

  test('[N3] after a locked 10A the next scene is 10B; between 10A and 10B it is 10AA', () => {
    const board = [locked('a', '10'), locked('b', '10A'), unlocked('new'), locked('c', '11')];
    expect(shown(board)).toEqual(['10', '10A', '10B', '11']);
    const between = [locked('a', '10A'), unlocked('new'), locked('b', '10B')];
    expect(shown(between)).toEqual(['10A', '10AA', '10B']);
  });

  test('[N3] scenes added before scene 1 are A1, then B1; at the end of the board they follow the last', () => {
    expect(shown([unlocked('x'), unlocked('y'), ...lockedRun(2)])).toEqual(['A1', 'B1', '1', '2']);
    expect(shown([...lockedRun(2), unlocked('x'), unlocked('y')])).toEqual(['1', '2', '2A', '2B']);
  });

  test('[N3] letters skip I and O, which read as 1 and 0', () => {
    const board = [locked('a', '10'), ...Array.from({ length: 9 }, (_, i) => unlocked(`u${i}`)), locked('b', '11')];
    expect(shown(board).slice(8, 10)).toEqual(['10H', '10J']);
  });

  test('[N3] a number a locked scene elsewhere on the board has is never shown twice', () => {
    // The board is in shooting order: 10A (locked) was scheduled on another day.
    const board = [locked('a', '10'), unlocked('new'), locked('b', '11'), locked('c', '10A')];
    expect(shown(board)).toEqual(['10', '10B', '11', '10A']);
  });

  test('[N2] two scenes locked offline with the same number: the first on the board keeps it', () => {
    const board = [locked('a', '10'), locked('x', '10A'), locked('y', '10a'), locked('b', '11')];
    expect(shown(board)).toEqual(['10', '10A', '10B', '11']);
  });

  test('[N2] a locked scene keeps its number wherever it is dragged', () => {
    expect(shown([locked('c', '3'), locked('a', '1'), locked('b', '2')])).toEqual(['3', '1', '2']);
  });

  test('[N3] two devices add a scene after 10 offline: each sees 10A, and after syncing one is 10A, the other 10B', () => {
    const lockedBoard = lockedRun(10).map((scene, i) => ({ ...scene, sortKey: `a${i}` }));
    const rows = flattenStripboard(lockedBoard, [], []);
    // Both devices plan their new scene from the same board: equal keys.
    const mine = { id: 'mine-f3', ...planNewScene(rows), number: '', numberLocked: false };
    const theirs = { id: 'theirs-2b', ...planNewScene(rows), number: '', numberLocked: false };
    const numbersOn = (scenes: typeof lockedBoard) =>
      deriveSceneNumbers(flattenStripboard(scenes, [], []).flatMap((row) => (row.kind === 'scene' ? [row.scene] : [])));
    expect(numbersOn([...lockedBoard, mine]).get(mine.id)).toBe('10A');
    expect(numbersOn([...lockedBoard, theirs]).get(theirs.id)).toBe('10A');
    // Merged (in either arrival order): ties on the key break by id.
    for (const merged of [
      [...lockedBoard, mine, theirs],
      [theirs, ...lockedBoard, mine],
    ]) {
      const numbers = numbersOn(merged);
      expect([numbers.get(mine.id), numbers.get(theirs.id)]).toEqual(['10A', '10B']);
    }
  });

  test('[N1][N2][N3] whatever is locked, with whatever numbers, every scene shows a number no other scene shows', () => {
    const scene = fc.record({
      number: fc.constantFrom('', '1', '2', '3', '10', '10A', '10B', '10a', 'A1', '2A', 'X'),
      numberLocked: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(scene, { maxLength: 30 }), (scenes) => {
        const board = scenes.map((s, i) => ({ ...s, id: `s${i}` }));
        const numbers = deriveSceneNumbers(board);
        const values = board.map((s) => numbers.get(s.id));
        expect(values.every((v) => typeof v === 'string' && v !== '')).toBe(true);
        expect(new Set(values).size).toBe(board.length);
        // The first locked scene with a given number keeps it.
        const seen = new Set<string>();
        for (const s of board) {
          const n = s.number.toUpperCase();
          if (!s.numberLocked || n === '' || seen.has(n)) continue;
          seen.add(n);
          expect(numbers.get(s.id)).toBe(n);
        }
      }),
    );
  });

  test('[N3] many scenes added after the last locked scene keep production order and stay short', () => {
    const board = [locked('a', '1'), ...Array.from({ length: 600 }, (_, i) => unlocked(`u${i}`))];
    const numbers = shown(board);
    expect(numbers.slice(23, 28)).toEqual(['1Y', '1Z', '1ZA', '1ZB', '1ZC']);
    for (let i = 1; i < numbers.length; i++) expect(compareSceneNumbers(numbers[i - 1]!, numbers[i]!)).toBe(-1);
    expect(Math.max(...numbers.map((n) => n.length))).toBeLessThanOrEqual(30);
  });

  test('[N3] numbers added between locked neighbours sort between them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 40 }), (at, count) => {
        const board = lockedRun(40);
        const added = Array.from({ length: count }, (_, i) => unlocked(`new${i}`));
        board.splice(at, 0, ...added);
        const numbers = shown(board);
        for (let i = 1; i < numbers.length; i++) {
          expect(compareSceneNumbers(numbers[i - 1]!, numbers[i]!)).toBe(-1);
        }
      }),
    );
  });

  test('[N2] locking writes the shown number of every scene not already showing its locked one, nothing else', () => {
    expect(planSceneNumberLock([unlocked('x'), unlocked('y')])).toEqual([
      { id: 'x', number: '1' },
      { id: 'y', number: '2' },
    ]);
    const board = [locked('a', '10'), unlocked('new'), locked('x', '11'), locked('y', '11'), locked('b', '12')];
    expect(planSceneNumberLock(board)).toEqual([
      { id: 'new', number: '10A' },
      { id: 'y', number: '11A' },
    ]);
    // Once written, the board shows the same numbers and there is nothing left to lock.
    const written = board.map((s) => {
      const lock = planSceneNumberLock(board).find((l) => l.id === s.id);
      return lock ? locked(s.id, lock.number) : s;
    });
    expect(shown(written)).toEqual(shown(board));
    expect(planSceneNumberLock(written)).toEqual([]);
  });

  test('[N2] a number typed by hand must be a scene number no other scene shows', () => {
    const numbers = deriveSceneNumbers([locked('a', '10'), locked('b', '11')]);
    expect(sceneNumberProblem(' 10a ', 'a', numbers)).toBeNull();
    expect(sceneNumberProblem('11', 'a', numbers)).toBe('Scene 11 already exists');
    expect(sceneNumberProblem('', 'a', numbers)).toMatch(/needs a number/);
    expect(sceneNumberProblem('ten!', 'a', numbers)).toMatch(/letters and digits/);
  });

  test('production order: A1 < B1 < 1 < 1A < 1AA < 1B < 2', () => {
    const order = ['A1', 'B1', '1', '1A', '1AA', '1B', '2'];
    for (let i = 1; i < order.length; i++) expect(compareSceneNumbers(order[i - 1]!, order[i]!)).toBe(-1);
    expect(compareSceneNumbers('X', '1')).toBeNull();
  });
});
