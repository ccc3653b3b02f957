/**
 * The shooting schedule a board describes: its days in order, each with the scenes (and
 * the shots of them) shot that day and the day's pages. It is what the call sheets, the
 * one-liner and the shot list by day print.
 *
 * Days follow the board's day breaks: rows before the first break are Day 1, and every
 * break starts the next day (a break at the very top of the board starts Day 1 itself).
 * A scene belongs to the days of its shots, or to the day in effect at its heading when it
 * has none; a day break inside a scene splits it into parts, one per day, and its pages
 * are shared between the parts in proportion to their shots.
 */
import type { StripBanner, StripRow, StripScene, StripShot } from './shooting-days.ts';

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
  /** The day break that starts this day; null for a Day 1 that starts above every break. */
  readonly banner: B | null;
  readonly scenes: readonly ScheduledScene<S, T>[];
  /** The day's pages: the sum of its scenes' shares, in eighths. */
  readonly eighths: number;
}

interface DayBuilder<S extends ScheduleScene, T extends StripShot, B extends StripBanner> {
  banner: B | null;
  parts: { scene: S; shots: T[] }[];
}

/** The schedule of an ordered board (`flattenStripboard`); a pure function of its rows. */
export function deriveSchedule<S extends ScheduleScene, T extends StripShot, B extends StripBanner>(
  rows: readonly StripRow<S, T, B>[],
): ScheduleDay<S, T, B>[] {
  const builders: DayBuilder<S, T, B>[] = [{ banner: null, parts: [] }];
  let current = builders[0] as DayBuilder<S, T, B>;
  // The scene being scanned: the day at its heading, and its parts so far.
  let scene: { record: S; headingDay: DayBuilder<S, T, B>; parts: { day: DayBuilder<S, T, B>; shots: T[] }[] } | null =
    null;
  const closeScene = (): void => {
    if (!scene) return;
    if (scene.parts.length === 0) scene.headingDay.parts.push({ scene: scene.record, shots: [] });
    for (const part of scene.parts) part.day.parts.push({ scene: scene.record, shots: part.shots });
    scene = null;
  };
  for (const row of rows) {
    if (row.kind === 'banner') {
      if (row.sceneId === null) closeScene();
      current = { banner: row.banner, parts: [] };
      builders.push(current);
    } else if (row.kind === 'scene') {
      closeScene();
      scene = { record: row.scene, headingDay: current, parts: [] };
    } else if (scene) {
      const last = scene.parts[scene.parts.length - 1];
      if (last && last.day === current) last.shots.push(row.shot);
      else scene.parts.push({ day: current, shots: [row.shot] });
    }
  }
  closeScene();
  // Day 1 above every break exists only when something is scheduled there.
  const kept = builders[0]?.parts.length === 0 ? builders.slice(1) : builders;
  const partsOfScene = new Map<string, number>();
  const totalShots = new Map<string, number>();
  for (const day of kept) {
    for (const part of day.parts) {
      partsOfScene.set(part.scene.id, (partsOfScene.get(part.scene.id) ?? 0) + 1);
      totalShots.set(part.scene.id, (totalShots.get(part.scene.id) ?? 0) + part.shots.length);
    }
  }
  const seenParts = new Map<string, number>();
  const seenShots = new Map<string, number>();
  return kept.map((day, index) => {
    const scenes = day.parts.map(({ scene: record, shots }): ScheduledScene<S, T> => {
      const part = (seenParts.get(record.id) ?? 0) + 1;
      seenParts.set(record.id, part);
      const before = seenShots.get(record.id) ?? 0;
      seenShots.set(record.id, before + shots.length);
      return {
        scene: record,
        shots,
        part,
        parts: partsOfScene.get(record.id) ?? 1,
        eighths: shareOfPages(record.pageEighths, before, shots.length, totalShots.get(record.id) ?? 0),
      };
    });
    return {
      number: index + 1,
      banner: day.banner,
      scenes,
      eighths: scenes.reduce((sum, part) => sum + (part.eighths ?? 0), 0),
    };
  });
}

/**
 * A part's eighths: the scene's pages in proportion to the part's shots, rounded at the
 * cumulative boundaries so the parts always add up to the whole scene.
 */
function shareOfPages(pageEighths: number | null, shotsBefore: number, shots: number, total: number): number | null {
  if (pageEighths === null || !Number.isFinite(pageEighths) || pageEighths <= 0) return null;
  if (total === 0) return Math.round(pageEighths);
  return Math.round((pageEighths * (shotsBefore + shots)) / total) - Math.round((pageEighths * shotsBefore) / total);
}
