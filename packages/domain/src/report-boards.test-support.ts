/**
 * Readable boards for the report tests (not part of the package's exports): a list of
 * day breaks and scenes (with their shots and inner day breaks) top to bottom, turned into
 * the records and ordered rows the app would hold.
 */
import type { ReportBanner } from './call-sheet.ts';
import { keysBetween } from './fractional-key.ts';
import { type CastMember, type CastPerson, type Casting, castOfCharacters } from './scene-cast.ts';
import type { ReportScene } from './scene-line.ts';
import { type StripRow, flattenStripboard } from './shooting-days.ts';
import type { ReportShot } from './shot-list-report.ts';

export type BoardItem =
  | { readonly day: string; readonly date?: string; readonly label?: string }
  | {
      readonly scene: string;
      readonly heading: string;
      readonly eighths?: number | null;
      readonly synopsis?: string;
      /** Shot labels, and `{ day }` for a day break inside the scene. */
      readonly shots?: readonly (string | { readonly day: string; readonly date?: string })[];
    };

export interface ReportBoard {
  scenes: (ReportScene & { sortKey: string })[];
  shots: (ReportShot & { sortKey: string })[];
  banners: (ReportBanner & { sortKey: string })[];
  rows: StripRow<ReportScene, ReportShot, ReportBanner>[];
}

export function reportBoard(items: readonly BoardItem[]): ReportBoard {
  const top = keysBetween(null, null, Math.max(items.length, 1));
  const scenes: ReportBoard['scenes'] = [];
  const shots: ReportBoard['shots'] = [];
  const banners: ReportBoard['banners'] = [];
  items.forEach((item, index) => {
    const sortKey = top[index] as string;
    if ('day' in item) {
      banners.push({ id: item.day, sceneId: null, sortKey, date: item.date ?? '', label: item.label ?? '' });
      return;
    }
    const id = `scene-${item.scene}`;
    scenes.push({
      id,
      sortKey,
      number: item.scene,
      heading: item.heading,
      location: '',
      timeOfDay: '',
      synopsis: item.synopsis ?? '',
      pageEighths: item.eighths === undefined ? 8 : item.eighths,
    });
    const inner = item.shots ?? [];
    const keys = keysBetween(null, null, Math.max(inner.length, 1));
    inner.forEach((entry, i) => {
      const key = keys[i] as string;
      if (typeof entry === 'string') {
        shots.push({
          id: `shot-${entry}`,
          sceneId: id,
          sortKey: key,
          label: entry,
          size: '',
          movement: '',
          lens: '',
          description: '',
          durationS: null,
          done: false,
        });
      } else {
        banners.push({ id: entry.day, sceneId: id, sortKey: key, date: entry.date ?? '', label: '' });
      }
    });
  });
  return { scenes, shots, banners, rows: flattenStripboard(scenes, shots, banners) };
}

/** Each scene's cast from its characters, as the app joins them (CS2). */
export function castOfScenes<P extends CastPerson>(
  characters: ReadonlyMap<string, readonly string[]>,
  castings: readonly Casting[],
  people: readonly P[],
): Map<string, CastMember<P>[]> {
  return new Map([...characters].map(([sceneId, names]) => [sceneId, castOfCharacters(names, castings, people)]));
}
