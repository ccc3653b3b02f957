import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isValidKey } from './fractional-key.ts';
import { board, rowsOf } from './random-boards.test-support.ts';
import { type StripRow, findOrphans, flattenStripboard } from './shooting-days.ts';
import {
  planNewBanner,
  planNewScene,
  planNewShot,
  planOpeningBanner,
  planReturnBanner,
  planReturnShot,
} from './strip-inserts.ts';
import { deriveShootingDays } from './shooting-days.ts';
import { deriveSceneNumbers } from './scene-numbers.ts';

const idsOf = (rows: readonly StripRow[]) => rows.map((row) => row.id);

describe('adding rows to the stripboard', () => {
  const scenes = [
    { id: 'sc1', sortKey: 'a0', number: '1' },
    { id: 'sc2', sortKey: 'a1', number: '2' },
  ];
  const shots = [
    { id: 'sh1', sceneId: 'sc1', sortKey: 'a0', label: '1A' },
    { id: 'sh2', sceneId: 'sc1', sortKey: 'a1', label: '1C' },
  ];
  const banners = [{ id: 'day1', sceneId: null, sortKey: 'a2' }];
  const rows = flattenStripboard(scenes, shots, banners);

  test('[S5] "+ Shot" on scene 1 adds 1B last in the scene, above scene 2', () => {
    const shot = planNewShot(rows, scenes[0]!);
    expect(shot).toMatchObject({ sceneId: 'sc1', label: '1B' });
    const after = flattenStripboard(scenes, [...shots, { id: 'new', ...shot }], banners);
    expect(idsOf(after)).toEqual(['sc1', 'sh1', 'sh2', 'new', 'sc2', 'day1']);
  });

  test('[S2][S5] Day 1 above the first day break gets its own break, first on the board, in one write', () => {
    const banner = planOpeningBanner(rows);
    const after = flattenStripboard(scenes, shots, [...banners, { id: 'opening', ...banner }]);
    expect(idsOf(after)).toEqual(['opening', 'sc1', 'sh1', 'sh2', 'sc2', 'day1']);
    expect(deriveShootingDays(after).days.map((d) => [d.bannerId, d.number])).toEqual([
      ['opening', 1],
      ['day1', 2],
    ]);
  });

  test('[S5][N1] "+ Scene" adds scene 3 at the end of the board, after the last day break', () => {
    const scene = planNewScene(rows);
    expect(scene).toMatchObject({ number: '', numberLocked: false });
    const after = flattenStripboard([...scenes, { id: 'new', ...scene }], shots, banners);
    expect(idsOf(after).at(-1)).toBe('new');
    const inOrder = after.flatMap((row) => (row.kind === 'scene' ? [{ numberLocked: false, ...row.scene }] : []));
    expect(deriveSceneNumbers(inOrder).get('new')).toBe('3');
  });

  test('[S5] on any board, even with equal keys from concurrent inserts, each new row lands last in its place with one valid key', () => {
    fc.assert(
      fc.property(board, fc.nat(), (b, pick) => {
        const labelled = b.shots.map((shot, i) => ({ ...shot, label: `L${i}` }));
        const rows = flattenStripboard(b.scenes, labelled, b.banners);

        const scene = planNewScene(rows);
        expect(isValidKey(scene.sortKey)).toBe(true);
        expect(
          idsOf(flattenStripboard([...b.scenes, { id: '~scene', sortKey: scene.sortKey }], b.shots, b.banners)).at(-1),
        ).toBe('~scene');

        const banner = planNewBanner(rows);
        expect(idsOf(flattenStripboard(b.scenes, b.shots, [...b.banners, { id: '~banner', ...banner }])).at(-1)).toBe(
          '~banner',
        );

        if (b.scenes.length === 0) return;
        const target = b.scenes[pick % b.scenes.length]!;
        const shot = planNewShot(rows, { id: target.id, number: 'N' });
        expect(labelled.some((s) => s.sceneId === target.id && s.label === shot.label)).toBe(false);
        const after = flattenStripboard(b.scenes, [...b.shots, { id: '~shot', ...shot }], b.banners);
        const inScene = after.filter((row) => row.sceneId === target.id);
        expect(inScene.at(-1)?.id).toBe('~shot');
      }),
    );
  });
});

describe('putting back rows whose scene was deleted on another device', () => {
  test('[S7] an orphaned shot moved into a scene lands last in it; an orphaned day break goes back to the end of the board', () => {
    fc.assert(
      fc.property(board, fc.nat(), (b, pick) => {
        if (b.scenes.length < 2) return;
        // Another device deleted one scene: its shots and inner day breaks are orphans here.
        const kept = b.scenes.slice(1);
        const rows = flattenStripboard(kept, b.shots, b.banners);
        const orphans = findOrphans(kept, b.shots, b.banners);
        const home = kept[pick % kept.length]!;
        let shots = b.shots;
        let banners = b.banners;
        for (const orphan of orphans.shots) {
          const move = planReturnShot(rowsOf({ scenes: kept, shots, banners }), orphan.id, home.id);
          expect(move).toMatchObject({ table: 'shots', id: orphan.id, sceneId: home.id });
          shots = shots.map((s) =>
            s.id === orphan.id && move.table === 'shots' ? { ...s, sceneId: move.sceneId, sortKey: move.sortKey } : s,
          );
          const inHome = rowsOf({ scenes: kept, shots, banners }).filter((row) => row.sceneId === home.id);
          expect(inHome.at(-1)?.id).toBe(orphan.id);
        }
        for (const orphan of orphans.banners) {
          const move = planReturnBanner(rowsOf({ scenes: kept, shots, banners }), orphan.id);
          expect(move).toMatchObject({ table: 'day_banners', id: orphan.id, sceneId: null });
          banners = banners.map((x) =>
            x.id === orphan.id && move.table === 'day_banners' ? { ...x, sceneId: null, sortKey: move.sortKey } : x,
          );
          expect(idsOf(rowsOf({ scenes: kept, shots, banners })).at(-1)).toBe(orphan.id);
        }
        const left = findOrphans(kept, shots, banners);
        expect(left.shots.length + left.banners.length).toBe(0);
        expect(rows.length + orphans.shots.length + orphans.banners.length).toBe(
          rowsOf({ scenes: kept, shots, banners }).length,
        );
      }),
    );
  });
});
