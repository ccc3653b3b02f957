/**
 * Deleting from the stripboard. A scene owns its shots and the day breaks inside it, so
 * deleting a scene deletes them too; the plan lists every record, and the app marks them
 * all deleted in one write (one push), so no device ever pulls a shot whose scene is gone
 * because half a delete was synced. A shot or day break deletes only itself: removing a
 * day break inside a scene joins the scene's two days back into one (S6).
 */
import type { StripMove, StripRow } from './shooting-days.ts';

export type StripTable = StripMove['table'];

/** One record a delete removes. */
export interface StripRecordRef {
  readonly table: StripTable;
  readonly id: string;
}

const tableOfKind = { scene: 'scenes', shot: 'shots', banner: 'day_banners' } as const satisfies Record<
  StripRow['kind'],
  StripTable
>;

/** The records deleting row `id` removes, the row itself first; none for an unknown id. */
export function planDelete(rows: readonly StripRow[], id: string): StripRecordRef[] {
  const row = rows.find((candidate) => candidate.id === id);
  if (!row) return [];
  const doomed: StripRecordRef[] = [{ table: tableOfKind[row.kind], id }];
  if (row.kind !== 'scene') return doomed;
  for (const child of rows) {
    if (child.kind !== 'scene' && child.sceneId === id) doomed.push({ table: tableOfKind[child.kind], id: child.id });
  }
  return doomed;
}
