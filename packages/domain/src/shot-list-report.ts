/**
 * The shot list as it prints and exports: by scene (script order, for the camera
 * department's prep) or by day (shooting order, for the floor), and as CSV rows.
 */
import type { ReportSchedule } from './call-sheet.ts';
import { type CsvField, toCsv } from './csv.ts';
import { compareSceneNumbers } from './scene-numbers.ts';
import type { StripShot } from './shooting-days.ts';

/** The shot columns a report reads (the synced `shots` columns, camelCased). */
export interface ReportShot extends StripShot {
  readonly label: string;
  readonly size: string;
  readonly movement: string;
  readonly lens: string;
  readonly description: string;
  readonly durationS: number | null;
  readonly done: boolean;
}

export type ShotListOrder = 'scene' | 'day';

export interface ShotListScene {
  readonly sceneId: string;
  readonly number: string;
  readonly heading: string;
  readonly shots: readonly { readonly shot: ReportShot; readonly day: number }[];
}

export interface ShotListGroup {
  /** `Scene 12 — INT. KITCHEN - NIGHT` or `Day 3 — Tue 10 Mar`. */
  readonly title: string;
  readonly scenes: readonly ShotListScene[];
}

/** Script order: production order of scene numbers (`A1` < `1` < `1A` < `2`); others after, as text. */
function scriptOrder(a: string, b: string): number {
  const production = compareSceneNumbers(a, b);
  if (production !== null) return production;
  const known = (n: string) => compareSceneNumbers(n, n) !== null;
  if (known(a) !== known(b)) return known(a) ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The shot list grouped by scene or by day; every shot once, in its group's board order. */
export function shotListGroups(schedule: ReportSchedule<ReportShot>, order: ShotListOrder): ShotListGroup[] {
  if (order === 'day') {
    return schedule.map((day) => ({
      title: [`Day ${day.number}`, day.banner?.date.trim() ?? '', day.banner?.label.trim() ?? '']
        .filter((part) => part !== '')
        .join(' — '),
      scenes: day.scenes.map(({ scene, shots }) => ({
        sceneId: scene.id,
        number: scene.number,
        heading: scene.heading,
        shots: shots.map((shot) => ({ shot, day: day.number })),
      })),
    }));
  }
  const byScene = new Map<
    string,
    { sceneId: string; number: string; heading: string; shots: ShotListScene['shots'][number][] }
  >();
  for (const day of schedule) {
    for (const { scene, shots } of day.scenes) {
      const entry = byScene.get(scene.id) ?? {
        sceneId: scene.id,
        number: scene.number,
        heading: scene.heading,
        shots: [],
      };
      entry.shots.push(...shots.map((shot) => ({ shot, day: day.number })));
      byScene.set(scene.id, entry);
    }
  }
  // Stable sort: scenes with equal numbers keep their board order.
  return [...byScene.values()]
    .sort((a, b) => scriptOrder(a.number, b.number))
    .map((scene) => ({ title: `Scene ${scene.number} — ${scene.heading}`.trim(), scenes: [scene] }));
}

export const shotListCsvHeader = [
  'Day',
  'Scene',
  'Heading',
  'Shot',
  'Size',
  'Movement',
  'Lens',
  'Description',
  'Duration (s)',
  'Done',
] as const;

/** The shot list as CSV (RFC 4180), one record per shot in the groups' order. */
export function shotListCsv(groups: readonly ShotListGroup[]): string {
  const rows: CsvField[][] = [];
  for (const group of groups) {
    for (const scene of group.scenes) {
      for (const { shot, day } of scene.shots) {
        rows.push([
          day,
          scene.number,
          scene.heading,
          shot.label,
          shot.size,
          shot.movement,
          shot.lens,
          shot.description,
          shot.durationS,
          shot.done ? 'yes' : 'no',
        ]);
      }
    }
  }
  return toCsv(shotListCsvHeader, rows);
}
