/**
 * What a day banner tells an assistant director: how many scenes the day shoots and how
 * many pages (in eighths), derived from the board like the days themselves (S2), never
 * stored.
 *
 * A scene split across days (a day break between its shots) counts as a scene on each day
 * it spans, and its eighths are shared between those days by how many of its shots each
 * day has, in whole eighths (largest remainder, ties to the earlier day), so the days
 * always add up to the board's total. A scene without shots counts whole on its day.
 */
import type { ShootingDays, StripRow } from './shooting-days.ts';

export interface DayTotal {
  /** The day's number (`ShootingDay.number`). */
  readonly day: number;
  /** Scenes with any part on this day (a split scene counts on each of its days). */
  readonly scenes: number;
  readonly shots: number;
  /** Pages in eighths: 11 is `1 3/8`. Scenes of unknown length add nothing. */
  readonly eighths: number;
}

/** One total per day of `days`, in board order. `eighthsOf` gives a scene's length (null: unknown). */
export function deriveDayTotals(
  rows: readonly StripRow[],
  days: ShootingDays,
  eighthsOf: (sceneId: string) => number | null,
): DayTotal[] {
  const totals = new Map<number, { scenes: number; shots: number; eighths: number }>();
  for (const day of days.days) totals.set(day.number, { scenes: 0, shots: 0, eighths: 0 });
  // Shots of each scene per day, in the order the scene's days come.
  const shotsPerSceneDay = new Map<string, Map<number, number>>();
  for (const row of rows) {
    if (row.kind !== 'shot') continue;
    const day = days.dayOfShot.get(row.id);
    if (!day) continue;
    const perDay = shotsPerSceneDay.get(row.sceneId) ?? new Map<number, number>();
    perDay.set(day.number, (perDay.get(day.number) ?? 0) + 1);
    shotsPerSceneDay.set(row.sceneId, perDay);
    const total = totals.get(day.number);
    if (total) total.shots += 1;
  }
  for (const [sceneId, spans] of days.daysOfScene) {
    const dayNumbers = [...new Set(spans.map((day) => day.number))];
    const eighths = eighthsOf(sceneId);
    const shares = shareEighths(
      eighths !== null && Number.isFinite(eighths) && eighths > 0 ? Math.round(eighths) : 0,
      dayNumbers.map((number) => shotsPerSceneDay.get(sceneId)?.get(number) ?? 1),
    );
    dayNumbers.forEach((number, index) => {
      const total = totals.get(number);
      if (!total) return;
      total.scenes += 1;
      total.eighths += shares[index] ?? 0;
    });
  }
  return days.days.map((day) => ({
    day: day.number,
    ...(totals.get(day.number) ?? { scenes: 0, shots: 0, eighths: 0 }),
  }));
}

/** `eighths` split in proportion to `weights`, in whole eighths that add up exactly. */
export function shareEighths(eighths: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0) return [];
  if (sum <= 0) return weights.map((_, i) => (i === 0 ? eighths : 0));
  const exact = weights.map((w) => (eighths * w) / sum);
  const shares = exact.map(Math.floor);
  let left = eighths - shares.reduce((a, b) => a + b, 0);
  const order = exact
    .map((value, index) => ({ index, rest: value - Math.floor(value) }))
    .sort((a, b) => b.rest - a.rest || a.index - b.index);
  for (const { index } of order) {
    if (left <= 0) break;
    shares[index] = (shares[index] ?? 0) + 1;
    left -= 1;
  }
  return shares;
}
