/**
 * Scene numbers as production uses them (production-formats.md), unique however many
 * people add scenes at once, online or offline. The number a scene shows is derived from
 * the board, never handed out by a device, so two devices can't hand out the same one:
 *
 * - N1 Until numbers are locked, the k-th scene on the board is scene `k`.
 * - N2 Locking writes each scene's shown number into `number` and sets `number_locked`.
 *   A locked scene keeps its number wherever it moves. Two locked scenes with one number
 *   (locked on two devices offline) can't both keep it: the first on the board does, the
 *   other counts as unlocked (N3) until it is locked again.
 * - N3 A scene added after locking takes its number from its locked neighbours and its
 *   position: after `10` (and before `11`) it is `10A`, then `10B`; after `10A` it is
 *   `10B`; between `10A` and `10B` it is `10AA`; before the first locked scene `1` it is
 *   `A1`, then `B1`. Letters skip I and O (they read as 1 and 0), as shot labels do.
 *   Concurrent adds at one spot sort by key then id (S1) the same way on every device,
 *   so one is `10A` and the other `10B`. A shown number is never one a locked scene has;
 *   where no number fits between the neighbours (a scene between `10` and `10A`), it
 *   takes the first free one after the scene above.
 * Shown numbers of unlocked scenes are provisional (a scene inserted above one can move
 * its letter) until the next lock fixes them.
 */
import { shotLetters } from './shot-labels.ts';

export interface NumberedScene {
  readonly id: string;
  /** The stored number; read only when `numberLocked`. */
  readonly number: string;
  readonly numberLocked: boolean;
}

/** Each scene's shown number, for scenes given in board order. */
export function deriveSceneNumbers(scenes: readonly NumberedScene[]): Map<string, string> {
  const shown = new Map<string, string>();
  const taken = new Set<string>();
  const lockedNumber = new Map<string, string>();
  for (const scene of scenes) {
    const number = normalizeSceneNumber(scene.number);
    if (!scene.numberLocked || number === '' || taken.has(number)) continue;
    lockedNumber.set(scene.id, number);
    taken.add(number);
  }
  if (lockedNumber.size === 0) {
    scenes.forEach((scene, index) => shown.set(scene.id, String(index + 1)));
    return shown;
  }
  let above: string | null = null;
  for (let i = 0; i < scenes.length;) {
    const locked = lockedNumber.get((scenes[i] as NumberedScene).id);
    if (locked !== undefined) {
      shown.set((scenes[i] as NumberedScene).id, locked);
      above = locked;
      i += 1;
      continue;
    }
    let end = i;
    while (end < scenes.length && !lockedNumber.has((scenes[end] as NumberedScene).id)) end += 1;
    const below = end < scenes.length ? (lockedNumber.get((scenes[end] as NumberedScene).id) ?? null) : null;
    let lower = above;
    const cursor = { next: 0 };
    for (const scene of scenes.slice(i, end)) {
      const number = numberBetween(above, lower, below, taken, cursor);
      shown.set(scene.id, number);
      taken.add(number);
      lower = number;
    }
    i = end;
  }
  return shown;
}

/** A scene's number as locking writes it. */
export interface SceneNumberLock {
  readonly id: string;
  readonly number: string;
}

/**
 * N2: what "Lock scene numbers" writes, for scenes in board order: each scene whose shown
 * number isn't yet its locked number gets it, with `number_locked`; nothing else changes.
 */
export function planSceneNumberLock(scenes: readonly NumberedScene[]): SceneNumberLock[] {
  const shown = deriveSceneNumbers(scenes);
  return scenes
    .filter((scene) => !isNumberLocked(scene, shown))
    .map((scene) => ({ id: scene.id, number: shown.get(scene.id) as string }));
}

/** Whether `scene` shows its own locked number (not a provisional one, N2/N3). */
export function isNumberLocked(scene: NumberedScene, shown: ReadonlyMap<string, string>): boolean {
  return scene.numberLocked && normalizeSceneNumber(scene.number) === shown.get(scene.id);
}

/**
 * Why `text` can't be scene `sceneId`'s number (null: it can): empty, characters a scene
 * number never has, or a number another scene shows.
 */
export function sceneNumberProblem(text: string, sceneId: string, shown: ReadonlyMap<string, string>): string | null {
  const number = normalizeSceneNumber(text);
  if (number === '') return 'A locked scene needs a number (like 12 or 12A)';
  if (!/^[A-Z0-9.-]+$/.test(number)) return `A scene number is letters and digits, like 12 or 12A: not ${text.trim()}`;
  for (const [id, other] of shown) if (id !== sceneId && other === number) return `Scene ${number} already exists`;
  return null;
}

/** Scene numbers are compared and stored in capitals, without spaces: ` 10a ` is `10A`. */
export function normalizeSceneNumber(number: string): string {
  return number.replace(/\s+/g, '').toUpperCase();
}

/**
 * Production order of two scene numbers: `A1` < `B1` < `1` < `1A` < `1AA` < `1B` < `2`;
 * null when either is not of that form (typed by hand as something else).
 */
export function compareSceneNumbers(a: string, b: string): number | null {
  const x = sceneNumberParts(a);
  const y = sceneNumberParts(b);
  if (!x || !y) return null;
  if (x.value !== y.value) return x.value < y.value ? -1 : 1;
  if (x.prefix !== y.prefix) {
    // A prefixed number comes before the bare one it precedes.
    if (x.prefix === '') return 1;
    if (y.prefix === '') return -1;
    return x.prefix < y.prefix ? -1 : 1;
  }
  if (x.suffix === y.suffix) return 0;
  return x.suffix < y.suffix ? -1 : 1;
}

function sceneNumberParts(number: string): { prefix: string; value: number; suffix: string } | null {
  const match = /^([A-Z]*)(\d+)([A-Z]*)$/.exec(normalizeSceneNumber(number));
  if (!match) return null;
  return { prefix: match[1] as string, value: Number(match[2]), suffix: match[3] as string };
}

/** A, B, … Z (no I or O), AA, AB, … — without end. */
function* letterSeries(): Generator<string> {
  for (let length = 1; ; length++) {
    const digits = new Array<number>(length).fill(0);
    for (;;) {
      yield digits.map((d) => shotLetters[d]).join('');
      let at = length - 1;
      while (at >= 0 && digits[at] === shotLetters.length - 1) digits[at--] = 0;
      if (at < 0) break;
      digits[at] = (digits[at] as number) + 1;
    }
  }
}

/** The one- and two-letter suffixes, in series order: how far the ordered searches look. */
const shortSeries: readonly string[] = (() => {
  const series: string[] = [];
  for (const letters of letterSeries()) {
    if (series.length === shotLetters.length + shotLetters.length ** 2) break;
    series.push(letters);
  }
  return series;
})();

/**
 * A free number after `lower` (the last number shown above, null: none) and before
 * `below`, built on `above` (the locked scene above, null: none), per N3. `cursor` is the
 * gap's place in the first search: within a gap `lower` only rises and `taken` only
 * grows, so a candidate that failed once fails again and the search resumes where the
 * last one stopped (a gap of n scenes costs O(n), not O(n²)).
 */
function numberBetween(
  above: string | null,
  lower: string | null,
  below: string | null,
  taken: Set<string>,
  cursor: { next: number },
): string {
  const fits = (candidate: string): boolean => {
    if (taken.has(candidate)) return false;
    // null from a comparison: a hand-typed number with no production order, so no constraint.
    const afterLower = lower === null ? -1 : compareSceneNumbers(lower, candidate);
    const beforeBelow = below === null ? -1 : compareSceneNumbers(candidate, below);
    return (afterLower === null || afterLower < 0) && (beforeBelow === null || beforeBelow < 0);
  };
  const first = (letters: string) => (above === null ? `${letters}${below ?? ''}` : `${rootOf(above)}${letters}`);
  for (; cursor.next < shortSeries.length; cursor.next++) {
    const candidate = first(shortSeries[cursor.next] as string);
    if (fits(candidate)) {
      cursor.next += 1;
      return candidate;
    }
  }
  // The letters on the root are used up between the neighbours: the next letter on the
  // number above (10ZB after 10ZA), else one letter more (10ZZA after 10ZZ).
  if (above !== null) {
    const last = lower ?? above;
    const bases = /[A-Z]$/.test(last) ? [last.slice(0, -1), last] : [last];
    for (const base of bases) {
      for (const letters of shortSeries) if (fits(`${base}${letters}`)) return `${base}${letters}`;
    }
  }
  // Nothing fits between the neighbours: the first free number on the scene above.
  const base = above === null ? null : rootOf(above);
  for (const letters of letterSeries()) {
    const candidate = base === null ? `${letters}${below ?? ''}` : `${base}${letters}`;
    if (!taken.has(candidate)) return candidate;
  }
  throw new Error('unreachable: the letter series never ends');
}

/** `10A` -> `10`, `A1` -> `A1`: the number a letter suffix is added to. */
function rootOf(number: string): string {
  return number.replace(/(\d)[A-Z]+$/, '$1');
}
