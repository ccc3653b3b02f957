/**
 * The stripboard: scenes, their shots and shooting-day banners as one ordered list, and
 * the shooting day of every shot derived from that order (never stored).
 *
 * Two key spaces share the list:
 * - top level: scenes and banners whose `sceneId` is null, ordered by (sortKey, id);
 * - inside scene X: its shots and the banners whose `sceneId` is X, ordered by
 *   (sortKey, id), shown under X's heading.
 * A banner inside a scene splits that scene across two days. Every move rewrites only the
 * moved record's `sortKey` (and `sceneId`), so concurrent moves of different records
 * commute, and ties on equal keys (two devices inserting at one spot) break by id the
 * same way on every device.
 *
 * Rows whose scene no longer exists (a scene deleted while another device added a shot
 * to it) are left out of the board; `findOrphans` lists them so the UI can offer them back.
 */
import { compareKeys, keyBetween } from './fractional-key.ts';

export interface StripScene {
  readonly id: string;
  readonly sortKey: string;
}

export interface StripShot {
  readonly id: string;
  readonly sceneId: string;
  readonly sortKey: string;
}

export interface StripBanner {
  readonly id: string;
  readonly sceneId: string | null;
  readonly sortKey: string;
}

export type StripRow<
  S extends StripScene = StripScene,
  T extends StripShot = StripShot,
  B extends StripBanner = StripBanner,
> =
  | { readonly kind: 'scene'; readonly id: string; readonly sceneId: string; readonly scene: S }
  | { readonly kind: 'shot'; readonly id: string; readonly sceneId: string; readonly shot: T }
  | { readonly kind: 'banner'; readonly id: string; readonly sceneId: string | null; readonly banner: B };

interface Keyed {
  readonly id: string;
  readonly sortKey: string;
}

function byKeyThenId(a: Keyed, b: Keyed): number {
  return compareKeys(a.sortKey, b.sortKey) || compareKeys(a.id, b.id);
}

/** The ordered stripboard rows; a pure function of the records, whatever their input order. */
export function flattenStripboard<S extends StripScene, T extends StripShot, B extends StripBanner>(
  scenes: readonly S[],
  shots: readonly T[],
  banners: readonly B[],
): StripRow<S, T, B>[] {
  const sceneIds = new Set(scenes.map((scene) => scene.id));
  const inside = new Map<string, StripRow<S, T, B>[]>();
  const push = (sceneId: string, row: StripRow<S, T, B>): void => {
    const list = inside.get(sceneId);
    if (list) list.push(row);
    else inside.set(sceneId, [row]);
  };
  for (const shot of shots) {
    if (sceneIds.has(shot.sceneId)) push(shot.sceneId, { kind: 'shot', id: shot.id, sceneId: shot.sceneId, shot });
  }
  const top: StripRow<S, T, B>[] = scenes.map((scene) => ({ kind: 'scene', id: scene.id, sceneId: scene.id, scene }));
  for (const banner of banners) {
    if (banner.sceneId === null) top.push({ kind: 'banner', id: banner.id, sceneId: null, banner });
    else if (sceneIds.has(banner.sceneId))
      push(banner.sceneId, { kind: 'banner', id: banner.id, sceneId: banner.sceneId, banner });
  }
  const keyed = (row: StripRow<S, T, B>): Keyed => ({ id: row.id, sortKey: sortKeyOf(row) });
  top.sort((a, b) => byKeyThenId(keyed(a), keyed(b)));
  const rows: StripRow<S, T, B>[] = [];
  for (const row of top) {
    rows.push(row);
    if (row.kind !== 'scene') continue;
    const children = inside.get(row.id) ?? [];
    children.sort((a, b) => byKeyThenId(keyed(a), keyed(b)));
    rows.push(...children);
  }
  return rows;
}

/**
 * Shots and banners whose scene no longer exists (deleted on one device while another
 * added a shot to it). They are off the board but not lost: the UI lists them so the crew
 * can put them back or delete them.
 */
export function findOrphans<T extends StripShot, B extends StripBanner>(
  scenes: readonly StripScene[],
  shots: readonly T[],
  banners: readonly B[],
): { shots: T[]; banners: B[] } {
  const sceneIds = new Set(scenes.map((scene) => scene.id));
  return {
    shots: shots.filter((shot) => !sceneIds.has(shot.sceneId)).sort(byKeyThenId),
    banners: banners.filter((banner) => banner.sceneId !== null && !sceneIds.has(banner.sceneId)).sort(byKeyThenId),
  };
}

function sortKeyOf(row: StripRow): string {
  return row.kind === 'scene' ? row.scene.sortKey : row.kind === 'shot' ? row.shot.sortKey : row.banner.sortKey;
}

export interface ShootingDay {
  /** The day break that starts the day; null for Day 1 when rows precede the first day break. */
  readonly bannerId: string | null;
  /** 1-based position on the board: "Day 3". */
  readonly number: number;
}

export interface ShootingDays {
  /** Days in board order. */
  readonly days: readonly ShootingDay[];
  /** Each shot's day: the last banner above it, Day 1 before the first banner. */
  readonly dayOfShot: ReadonlyMap<string, ShootingDay>;
  /** Days each scene spans in order (two or more when a banner splits it). */
  readonly daysOfScene: ReadonlyMap<string, readonly ShootingDay[]>;
  /** The day in effect at each row index (a banner row starts its own day). */
  readonly dayAtRow: readonly (ShootingDay | null)[];
}

/**
 * One scan of the ordered rows. A scene spans the days of its shots; a scene without
 * shots spans the day in effect at its heading; a banner at the very top of a scene (above
 * its first shot) moves the whole scene to the new day. Work above the first day break
 * (a shot, or a scene without shots) is Day 1, a day without a break of its own, and the
 * day breaks number on from 2; a board that opens with a day break starts with it as Day 1.
 */
export function deriveShootingDays(rows: readonly StripRow[]): ShootingDays {
  const days: ShootingDay[] = [];
  const dayOfShot = new Map<string, ShootingDay>();
  const daysOfScene = new Map<string, ShootingDay[]>();
  const dayAtRow: (ShootingDay | null)[] = [];
  const headingDay = new Map<string, ShootingDay | null>();
  let current: ShootingDay | null = opensWithWork(rows) ? { bannerId: null, number: 1 } : null;
  if (current) days.push(current);
  for (const row of rows) {
    if (row.kind === 'banner') {
      current = { bannerId: row.id, number: days.length + 1 };
      days.push(current);
    } else if (row.kind === 'scene') {
      headingDay.set(row.id, current);
      daysOfScene.set(row.id, []);
    } else if (current) {
      dayOfShot.set(row.id, current);
      const spans = daysOfScene.get(row.sceneId);
      if (spans && (spans.length === 0 || spans[spans.length - 1] !== current)) spans.push(current);
    }
    dayAtRow.push(current);
  }
  for (const [sceneId, spans] of daysOfScene) {
    const day = headingDay.get(sceneId);
    if (spans.length === 0 && day) spans.push(day);
  }
  return { days, dayOfShot, daysOfScene, dayAtRow };
}

/** Whether anything shot lies above the first day break: a shot, or a scene with no shots at all. */
function opensWithWork(rows: readonly StripRow[]): boolean {
  const withShots = new Set<string>();
  for (const row of rows) if (row.kind === 'shot') withShots.add(row.sceneId);
  for (const row of rows) {
    if (row.kind === 'banner') return false;
    if (row.kind === 'shot' || !withShots.has(row.id)) return true;
  }
  return false;
}

/** The single record write a move makes. */
export type StripMove =
  | { readonly table: 'scenes'; readonly id: string; readonly sortKey: string }
  | { readonly table: 'shots'; readonly id: string; readonly sceneId: string; readonly sortKey: string }
  | { readonly table: 'day_banners'; readonly id: string; readonly sceneId: string | null; readonly sortKey: string };

/** The rows left when `id` (and, for a scene, everything under it) is lifted off the board. */
export function rowsWithout<R extends StripRow>(rows: readonly R[], id: string): R[] {
  const moving = rows.find((row) => row.id === id);
  if (!moving) return [...rows];
  if (moving.kind === 'scene') return rows.filter((row) => row.sceneId !== id);
  return rows.filter((row) => row.id !== id);
}

function ownerScene(row: StripRow | undefined): string | null {
  return row === undefined ? null : row.sceneId;
}

function topLevelOwner(row: StripRow | undefined): string | null {
  if (row === undefined) return null;
  return row.kind === 'banner' && row.sceneId === null ? row.id : row.sceneId;
}

/** A key placing an item right after `afterId` among `siblings` (null: first). */
function keyAfter(siblings: readonly Keyed[], afterId: string | null): string {
  const index = afterId === null ? 0 : siblings.findIndex((sibling) => sibling.id === afterId) + 1;
  const prev = index > 0 ? (siblings[index - 1]?.sortKey ?? null) : null;
  // Equal keys (concurrent inserts at one spot) leave no room between; land after them.
  const next = siblings.slice(index).find((sibling) => prev === null || sibling.sortKey > prev);
  return keyBetween(prev, next?.sortKey ?? null);
}

function siblingsInside(rows: readonly StripRow[], sceneId: string): Keyed[] {
  return rows
    .filter((row) => row.kind !== 'scene' && row.sceneId === sceneId)
    .map((row) => ({ id: row.id, sortKey: sortKeyOf(row) }));
}

function topLevelSiblings(rows: readonly StripRow[]): Keyed[] {
  return rows
    .filter((row) => row.kind === 'scene' || (row.kind === 'banner' && row.sceneId === null))
    .map((row) => ({ id: row.id, sortKey: sortKeyOf(row) }));
}

/**
 * The one write that drops row `id` into `slot` of the board without it: slot i sits
 * between `rest[i-1]` and `rest[i]` where `rest = rowsWithout(rows, id)`. Null when the
 * item cannot go there (a shot above every scene).
 */
export function planMove(rows: readonly StripRow[], id: string, slot: number): StripMove | null {
  const moving = rows.find((row) => row.id === id);
  if (!moving) return null;
  const rest = rowsWithout(rows, id);
  if (slot < 0 || slot > rest.length) return null;
  const above = rest[slot - 1];
  const below = rest[slot];
  if (moving.kind === 'scene') {
    return { table: 'scenes', id, sortKey: keyAfter(topLevelSiblings(rest), topLevelOwner(above)) };
  }
  if (moving.kind === 'shot') {
    const sceneId = ownerScene(above);
    if (sceneId !== null && above) {
      const after = above.kind === 'scene' ? null : above.id;
      return { table: 'shots', id, sceneId, sortKey: keyAfter(siblingsInside(rest, sceneId), after) };
    }
    if (below?.kind === 'scene') {
      return { table: 'shots', id, sceneId: below.id, sortKey: keyAfter(siblingsInside(rest, below.id), null) };
    }
    return null;
  }
  const sceneId = ownerScene(above);
  if (sceneId !== null && above && below && below.kind !== 'scene' && below.sceneId === sceneId) {
    const after = above.kind === 'scene' ? null : above.id;
    return { table: 'day_banners', id, sceneId, sortKey: keyAfter(siblingsInside(rest, sceneId), after) };
  }
  return { table: 'day_banners', id, sceneId: null, sortKey: keyAfter(topLevelSiblings(rest), topLevelOwner(above)) };
}

/** The slot row `id` occupies now (its index in the board without it). */
export function currentSlot(rows: readonly StripRow[], id: string): number {
  return rows.findIndex((row) => row.id === id);
}

/**
 * The write that moves row `id` one step up (-1) or down (+1), for keyboard moves: a
 * shot or banner passes one row (crossing into the neighbouring scene at its edge), a
 * scene passes the whole neighbouring scene or banner. Null at either end of the board.
 */
export function planStep(rows: readonly StripRow[], id: string, direction: -1 | 1): StripMove | null {
  const moving = rows.find((row) => row.id === id);
  if (!moving) return null;
  const rest = rowsWithout(rows, id);
  const from = currentSlot(rows, id);
  let slots: number[];
  if (moving.kind === 'scene') {
    const starts = rest
      .map((row, index) => ({ row, index }))
      .filter(({ row }) => row.kind === 'scene' || (row.kind === 'banner' && row.sceneId === null))
      .map(({ index }) => index);
    const boundaries = [...starts, rest.length];
    slots = direction < 0 ? boundaries.filter((b) => b < from).reverse() : boundaries.filter((b) => b > from);
  } else {
    slots = [];
    for (let slot = from + direction; slot >= 0 && slot <= rest.length; slot += direction) slots.push(slot);
  }
  // Equal keys (concurrent inserts at one spot) can make the nearest slot unreachable with
  // one write; then the row goes to the nearest slot that does move it the asked way.
  for (const slot of slots) {
    const move = planMove(rows, id, slot);
    if (move !== null && Math.sign(indexAfterMove(rows, move) - from) === direction) return move;
  }
  return null;
}

/** Where row `move.id` lands once the move is applied (order only). */
export function indexAfterMove(rows: readonly StripRow[], move: StripMove): number {
  return applyMove(rows, move).findIndex((row) => row.id === move.id);
}

/** The board after one move, as every device computes it once the write arrives. */
export function applyMove(rows: readonly StripRow[], move: StripMove): StripRow[] {
  const scenes: StripScene[] = [];
  const shots: StripShot[] = [];
  const banners: StripBanner[] = [];
  for (const row of rows) {
    const moved = row.id === move.id;
    if (row.kind === 'scene') scenes.push(moved ? { ...row.scene, sortKey: move.sortKey } : row.scene);
    else if (row.kind === 'shot') {
      shots.push(
        moved && move.table === 'shots' ? { ...row.shot, sceneId: move.sceneId, sortKey: move.sortKey } : row.shot,
      );
    } else {
      banners.push(
        moved && move.table === 'day_banners'
          ? { ...row.banner, sceneId: move.sceneId, sortKey: move.sortKey }
          : row.banner,
      );
    }
  }
  return flattenStripboard(scenes, shots, banners);
}
