'use client';
// The call sheets: one per shooting day. What the board decides (scenes, pages, cast ids,
// who works, the advance schedule) is derived live; what the AD types (calls, locations,
// hospital, weather, notes, each person's times) is synced fields, edited by several
// people at once like the board's cells.
import type { Database } from '@nozbe/watermelondb';
import {
  type CallSheetContent,
  type CallSheetDay,
  type CastMember,
  castCallLines,
  castIdsText,
  crewCallsByDepartment,
  deriveCallSheet,
  formatPageLength,
  pagesPhrase,
  sceneNumberText,
} from '@clapper/domain';
import { useState } from 'react';
import { download, safeFileName } from '../lib/download.ts';
import { loadReportRenderers, usePreloadedReportRenderers } from '../reports/load-report-renderers.ts';
import { EditableText } from '../shotlist/editable-field.tsx';
import { addOpeningBanner } from '../shotlist/stripboard-actions.ts';
import { castCallIdOf, crewCallIdOf, saveCallSheet, saveCastCall, saveCrewCall } from './call-sheet-actions.ts';
import { EditableArea } from './editable-area.tsx';
import { OwnForm } from '../components/own-form.tsx';
import { type CallSheetData, type CallSheetRecord, useCallSheetData } from './use-call-sheet-data.ts';

interface CallSheetsProps {
  database: Database;
  production: string;
  readOnly: boolean;
  /** Each board scene's cast (by scene id), from the script and the castings. */
  sceneCast: ReadonlyMap<string, readonly CastMember[]>;
  /** The day shown: its day break's id, `null` for a Day 1 above every break. */
  day: string | null;
  onDay: (day: string | null) => void;
}

const pages = (eighths: number): string => formatPageLength(eighths) || '0';

function dayTitle(day: Pick<CallSheetDay, 'number' | 'date' | 'label'>): string {
  return [`Day ${day.number}`, day.date.trim(), day.label.trim()].filter((part) => part !== '').join(' · ');
}

export function CallSheets({ database, production, readOnly, sceneCast, day, onDay }: CallSheetsProps) {
  usePreloadedReportRenderers();
  const data = useCallSheetData(database);
  const [error, setError] = useState<string | null>(null);
  const run = (work: Promise<unknown>) => {
    work
      .then(() => setError(null))
      .catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)));
  };
  if (!data) {
    return (
      <div className="strip-empty" aria-busy="true">
        Opening the local call sheets…
      </div>
    );
  }
  const { schedule } = data;
  const shown = schedule.find((d) => (d.banner?.id ?? null) === day) ?? schedule[0];
  const content = shown ? deriveCallSheet(schedule, shown.banner?.id ?? null, sceneCast) : null;
  return (
    <div className="call-sheets" data-testid="call-sheets">
      <nav className="call-sheet-days" aria-label="Shooting days">
        <h2>Call sheets</h2>
        {schedule.length === 0 && <p className="muted">No scenes on the board yet.</p>}
        {schedule.map((d) => {
          const key = d.banner?.id ?? null;
          const active = d === shown;
          return (
            <button
              key={key ?? 'day-1'}
              type="button"
              className={`call-sheet-day${active ? ' active' : ''}`}
              aria-current={active ? 'page' : undefined}
              data-day={d.number}
              onClick={() => onDay(key)}
            >
              <strong>Day {d.number}</strong>
              <span className="muted">
                {d.banner?.date.trim() || 'no date'} · {pages(d.eighths)} pp
              </span>
            </button>
          );
        })}
      </nav>
      {error && (
        <div className="error-banner" role="alert">
          {error}
        </div>
      )}
      {content && (
        <CallSheet
          key={content.day.bannerId ?? 'day-1'}
          database={database}
          production={production}
          readOnly={readOnly}
          data={data}
          content={content}
          run={run}
        />
      )}
    </div>
  );
}

interface CallSheetProps {
  database: Database;
  production: string;
  readOnly: boolean;
  data: CallSheetData;
  content: CallSheetContent;
  run: (work: Promise<unknown>) => void;
}

const blankSheet: Omit<CallSheetRecord, 'id' | 'dayBannerId'> = {
  crewCall: '',
  shootingCall: '',
  locations: '',
  parking: '',
  hospital: '',
  weather: '',
  notes: '',
};

function CallSheet({ database, production, readOnly, data, content, run }: CallSheetProps) {
  const { day } = content;
  const bannerId = day.bannerId;
  const sheet = (bannerId && data.sheets.find((s) => s.id === bannerId)) || { ...blankSheet, id: '', dayBannerId: '' };
  // Day 1 above every break has no day break to hang typed fields on until one is added.
  const typedReadOnly = readOnly || bannerId === null;
  const sheetId = bannerId ?? '';
  const castLines = castCallLines(
    content.cast,
    data.castCalls.filter((call) => call.callSheetId === sheetId),
    data.people,
  );
  const crew = crewCallsByDepartment(
    data.people,
    data.castings,
    data.crewCalls.filter((call) => call.callSheetId === sheetId),
  );
  const field = (label: string, key: keyof typeof blankSheet, placeholder: string, kind: 'line' | 'area' = 'line') => {
    const onCommit = (value: string) => bannerId && run(saveCallSheet(database, bannerId, { [key]: value }));
    const Editable = kind === 'line' ? EditableText : EditableArea;
    return (
      <OwnForm>
        <label className={`call-sheet-field call-sheet-${kind}`}>
          <span className="call-sheet-label">{label}</span>
          <Editable
            label={label}
            value={sheet[key]}
            readOnly={typedReadOnly}
            placeholder={placeholder}
            onCommit={onCommit}
          />
        </label>
      </OwnForm>
    );
  };
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ text: string; error?: boolean } | null>(null);
  const exportPdf = () => {
    if (busy) return;
    setBusy(true);
    setStatus(null);
    const name = `${safeFileName(production, 'Clapper')} - Call sheet Day ${day.number}.pdf`;
    loadReportRenderers()
      .then(({ renderCallSheetPdf }) => renderCallSheetPdf({ production, content, sheet, cast: castLines, crew }))
      .then((bytes) => {
        download(name, bytes as Uint8Array<ArrayBuffer>, 'application/pdf');
        setStatus({ text: `Saved ${name}.` });
      })
      .catch((failure: unknown) =>
        setStatus({
          text: `The PDF could not be made: ${failure instanceof Error ? failure.message : String(failure)}`,
          error: true,
        }),
      )
      .finally(() => setBusy(false));
  };

  return (
    <article
      className="call-sheet"
      data-testid="call-sheet"
      data-day={day.number}
      aria-label={`Call sheet, day ${day.number}`}
    >
      <header className="call-sheet-head">
        <div>
          <h2>{production} — Call sheet</h2>
          <p className="muted" data-testid="call-sheet-day">
            {[`Day ${day.number} of ${content.dayCount}`, day.date.trim(), day.label.trim(), pagesPhrase(day.eighths)]
              .filter((part) => part !== '')
              .join(' · ')}
          </p>
        </div>
        <div className="call-sheet-actions">
          <button type="button" className="btn btn-primary" disabled={busy} onClick={exportPdf}>
            {busy ? 'Making PDF…' : 'Download PDF'}
          </button>
          {status && (
            <span className={status.error ? 'error-text' : 'muted'} role={status.error ? 'alert' : 'status'}>
              {status.text}
            </span>
          )}
        </div>
      </header>
      {bannerId === null && (
        <div className="readonly-banner">
          Day 1 starts above the first day break, so it has no break to keep its calls and notes on.
          {!readOnly && (
            <button type="button" className="btn btn-small" onClick={() => run(addOpeningBanner(database, data.rows))}>
              Add a day break at the top
            </button>
          )}
        </div>
      )}
      <section className="call-sheet-grid" aria-label="Calls and locations">
        {field('General crew call', 'crewCall', '07:00')}
        {field('Shooting call', 'shootingCall', '08:00')}
        {field('Weather', 'weather', 'Sunny, 14°C; sunrise 06:52, sunset 17:31')}
        {field('Locations', 'locations', 'Set name\nStreet, town', 'area')}
        {field('Parking', 'parking', 'Where the trucks and cars go', 'area')}
        {field('Nearest hospital', 'hospital', 'Name, address, phone', 'area')}
      </section>

      <section aria-label="Scenes">
        <h3>Scenes</h3>
        <SceneTable day={day} testId="call-sheet-scenes" />
      </section>

      <section aria-label="Cast">
        <h3>Cast</h3>
        {castLines.length === 0 ? (
          <p className="muted">Nobody cast plays in today’s scenes.</p>
        ) : (
          <table className="call-sheet-table" data-testid="cast-calls">
            <thead>
              <tr>
                <th>ID</th>
                <th>Character</th>
                <th>Cast</th>
                <th>Pick-up</th>
                <th>Hair & makeup</th>
                <th>On set</th>
                <th>Remarks</th>
              </tr>
            </thead>
            <tbody>
              {castLines.map((line) => {
                const { person, call } = line;
                const save = (patch: Parameters<typeof saveCastCall>[4]) =>
                  bannerId &&
                  run(
                    saveCastCall(database, bannerId, person.id, call?.id ?? castCallIdOf(bannerId, person.id), patch),
                  );
                return (
                  <tr
                    key={person.id}
                    data-testid="cast-call"
                    data-person={person.name}
                    className={line.working ? '' : 'not-working'}
                  >
                    <td>{person.castNumber ?? ''}</td>
                    <td>{line.working ? line.characters.join(', ') : 'not in today’s scenes'}</td>
                    <td>{person.name}</td>
                    <TypedCalls
                      person={person.name}
                      values={call}
                      readOnly={typedReadOnly}
                      fields={[
                        { key: 'pickup', label: 'Pick-up', placeholder: '06:00' },
                        { key: 'makeup', label: 'Hair & makeup', placeholder: '06:30' },
                        { key: 'onSet', label: 'On set', placeholder: '07:30' },
                        { key: 'notes', label: 'Remarks' },
                      ]}
                      onCommit={save}
                    />
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>

      <section aria-label="Crew calls">
        <h3>Crew calls</h3>
        {crew.length === 0 ? (
          <p className="muted">No crew on the cast & crew list yet.</p>
        ) : (
          <table className="call-sheet-table" data-testid="crew-calls">
            <thead>
              <tr>
                <th>Department</th>
                <th>Name</th>
                <th>Job</th>
                <th>Call</th>
                <th>Notes</th>
              </tr>
            </thead>
            <tbody>
              {crew.flatMap((department) =>
                department.lines.map(({ person, call }, index) => {
                  const save = (patch: Parameters<typeof saveCrewCall>[4]) =>
                    bannerId &&
                    run(
                      saveCrewCall(database, bannerId, person.id, call?.id ?? crewCallIdOf(bannerId, person.id), patch),
                    );
                  return (
                    <tr key={person.id} data-testid="crew-call" data-person={person.name}>
                      <td>{index === 0 ? department.department || 'Other' : ''}</td>
                      <td>{person.name}</td>
                      <td>{person.role}</td>
                      <TypedCalls
                        person={person.name}
                        values={call}
                        readOnly={typedReadOnly}
                        fields={[
                          { key: 'call', label: 'Call', placeholder: sheet.crewCall || 'crew call' },
                          { key: 'notes', label: 'Notes' },
                        ]}
                        onCommit={save}
                      />
                    </tr>
                  );
                }),
              )}
            </tbody>
          </table>
        )}
      </section>

      <section aria-label="Advance schedule">
        <h3>Advance schedule{content.advance ? ` — ${dayTitle(content.advance)}` : ''}</h3>
        {content.advance ? (
          <SceneTable day={content.advance} testId="advance-scenes" />
        ) : (
          <p className="muted">The last day on the board.</p>
        )}
      </section>

      <section aria-label="Notes">
        {field('Notes', 'notes', 'Safety, props, wardrobe, vehicles, animals…', 'area')}
      </section>
    </article>
  );
}

/** One person's typed cells on a call sheet; each commits its own column. */
function TypedCalls<K extends string>({
  person,
  values,
  readOnly,
  fields,
  onCommit,
}: {
  person: string;
  values: { readonly [key in K]?: string | null } | null | undefined;
  readOnly: boolean;
  fields: readonly { key: K; label: string; placeholder?: string }[];
  onCommit: (patch: { [key in K]?: string }) => void;
}) {
  return fields.map(({ key, label, placeholder }) => (
    <td key={key}>
      <OwnForm>
        <EditableText
          label={`${label}, ${person}`}
          value={values?.[key] ?? ''}
          readOnly={readOnly}
          placeholder={placeholder}
          onCommit={(value) => onCommit({ [key]: value } as { [key in K]?: string })}
        />
      </OwnForm>
    </td>
  ));
}

function SceneTable({ day, testId }: { day: CallSheetDay; testId: string }) {
  if (day.scenes.length === 0) return <p className="muted">No scenes this day.</p>;
  return (
    <table className="call-sheet-table" data-testid={testId}>
      <thead>
        <tr>
          <th>Sc.</th>
          <th>Set and description</th>
          <th>D/N</th>
          <th>Pages</th>
          <th>Cast</th>
        </tr>
      </thead>
      <tbody>
        {day.scenes.map((line) => (
          <tr key={`${line.sceneId}/${line.part}`} data-testid="sheet-scene" data-number={line.number}>
            <td>{sceneNumberText(line)}</td>
            <td>
              <div>{line.heading}</div>
              {line.synopsis && <div className="muted">{line.synopsis}</div>}
            </td>
            <td>{line.timeOfDay}</td>
            <td>{formatPageLength(line.eighths)}</td>
            <td>{castIdsText(line.castIds)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <td colSpan={3}>Total</td>
          <td data-testid="total-pages">{pages(day.eighths)}</td>
          <td />
        </tr>
      </tfoot>
    </table>
  );
}
