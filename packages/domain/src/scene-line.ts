/**
 * A scheduled scene as the printed reports and the call sheet show it on one line: number,
 * INT/EXT, set, D/N, pages, synopsis and cast ids.
 */
import { formatPageLength } from './board-entry.ts';
import { parseSceneHeading } from './screenplay-grammar.ts';
import type { ScheduleScene, ScheduledScene } from './shooting-schedule.ts';

/** The scene columns a report reads (the synced `scenes` columns, camelCased). */
export interface ReportScene extends ScheduleScene {
  readonly number: string;
  readonly heading: string;
  readonly location: string;
  readonly timeOfDay: string;
  readonly synopsis: string;
}

export interface SceneLine {
  readonly sceneId: string;
  readonly number: string;
  readonly heading: string;
  /** `INT`, `EXT`, `INT/EXT`… or '' when the heading names none. */
  readonly intExt: string;
  /** The set or location: the scene's own location, else the heading's. */
  readonly set: string;
  readonly timeOfDay: string;
  readonly synopsis: string;
  /** This day's pages of the scene in eighths; null when unknown. */
  readonly eighths: number | null;
  /** Part `part` of `parts` when a day break splits the scene (1 of 1 when whole). */
  readonly part: number;
  readonly parts: number;
  readonly castIds: readonly number[];
}

export function sceneLineOf(scheduled: ScheduledScene<ReportScene>, castIds: readonly number[]): SceneLine {
  const { scene } = scheduled;
  const parsed = parseSceneHeading(scene.heading);
  return {
    sceneId: scene.id,
    number: scene.number,
    heading: scene.heading,
    intExt: parsed.intExt,
    set: scene.location.trim() || parsed.location,
    timeOfDay: (scene.timeOfDay.trim() || parsed.timeOfDay).toUpperCase(),
    synopsis: scene.synopsis,
    eighths: scheduled.eighths,
    part: scheduled.part,
    parts: scheduled.parts,
    castIds,
  };
}

/** `12` for a whole scene, `12 (pt 1/2)` for the first part of one split across two days. */
export function sceneNumberText(line: Pick<SceneLine, 'number' | 'part' | 'parts'>): string {
  return line.parts > 1 ? `${line.number} (pt ${line.part}/${line.parts})` : line.number;
}

/** Cast ids as a strip prints them: `1, 2, 5`. */
export function castIdsText(ids: readonly number[]): string {
  return ids.join(', ');
}

/** A length as a sentence says it: `1 page`, `2 3/8 pages`, `0 pages` for none. */
export function pagesPhrase(eighths: number): string {
  const text = formatPageLength(eighths) || '0';
  return `${text} ${text === '1' ? 'page' : 'pages'}`;
}
