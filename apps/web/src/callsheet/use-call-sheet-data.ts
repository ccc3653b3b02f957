'use client';
// Everything a call sheet reads, live from the local database: the board's schedule, the
// cast and crew, and the typed sheets and calls.
import type { Database } from '@nozbe/watermelondb';
import { type ReportSchedule, deriveSchedule, flattenStripboard } from '@clapper/domain';
import type { RecordSnapshot } from '@clapper/schema';
import { useMemo } from 'react';
import { useTableRecords } from '../lib/use-records.ts';
import { withSceneNumbers } from '../shotlist/numbered-rows.ts';
import type { Row } from '../shotlist/strip-rows.tsx';

export type PersonRecord = RecordSnapshot<'people'>;
export type CallSheetRecord = RecordSnapshot<'call_sheets'>;
export type CastCallRecord = RecordSnapshot<'cast_calls'>;
export type CrewCallRecord = RecordSnapshot<'crew_calls'>;

export interface CallSheetData {
  rows: readonly Row[];
  schedule: ReportSchedule;
  people: readonly PersonRecord[];
  castings: readonly RecordSnapshot<'castings'>[];
  sheets: readonly CallSheetRecord[];
  castCalls: readonly CastCallRecord[];
  crewCalls: readonly CrewCallRecord[];
}

/** Null until every table has been read once. */
export function useCallSheetData(database: Database): CallSheetData | null {
  const scenes = useTableRecords(database, 'scenes');
  const shots = useTableRecords(database, 'shots');
  const banners = useTableRecords(database, 'day_banners');
  const people = useTableRecords(database, 'people');
  const castings = useTableRecords(database, 'castings');
  const sheets = useTableRecords(database, 'call_sheets');
  const castCalls = useTableRecords(database, 'cast_calls');
  const crewCalls = useTableRecords(database, 'crew_calls');
  const rows = useMemo(
    // Scenes carry the number the board shows (N1–N3), as on the stripboard.
    () => (scenes && shots && banners ? withSceneNumbers(flattenStripboard(scenes, shots, banners)).rows : null),
    [scenes, shots, banners],
  );
  const schedule = useMemo(() => (rows ? deriveSchedule(rows) : null), [rows]);
  if (!rows || !schedule || !people || !castings || !sheets || !castCalls || !crewCalls) return null;
  return { rows, schedule, people, castings, sheets, castCalls, crewCalls };
}
