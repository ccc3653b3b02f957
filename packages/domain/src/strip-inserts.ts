/**
 * Where a new row goes on the stripboard, and where a row whose scene was deleted goes
 * back: always at the end of its key space, so the write is one record and never
 * renumbers a neighbour. Keys only ever grow past the largest key in that space, so
 * equal keys left by concurrent inserts (S4) never leave these without room.
 */
import { keyBetween } from './fractional-key.ts';
import { nextShotLabel } from './shot-labels.ts';
import type { StripMove, StripRow, StripScene, StripShot } from './shooting-days.ts';

/** The largest sort key among the shots and day breaks inside `sceneId` (null: none). */
export function lastKeyInside(rows: readonly StripRow[], sceneId: string): string | null {
  let last: string | null = null;
  for (const row of rows) {
    if (row.kind === 'scene' || row.sceneId !== sceneId) continue;
    const key = row.kind === 'shot' ? row.shot.sortKey : row.banner.sortKey;
    if (last === null || key > last) last = key;
  }
  return last;
}

/** The largest sort key among scenes and the day breaks between scenes (null: none). */
export function lastTopLevelKey(rows: readonly StripRow[]): string | null {
  let last: string | null = null;
  for (const row of rows) {
    if (row.kind === 'shot' || (row.kind === 'banner' && row.sceneId !== null)) continue;
    const key = row.kind === 'scene' ? row.scene.sortKey : row.banner.sortKey;
    if (last === null || key > last) last = key;
  }
  return last;
}

export interface NewScene {
  /** Empty: the board numbers a scene until its number is locked (N1, N3). */
  readonly number: '';
  readonly numberLocked: false;
  readonly sortKey: string;
}

export interface NewShot {
  readonly sceneId: string;
  readonly sortKey: string;
  readonly label: string;
}

export interface NewBanner {
  readonly sceneId: null;
  readonly sortKey: string;
}

/**
 * A scene added by hand: last on the board. It stores no number: the board shows one
 * derived from its place (N1, N3), so two devices adding scenes at once can't both hand
 * out the same number.
 */
export function planNewScene(rows: readonly StripRow[]): NewScene {
  return { number: '', numberLocked: false, sortKey: keyBetween(lastTopLevelKey(rows), null) };
}

/** A shot added to `scene`: last in the scene, with the first free label of its series. */
export function planNewShot(
  rows: readonly StripRow<StripScene, StripShot & { readonly label: string }>[],
  scene: { readonly id: string; readonly number: string },
): NewShot {
  const used = new Set<string>();
  for (const row of rows) if (row.kind === 'shot' && row.sceneId === scene.id) used.add(row.shot.label);
  return {
    sceneId: scene.id,
    sortKey: keyBetween(lastKeyInside(rows, scene.id), null),
    label: nextShotLabel(scene.number, used),
  };
}

/** A day break added by hand: last on the board, between scenes. */
export function planNewBanner(rows: readonly StripRow[]): NewBanner {
  return { sceneId: null, sortKey: keyBetween(lastTopLevelKey(rows), null) };
}

/**
 * The day break of Day 1 when work sits above the first break (S2): first on the board,
 * before every scene, so the day keeps its number and gains a record (a date, a label, a
 * call sheet) with one write.
 */
export function planOpeningBanner(rows: readonly StripRow[]): NewBanner {
  let first: string | null = null;
  for (const row of rows) {
    if (row.kind === 'shot' || (row.kind === 'banner' && row.sceneId !== null)) continue;
    const key = row.kind === 'scene' ? row.scene.sortKey : row.banner.sortKey;
    if (first === null || key < first) first = key;
  }
  return { sceneId: null, sortKey: keyBetween(null, first) };
}

/** The one write that puts an orphaned shot (its scene deleted elsewhere) last into `sceneId`. */
export function planReturnShot(rows: readonly StripRow[], shotId: string, sceneId: string): StripMove {
  return { table: 'shots', id: shotId, sceneId, sortKey: keyBetween(lastKeyInside(rows, sceneId), null) };
}

/** The one write that puts an orphaned day break back last on the board, between scenes. */
export function planReturnBanner(rows: readonly StripRow[], bannerId: string): StripMove {
  return { table: 'day_banners', id: bannerId, sceneId: null, sortKey: keyBetween(lastTopLevelKey(rows), null) };
}
