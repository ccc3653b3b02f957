/**
 * Random stripboards for the fast-check properties of the stripboard tests (not part of
 * the package's exports).
 */
import fc from 'fast-check';
import { keysBetween } from './fractional-key.ts';
import {
  type StripBanner,
  type StripRow,
  type StripScene,
  type StripShot,
  flattenStripboard,
} from './shooting-days.ts';

export interface Board {
  scenes: StripScene[];
  shots: StripShot[];
  banners: StripBanner[];
}

/**
 * Random boards: scenes with shots, banners between scenes and inside scenes. Keys come
 * from random picks of a shared pool so equal keys (concurrent inserts) occur too.
 */
export function boardOf(distinctKeys: boolean): fc.Arbitrary<Board> {
  return fc
    .record({
      sceneCount: fc.integer({ min: 0, max: 6 }),
      shotScenes: fc.array(fc.nat(), { maxLength: 20 }),
      bannerScenes: fc.array(fc.option(fc.nat(), { nil: null }), { maxLength: 6 }),
      keyPicks: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
    })
    .map(({ sceneCount, shotScenes, bannerScenes, keyPicks }) => {
      const pool = keysBetween(null, null, distinctKeys ? 40 : 12);
      const permutation = keyPicks
        .map((value, index) => [value, index] as const)
        .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      let pick = 0;
      const key = (): string =>
        distinctKeys
          ? (pool[permutation[pick++]![1]] as string)
          : (pool[(keyPicks[pick++ % keyPicks.length] ?? 0) % pool.length] as string);
      const scenes = Array.from({ length: sceneCount }, (_, i) => ({ id: `sc${i}`, sortKey: key() }));
      const shots =
        sceneCount === 0
          ? []
          : shotScenes.map((n, i) => ({ id: `sh${i}`, sceneId: `sc${n % sceneCount}`, sortKey: key() }));
      const banners = bannerScenes.map((n, i) => ({
        id: `b${i}`,
        sceneId: n === null || sceneCount === 0 ? null : `sc${n % sceneCount}`,
        sortKey: key(),
      }));
      return { scenes, shots, banners };
    });
}
/** Keys drawn from a small pool: equal keys, as after concurrent inserts at one spot. */
export const board = boardOf(false);
/** Every key distinct: a single write can land between any two neighbours. */
export const distinctBoard = boardOf(true);

export const rowsOf = (b: Board): StripRow[] => flattenStripboard(b.scenes, b.shots, b.banners);
