/**
 * The one-liner: the whole schedule on a few pages, one line per scene (or part of a split
 * scene) grouped by shooting day, each day closed by its scene count and pages.
 */
import { type CallSheetDay, type ReportSchedule, callSheetDayOf } from './call-sheet.ts';
import type { CastMember } from './scene-cast.ts';
import { pagesPhrase } from './scene-line.ts';

export interface OneLiner {
  readonly days: readonly CallSheetDay[];
  /** Pages of the whole schedule, in eighths. */
  readonly eighths: number;
  readonly sceneCount: number;
}

/** Every day of the schedule with its scene lines; the total counts a split scene once. */
export function deriveOneLiner(schedule: ReportSchedule, cast: ReadonlyMap<string, readonly CastMember[]>): OneLiner {
  const days = schedule.map((day) => callSheetDayOf(day, cast));
  const scenes = new Set(days.flatMap((day) => day.scenes.map((line) => line.sceneId)));
  return { days, eighths: days.reduce((sum, day) => sum + day.eighths, 0), sceneCount: scenes.size };
}

/** The line closing a day: `End of Day 3 — Tue 10 Mar — 4 scenes — 4 6/8 pages`. */
export function endOfDayText(day: CallSheetDay): string {
  const sceneCount = new Set(day.scenes.map((line) => line.sceneId)).size;
  return [
    `End of Day ${day.number}`,
    day.date.trim(),
    `${sceneCount} ${sceneCount === 1 ? 'scene' : 'scenes'}`,
    pagesPhrase(day.eighths),
  ]
    .filter((part) => part !== '')
    .join(' — ');
}
