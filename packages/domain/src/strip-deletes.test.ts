import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { board, rowsOf } from './random-boards.test-support.ts';
import { findOrphans, flattenStripboard } from './shooting-days.ts';
import { planDelete } from './strip-deletes.ts';

describe('deleting from the stripboard', () => {
  const scenes = [
    { id: 'sc1', sortKey: 'a0' },
    { id: 'sc2', sortKey: 'a2' },
  ];
  const shots = [
    { id: 'sh1', sceneId: 'sc1', sortKey: 'a0' },
    { id: 'sh2', sceneId: 'sc1', sortKey: 'a2' },
    { id: 'sh3', sceneId: 'sc2', sortKey: 'a0' },
  ];
  const banners = [
    { id: 'day1', sceneId: null, sortKey: 'Zz' },
    { id: 'day2', sceneId: 'sc1', sortKey: 'a1' },
    { id: 'day3', sceneId: null, sortKey: 'a1' },
  ];
  const rows = flattenStripboard(scenes, shots, banners);

  test('[S6] deleting a scene takes its shots and the day break inside it, and nothing of the next scene', () => {
    expect(planDelete(rows, 'sc1')).toEqual([
      { table: 'scenes', id: 'sc1' },
      { table: 'shots', id: 'sh1' },
      { table: 'day_banners', id: 'day2' },
      { table: 'shots', id: 'sh2' },
    ]);
  });

  test('[S6] deleting a shot or a day break deletes only that record', () => {
    expect(planDelete(rows, 'sh3')).toEqual([{ table: 'shots', id: 'sh3' }]);
    expect(planDelete(rows, 'day2')).toEqual([{ table: 'day_banners', id: 'day2' }]);
    expect(planDelete(rows, 'day3')).toEqual([{ table: 'day_banners', id: 'day3' }]);
  });

  test('[S6] a row already gone (deleted on another device) plans no write', () => {
    expect(planDelete(rows, 'gone')).toEqual([]);
  });

  test('[S6][S7] on any board, a delete leaves no orphan behind and removes nothing else', () => {
    fc.assert(
      fc.property(board, fc.nat(), (b, pick) => {
        const before = rowsOf(b);
        if (before.length === 0) return;
        const target = before[pick % before.length]!;
        const plan = planDelete(before, target.id);
        const doomed = new Set(plan.map((ref) => ref.id));
        expect(doomed.size).toBe(plan.length);
        expect(plan[0]).toEqual({
          table: target.kind === 'scene' ? 'scenes' : target.kind === 'shot' ? 'shots' : 'day_banners',
          id: target.id,
        });
        const after = {
          scenes: b.scenes.filter((s) => !doomed.has(s.id)),
          shots: b.shots.filter((s) => !doomed.has(s.id)),
          banners: b.banners.filter((x) => !doomed.has(x.id)),
        };
        // The random boards have no orphans to begin with, so any orphan now was made by the delete.
        const orphans = findOrphans(after.scenes, after.shots, after.banners);
        expect(orphans.shots.length + orphans.banners.length).toBe(0);
        // Exactly the target (and, for a scene, its own rows) left the board, in board order.
        expect(rowsOf(after).map((row) => row.id)).toEqual(
          before
            .filter((row) => row.id !== target.id && (target.kind !== 'scene' || row.sceneId !== target.id))
            .map((row) => row.id),
        );
      }),
    );
  });
});
