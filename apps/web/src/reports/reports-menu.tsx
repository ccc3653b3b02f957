'use client';
// Printed reports from the board, made in this browser from the local database: nothing
// goes to the server, so they work offline on location. pdf-lib loads on first use.
import {
  type ShotListOrder,
  type CastMember,
  deriveOneLiner,
  deriveSchedule,
  shotListCsv,
  shotListGroups,
} from '@clapper/domain';
import { useState } from 'react';
import { download, safeFileName } from '../lib/download.ts';
import type { Row } from '../shotlist/strip-rows.tsx';
import { loadReportRenderers, usePreloadedReportRenderers } from './load-report-renderers.ts';

interface ReportsMenuProps {
  production: string;
  rows: readonly Row[];
  /** Each scene's cast (by scene id), for the cast ids a one-liner prints. */
  cast: ReadonlyMap<string, readonly CastMember[]>;
}

type Report = 'shot-list-pdf' | 'shot-list-csv' | 'one-liner-pdf';

export function ReportsMenu({ production, rows, cast }: ReportsMenuProps) {
  usePreloadedReportRenderers();
  const [order, setOrder] = useState<ShotListOrder>('scene');
  const [busy, setBusy] = useState<Report | null>(null);
  const [status, setStatus] = useState<{ text: string; error?: boolean } | null>(null);
  const base = safeFileName(production, 'Clapper');

  const make = (report: Report) => {
    if (busy) return;
    setBusy(report);
    setStatus(null);
    const schedule = deriveSchedule(rows);
    const work = async (): Promise<string> => {
      if (report === 'shot-list-csv') {
        const name = `${base} - Shot list by ${order}.csv`;
        download(name, shotListCsv(shotListGroups(schedule, order)), 'text/csv;charset=utf-8;header=present');
        return name;
      }
      if (report === 'shot-list-pdf') {
        const { renderShotListPdf } = await loadReportRenderers();
        const bytes = await renderShotListPdf({ production, order, groups: shotListGroups(schedule, order) });
        const name = `${base} - Shot list by ${order}.pdf`;
        download(name, bytes as Uint8Array<ArrayBuffer>, 'application/pdf');
        return name;
      }
      const { renderOneLinerPdf } = await loadReportRenderers();
      const bytes = await renderOneLinerPdf({ production, oneLiner: deriveOneLiner(schedule, cast) });
      const name = `${base} - One-liner.pdf`;
      download(name, bytes as Uint8Array<ArrayBuffer>, 'application/pdf');
      return name;
    };
    work()
      .then((name) => setStatus({ text: `Saved ${name}.` }))
      .catch((failure: unknown) =>
        setStatus({
          text: `The report could not be made: ${failure instanceof Error ? failure.message : String(failure)}`,
          error: true,
        }),
      )
      .finally(() => setBusy(null));
  };

  return (
    <details className="reports-menu" data-testid="reports-menu">
      <summary className="btn">Reports</summary>
      <div className="reports-menu-panel" role="group" aria-label="Reports">
        <label className="reports-menu-order">
          Shot list
          <select
            aria-label="Shot list order"
            value={order}
            onChange={(event) => setOrder(event.target.value === 'day' ? 'day' : 'scene')}
          >
            <option value="scene">by scene</option>
            <option value="day">by day</option>
          </select>
        </label>
        <button type="button" className="btn" disabled={busy !== null} onClick={() => make('shot-list-pdf')}>
          {busy === 'shot-list-pdf' ? 'Making PDF…' : 'Shot list PDF'}
        </button>
        <button type="button" className="btn" disabled={busy !== null} onClick={() => make('shot-list-csv')}>
          Shot list CSV
        </button>
        <button type="button" className="btn" disabled={busy !== null} onClick={() => make('one-liner-pdf')}>
          {busy === 'one-liner-pdf' ? 'Making PDF…' : 'One-liner PDF'}
        </button>
        {status && (
          <p className={status.error ? 'error-text' : 'muted'} role={status.error ? 'alert' : 'status'}>
            {status.text}
          </p>
        )}
      </div>
    </details>
  );
}
