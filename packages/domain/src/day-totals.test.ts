import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { deriveDayTotals, shareEighths } from './day-totals.ts';
import { board, rowsOf } from './random-boards.test-support.ts';
import { deriveShootingDays, flattenStripboard } from './shooting-days.ts';

describe('day totals', () => {
  test('[S9] each day counts its scenes, shots and pages; work above the first day break is Day 1', () => {
    const scenes = [
      { id: 's1', sortKey: 'a0' },
      { id: 's2', sortKey: 'a1' },
      { id: 's3', sortKey: 'a3' },
    ];
    const shots = [
      { id: '1A', sceneId: 's1', sortKey: 'a0' },
      { id: '3A', sceneId: 's3', sortKey: 'a0' },
    ];
    const banners = [{ id: 'day2', sceneId: null, sortKey: 'a2' }];
    const eighths: Record<string, number | null> = { s1: 11, s2: 3, s3: null };
    const rows = flattenStripboard(scenes, shots, banners);
    const days = deriveShootingDays(rows);
    expect(days.days.map((d) => [d.bannerId, d.number])).toEqual([
      [null, 1],
      ['day2', 2],
    ]);
    expect(deriveDayTotals(rows, days, (id) => eighths[id] ?? null)).toEqual([
      { day: 1, scenes: 2, shots: 1, eighths: 14 },
      { day: 2, scenes: 1, shots: 1, eighths: 0 },
    ]);
  });

  test('[S9] a scene split across two days counts on both, its pages shared by its shots', () => {
    const scenes = [{ id: 's1', sortKey: 'a0' }];
    const shots = ['a0', 'a1', 'a2'].map((sortKey, i) => ({ id: `1${'ABC'[i]}`, sceneId: 's1', sortKey }));
    const banners = [
      { id: 'day1', sceneId: null, sortKey: 'Zz' },
      { id: 'day2', sceneId: 's1', sortKey: 'a0V' },
    ];
    const rows = flattenStripboard(scenes, shots, banners);
    const totals = deriveDayTotals(rows, deriveShootingDays(rows), () => 12);
    expect(totals).toEqual([
      { day: 1, scenes: 1, shots: 1, eighths: 4 },
      { day: 2, scenes: 1, shots: 2, eighths: 8 },
    ]);
  });

  test('[S9] the days add up to the board: every shot and every eighth is on exactly one day', () => {
    fc.assert(
      fc.property(board, fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 6, maxLength: 6 }), (b, lengths) => {
        const rows = rowsOf(b);
        const eighthsOf = (id: string) => lengths[b.scenes.findIndex((s) => s.id === id)] ?? null;
        const totals = deriveDayTotals(rows, deriveShootingDays(rows), eighthsOf);
        const onBoard = rows.filter((r) => r.kind === 'scene').map((r) => r.id);
        const sum = (pick: (t: (typeof totals)[number]) => number) => totals.reduce((n, t) => n + pick(t), 0);
        expect(sum((t) => t.shots)).toBe(rows.filter((r) => r.kind === 'shot').length);
        expect(sum((t) => t.eighths)).toBe(onBoard.reduce((n, id) => n + (eighthsOf(id) ?? 0), 0));
        expect(sum((t) => t.scenes)).toBeGreaterThanOrEqual(onBoard.length);
      }),
    );
  });

  test('shares are whole eighths in proportion, adding up exactly', () => {
    expect(shareEighths(12, [1, 2])).toEqual([4, 8]);
    expect(shareEighths(5, [1, 1])).toEqual([3, 2]);
    expect(shareEighths(1, [1, 1, 1])).toEqual([1, 0, 0]);
    expect(shareEighths(7, [])).toEqual([]);
  });
});
