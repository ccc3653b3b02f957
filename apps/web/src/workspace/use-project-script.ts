'use client';
import type { Database } from '@nozbe/watermelondb';
import { compareKeys } from '@clapper/domain';
import { useEffect, useRef } from 'react';
import { createRecord } from '../shotlist/stripboard-actions.ts';
import { useTableRecords } from '../lib/use-records.ts';

/**
 * The project's script record. Created once, after a sync proved none exists, with the
 * project id as its id: two devices doing this at once write the same id, which the
 * server treats as one record. Should several exist anyway, every device shows the one
 * with the smallest id.
 */
export function useProjectScript(options: {
  database: Database;
  projectId: string;
  projectName: string;
  synced: boolean;
  canWrite: boolean;
}): { scriptId: string | null; loading: boolean } {
  const { database, projectId, projectName, synced, canWrite } = options;
  const scripts = useTableRecords(database, 'scripts');
  const creating = useRef(false);
  const scriptId = scripts && scripts.length > 0 ? ([...scripts].map((s) => s.id).sort(compareKeys)[0] ?? null) : null;

  useEffect(() => {
    if (!scripts || scripts.length > 0 || !synced || !canWrite || creating.current) return;
    creating.current = true;
    createRecord(database, 'scripts', { title: projectName || 'Untitled' }, projectId).catch(() => {
      // Another tab created it between our read and write: the observer shows it.
      creating.current = false;
    });
  }, [scripts, synced, canWrite, database, projectId, projectName]);

  return { scriptId, loading: scripts === null };
}
