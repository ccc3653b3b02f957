/**
 * The shooting schedule a board describes: its days in order (`deriveShootingDays`, S2),
 * each with the scenes (and the shots of them) shot that day and the day's pages. It is
 * what the call sheets, the one-liner and the shot list by day print.
 *
 * A scene belongs to the days of its shots, or to the day at its heading when it has none;
 * a day break inside a scene splits it into parts, one per day, and its pages are shared
 * between the parts as the day totals share them (`shareEighths`), so a printed day adds
 * up to the total its banner shows.
 */
import { shareEighths } from './day-totals.ts';
import {
  type ShootingDay,
  type StripBanner,
  type StripRow,
  type StripScene,
  type StripShot,
  deriveShootingDays,
} from './shooting-days.ts';

export interface ScheduleScene extends StripScene {
  readonly pageEighths: number | null;
}

export interface ScheduledScene<S extends ScheduleScene = ScheduleScene, T extends StripShot = StripShot> {
  readonly scene: S;
  /** This day's shots of the scene, in board order. */
  readonly shots: readonly T[];
  /** 1-based part of a scene split across days, out of `parts` (1 of 1 when whole). */
  readonly part: number;
  readonly parts: number;
  /** This part's share of the scene's pages in eighths; null when the scene has no length. */
  readonly eighths: number | null;
}

export interface ScheduleDay<
  S extends ScheduleScene = ScheduleScene,
  T extends StripShot = StripShot,
  B extends StripBanner = StripBanner,
> {
  /** 1-based: "Day 3". */
  readonly number: number;
  /** The day break that starts this day; null for a Day 1 above every break. */
  readonly banner: B | null;
  readonly scenes: readonly ScheduledScene<S, T>[];
  /** The day's pages: the sum of its scenes' shares, in eighths. */
  readonly eighths: number;
}

function knownEighths(eighths: number | null): number | null {
  return eighths !== null && Number.isFinite(eighths) && eighths > 0 ? Math.round(eighths) : null;
}

/** The schedule of an ordered board (`flattenStripboard`); a pure function of its rows. */
export function deriveSchedule<S extends ScheduleScene, T extends StripShot, B extends StripBanner>(
  rows: readonly StripRow<S, T, B>[],
): ScheduleDay<S, T, B>[] {
  const shootingDays = deriveShootingDays(rows);
  const banners = new Map<string, B>();
  for (const row of rows) if (row.kind === 'banner') banners.set(row.id, row.banner);
  // Each day's parts in board order: a scene's part opens at its first shot that day,
  // or at its heading when it has no shots.
  const parts = new Map<ShootingDay, Map<string, { scene: S; shots: T[] }>>();
  const partOf = (day: ShootingDay, scene: S) => {
    const ofDay = parts.get(day) ?? new Map<string, { scene: S; shots: T[] }>();
    parts.set(day, ofDay);
    const part = ofDay.get(scene.id) ?? { scene, shots: [] };
    ofDay.set(scene.id, part);
    return part;
  };
  const scenes = new Map<string, S>();
  const withShots = new Set<string>();
  for (const row of rows) if (row.kind === 'shot') withShots.add(row.sceneId);
  for (const row of rows) {
    if (row.kind === 'scene') {
      scenes.set(row.id, row.scene);
      const day = shootingDays.daysOfScene.get(row.id)?.[0];
      if (!withShots.has(row.id) && day) partOf(day, row.scene);
    } else if (row.kind === 'shot') {
      const day = shootingDays.dayOfShot.get(row.id);
      const scene = scenes.get(row.sceneId);
      if (day && scene) partOf(day, scene).shots.push(row.shot);
    }
  }
  // Every part's share of its scene's pages, by its shots, as the day totals share them.
  const shares = new Map<string, Map<number, number>>();
  const partCount = new Map<string, number>();
  for (const [sceneId, spans] of shootingDays.daysOfScene) {
    const scene = scenes.get(sceneId);
    const days = [...new Set(spans)];
    partCount.set(sceneId, days.length);
    const eighths = knownEighths(scene?.pageEighths ?? null);
    if (eighths === null) continue;
    const weights = days.map((day) => parts.get(day)?.get(sceneId)?.shots.length || 1);
    const split = shareEighths(eighths, weights);
    shares.set(sceneId, new Map(days.map((day, i) => [day.number, split[i] ?? 0])));
  }
  const seen = new Map<string, number>();
  return shootingDays.days.map((day) => {
    const scheduled = [...(parts.get(day)?.values() ?? [])].map(({ scene, shots }): ScheduledScene<S, T> => {
      const part = (seen.get(scene.id) ?? 0) + 1;
      seen.set(scene.id, part);
      return {
        scene,
        shots,
        part,
        parts: partCount.get(scene.id) ?? 1,
        eighths: shares.get(scene.id)?.get(day.number) ?? null,
      };
    });
    return {
      number: day.number,
      banner: day.bannerId === null ? null : (banners.get(day.bannerId) ?? null),
      scenes: scheduled,
      eighths: scheduled.reduce((sum, part) => sum + (part.eighths ?? 0), 0),
    };
  });
}
