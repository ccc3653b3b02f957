'use client';
import type { Database } from '@nozbe/watermelondb';
import { compareKeys } from '@clapper/domain';
import { useEffect, useRef } from 'react';
import { prepareCreateShared } from '@clapper/sync-client';
import { useTableRecords } from '../lib/use-records.ts';

/**
 * The project's script record. Created once the script is open (`open`: the one view that
 * writes into it; a device that only looks at the board pushes nothing) and a sync proved
 * none exists, with the project id as its id: two devices doing this at once write the
 * same id, which the server treats as one record. Its title (the project's name) is a
 * default, not a choice (`prepareCreateShared` with none chosen, C21): a device that
 * creates it after another never overwrites the title that one set. Should several exist
 * anyway, every device shows the one with the smallest id.
 */
export function useProjectScript(options: {
  database: Database;
  projectId: string;
  projectName: string;
  synced: boolean;
  canWrite: boolean;
  /** The script view is open. */
  open: boolean;
}): { scriptId: string | null; loading: boolean } {
  const { database, projectId, projectName, synced, canWrite, open } = options;
  const scripts = useTableRecords(database, 'scripts');
  const creating = useRef(false);
  const scriptId = scripts && scripts.length > 0 ? ([...scripts].map((s) => s.id).sort(compareKeys)[0] ?? null) : null;

  useEffect(() => {
    if (!open || !scripts || scripts.length > 0 || !synced || !canWrite || creating.current) return;
    creating.current = true;
    database
      .write(() =>
        database.batch(
          prepareCreateShared(database.get('scripts'), projectId, { title: projectName || 'Untitled' }, []),
        ),
      )
      .catch(() => {
        // Another tab created it between our read and write: the observer shows it.
        creating.current = false;
      });
  }, [open, scripts, synced, canWrite, database, projectId, projectName]);

  return { scriptId, loading: scripts === null };
}
