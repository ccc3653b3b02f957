import { flattenStripboard } from '@clapper/domain';
import { type NumberedRows, numberedScene, withSceneNumbers } from './numbered-rows.ts';
import type { BannerRecord, SceneRecord, ShotRecord } from './records.ts';
import type { Row } from './strip-rows.tsx';

/**
 * The board's rows as of one snapshot of its three tables. `layout` is the same object for
 * as long as the board's order and membership are unchanged (which rows, of which kind,
 * under which scene, in which order; the scenes' numbers): what derives from those alone
 * (shooting days, day totals, the virtualizer's keys) is memoized on it, not on `rows`.
 */
export interface BoardModel {
  readonly scenes: readonly SceneRecord[];
  readonly shots: readonly ShotRecord[];
  readonly banners: readonly BannerRecord[];
  readonly numbered: NumberedRows;
  readonly layout: BoardLayout;
}

export interface BoardLayout {
  /**
   * The rows when the layout was last derived: their kinds, ids and scene ids, and the
   * order, are the board's now; their records may be older (read records from `numbered.rows`).
   */
  readonly rows: readonly Row[];
  /** Row index by record id. */
  readonly indexOf: ReadonlyMap<string, number>;
}

type Changed<T> = T[] | null;

/**
 * The records of `next` that differ from `previous` (by identity: unchanged records keep
 * their snapshot object, lib/use-records.ts) when every difference is a record changed in
 * place in columns `moves` does not read; null when a record came, went, moved or changed
 * in a column that places it (then the board is derived again from scratch).
 */
function changedInPlace<T extends { id: string }>(
  previous: readonly T[],
  next: readonly T[],
  moves: (before: T, after: T) => boolean,
): Changed<T> {
  if (previous === next) return [];
  if (previous.length !== next.length) return null;
  const changed: T[] = [];
  for (let i = 0; i < next.length; i++) {
    const before = previous[i] as T;
    const after = next[i] as T;
    if (before === after) continue;
    if (before.id !== after.id || moves(before, after)) return null;
    changed.push(after);
  }
  return changed;
}

const shotMoves = (a: ShotRecord, b: ShotRecord) => a.sortKey !== b.sortKey || a.sceneId !== b.sceneId;
const bannerMoves = (a: BannerRecord, b: BannerRecord) => a.sortKey !== b.sortKey || a.sceneId !== b.sceneId;
// A scene's stored number and its lock decide every scene's shown number (N1–N3).
const sceneMoves = (a: SceneRecord, b: SceneRecord) =>
  a.sortKey !== b.sortKey || a.number !== b.number || a.numberLocked !== b.numberLocked;

function fromScratch(
  scenes: readonly SceneRecord[],
  shots: readonly ShotRecord[],
  banners: readonly BannerRecord[],
): BoardModel {
  const numbered = withSceneNumbers(flattenStripboard(scenes, shots, banners));
  const indexOf = new Map(numbered.rows.map((row, index) => [row.id, index]));
  return { scenes, shots, banners, numbered, layout: { rows: numbered.rows, indexOf } };
}

/**
 * The board for the tables' latest snapshots, from the board before them. An edit that
 * places nothing differently (most of them: a cell's text, from this window or another)
 * replaces the rows of the records it changed and keeps every other row object, the
 * layout and the numbering as they were: no re-sort or re-numbering of the whole board.
 * Anything else (a record added, deleted or moved; a scene's number or lock changed)
 * derives the board again, as `previous === null` does.
 */
export function nextBoard(
  previous: BoardModel | null,
  scenes: readonly SceneRecord[],
  shots: readonly ShotRecord[],
  banners: readonly BannerRecord[],
): BoardModel {
  if (previous === null) return fromScratch(scenes, shots, banners);
  const changedScenes = changedInPlace(previous.scenes, scenes, sceneMoves);
  const changedShots = changedScenes && changedInPlace(previous.shots, shots, shotMoves);
  const changedBanners = changedShots && changedInPlace(previous.banners, banners, bannerMoves);
  if (!changedScenes || !changedShots || !changedBanners) return fromScratch(scenes, shots, banners);
  if (changedScenes.length + changedShots.length + changedBanners.length === 0) {
    return previous.scenes === scenes && previous.shots === shots && previous.banners === banners
      ? previous
      : { ...previous, scenes, shots, banners };
  }
  const { layout, numbered } = previous;
  const rows = numbered.rows.slice();
  // Records off the board (a shot or banner whose scene is gone) have no row: the orphans list reads the tables.
  for (const shot of changedShots) {
    const index = layout.indexOf.get(shot.id);
    const row = index === undefined ? undefined : rows[index];
    if (row?.kind === 'shot') rows[index as number] = { ...row, shot };
  }
  for (const banner of changedBanners) {
    const index = layout.indexOf.get(banner.id);
    const row = index === undefined ? undefined : rows[index];
    if (row?.kind === 'banner') rows[index as number] = { ...row, banner };
  }
  let stored = numbered.stored;
  if (changedScenes.length > 0) {
    const storedIndex = new Map(stored.map((scene, index) => [scene.id, index]));
    const nextStored = stored.slice();
    for (const scene of changedScenes) {
      const index = layout.indexOf.get(scene.id);
      const row = index === undefined ? undefined : rows[index];
      if (row?.kind === 'scene') rows[index as number] = { ...row, scene: numberedScene(scene, row.scene.number) };
      const at = storedIndex.get(scene.id);
      if (at !== undefined) nextStored[at] = scene;
    }
    stored = nextStored;
  }
  return { scenes, shots, banners, numbered: { ...numbered, rows, stored }, layout };
}
