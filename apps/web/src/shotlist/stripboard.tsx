'use client';
import type { Database } from '@nozbe/watermelondb';
import {
  type ShootingDay,
  type ShootingDays,
  type StripRow,
  deriveShootingDays,
  flattenStripboard,
  planMove,
  planStep,
  rowsWithout,
} from '@clapper/domain';
import { type DragEvent, type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useTableRecords } from '../lib/use-records.ts';
import { EditableNumber, EditableSelect, EditableText } from './editable-field.tsx';
import {
  type BannerRecord,
  type SceneRecord,
  type ShotRecord,
  formatDuration,
  formatEighths,
  shotMovements,
  shotSizes,
  timesOfDay,
} from './records.ts';
import { type ScriptSource, buildScenesFromScript } from './build-from-script.ts';
import { Orphans } from './orphans.tsx';
import { addBanner, addScene, addShot, applyStripMove, deleteRow, lastTopLevelKey, updateRecord } from './stripboard-actions.ts';

type Row = StripRow<SceneRecord, ShotRecord, BannerRecord>;

export interface NotesTarget {
  table: 'scenes' | 'shots' | 'day_banners';
  recordId: string;
  title: string;
}

interface StripboardProps {
  database: Database;
  readOnly: boolean;
  onOpenNotes: (target: NotesTarget) => void;
  notesFor: string | null;
  /** The project's script, once it exists: enables "Build from script". */
  scriptSource: ScriptSource | null;
  /** Set when this (read-only) device holds local changes the server refused. */
  onDiscardLocalChanges?: (() => void) | undefined;
}

interface DropTarget {
  rowId: string;
  position: 'before' | 'after';
}

function dayLabel(day: ShootingDay | null): string {
  return day ? `Day ${day.number}` : '—';
}

function sceneDaysLabel(days: readonly (ShootingDay | null)[] | undefined): string {
  if (!days || days.length === 0) return '—';
  if (days.length === 1) return dayLabel(days[0] ?? null);
  return `Days ${days.map((d) => (d ? d.number : '—')).join(' · ')}`;
}

export function Stripboard({ database, readOnly, onOpenNotes, notesFor, scriptSource, onDiscardLocalChanges }: StripboardProps) {
  const scenes = useTableRecords<SceneRecord & { [key: string]: unknown }>(database, 'scenes');
  const shots = useTableRecords<ShotRecord & { [key: string]: unknown }>(database, 'shots');
  const banners = useTableRecords<BannerRecord & { [key: string]: unknown }>(database, 'day_banners');
  const rows: Row[] | null = useMemo(
    () => (scenes && shots && banners ? flattenStripboard(scenes, shots, banners) : null),
    [scenes, shots, banners],
  );
  const days: ShootingDays | null = useMemo(() => (rows ? deriveShootingDays(rows) : null), [rows]);
  const shotCountOfScene = useMemo(() => {
    const counts = new Map<string, number>();
    for (const row of rows ?? []) if (row.kind === 'shot') counts.set(row.sceneId, (counts.get(row.sceneId) ?? 0) + 1);
    return counts;
  }, [rows]);
  const shotsPerDay = useMemo(() => {
    const counts = new Map<string, number>();
    rows?.forEach((row, index) => {
      const day = days?.dayAtRow[index];
      if (row.kind === 'shot' && day) counts.set(day.bannerId, (counts.get(day.bannerId) ?? 0) + 1);
    });
    return counts;
  }, [rows, days]);

  const [dragId, setDragId] = useState<string | null>(null);
  const [dropTarget, setDropTarget] = useState<DropTarget | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [building, setBuilding] = useState(false);
  const [buildMessage, setBuildMessage] = useState<string | null>(null);
  const focusAfterMove = useRef<string | null>(null);

  useEffect(() => {
    const id = focusAfterMove.current;
    if (!id) return;
    const element = document.querySelector<HTMLElement>(`[data-row-id="${CSS.escape(id)}"]`);
    if (element && document.activeElement !== element) element.focus();
    focusAfterMove.current = null;
  }, [rows]);

  if (!rows || !days) {
    return <div className="strip-empty" aria-busy="true">Opening the local shot list…</div>;
  }

  const run = (work: Promise<unknown>) => {
    work.then(() => setError(null)).catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)));
  };

  const dropSlot = (target: DropTarget, movingId: string): number | null => {
    const index = rows.findIndex((row) => row.id === target.rowId);
    if (index < 0) return null;
    const position = index + (target.position === 'after' ? 1 : 0);
    const rest = new Set(rowsWithout(rows, movingId).map((row) => row.id));
    let slot = 0;
    for (let i = 0; i < position; i++) if (rest.has((rows[i] as Row).id)) slot++;
    return slot;
  };

  const onDragStart = (event: DragEvent<HTMLElement>, row: Row) => {
    if (readOnly) return;
    const rowElement = event.currentTarget.closest<HTMLElement>('.strip-row');
    if (rowElement) event.dataTransfer.setDragImage(rowElement, 12, 12);
    event.dataTransfer.effectAllowed = 'move';
    event.dataTransfer.setData('text/plain', row.id);
    setDragId(row.id);
  };

  const onDragOver = (event: DragEvent<HTMLElement>, row: Row) => {
    if (readOnly || dragId === null) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    const rect = event.currentTarget.getBoundingClientRect();
    const position = event.clientY < rect.top + rect.height / 2 ? 'before' : 'after';
    if (dropTarget?.rowId !== row.id || dropTarget.position !== position) setDropTarget({ rowId: row.id, position });
  };

  const onDrop = (event: DragEvent<HTMLElement>) => {
    event.preventDefault();
    const movingId = dragId ?? event.dataTransfer.getData('text/plain');
    const target = dropTarget;
    setDragId(null);
    setDropTarget(null);
    if (!movingId || !target || target.rowId === movingId) return;
    const slot = dropSlot(target, movingId);
    if (slot === null) return;
    const move = planMove(rows, movingId, slot);
    if (move) run(applyStripMove(database, move));
  };

  const onRowKeyDown = (event: KeyboardEvent<HTMLElement>, row: Row) => {
    if (readOnly || event.target !== event.currentTarget) return;
    if (event.altKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
      event.preventDefault();
      const move = planStep(rows, row.id, event.key === 'ArrowUp' ? -1 : 1);
      if (move) {
        focusAfterMove.current = row.id;
        run(applyStripMove(database, move));
      }
    } else if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      event.preventDefault();
      const index = rows.findIndex((r) => r.id === row.id);
      const next = rows[index + (event.key === 'ArrowUp' ? -1 : 1)];
      if (next) document.querySelector<HTMLElement>(`[data-row-id="${CSS.escape(next.id)}"]`)?.focus();
    }
  };

  const rowProps = (row: Row, label: string) => {
    const isDrop = dropTarget?.rowId === row.id;
    const movingClass = dragId === row.id || (dragId !== null && row.sceneId === dragId) ? ' is-dragging' : '';
    const dropClass = isDrop ? ` drop-${dropTarget.position}` : '';
    return {
      'data-row-id': row.id,
      'data-kind': row.kind,
      tabIndex: 0,
      'aria-label': label,
      onDragOver: (event: DragEvent<HTMLElement>) => onDragOver(event, row),
      onDrop,
      onKeyDown: (event: KeyboardEvent<HTMLElement>) => onRowKeyDown(event, row),
      className: `strip-row strip-${row.kind}${movingClass}${dropClass}${notesFor === row.id ? ' has-notes-open' : ''}`,
    };
  };

  // Only the handle starts a drag, so selecting text in a cell never drags the row.
  const grip = (row: Row) => (
    <span
      className="grip"
      data-testid="drag-handle"
      draggable={!readOnly}
      aria-hidden="true"
      onDragStart={(event) => onDragStart(event, row)}
      onDragEnd={() => {
        setDragId(null);
        setDropTarget(null);
      }}
    >
      {readOnly ? '' : '⠿'}
    </span>
  );

  const sceneCount = scenes?.length ?? 0;

  const buildFromScript = () => {
    if (!scriptSource || building) return;
    setBuilding(true);
    setBuildMessage(null);
    buildScenesFromScript(database, scriptSource, scenes ?? [], lastTopLevelKey(rows))
      .then(({ headings, created }) =>
        setBuildMessage(
          headings === 0
            ? 'The script has no scene headings yet.'
            : created === 0
              ? `All ${headings} scenes of the script are already on the board.`
              : `Added ${created} scene${created === 1 ? '' : 's'} from the script.`,
        ),
      )
      .catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)))
      .finally(() => setBuilding(false));
  };

  return (
    <div className="stripboard" data-testid="stripboard">
      <div className="strip-toolbar">
        <div className="strip-toolbar-title">
          <h2>Shot list</h2>
          <span className="muted">
            {sceneCount} scenes · {shots?.length ?? 0} shots · {days.days.length} shooting days
          </span>
          {buildMessage && (
            <span className="build-message" role="status" data-testid="build-message">
              {buildMessage}
            </span>
          )}
        </div>
        {!readOnly && (
          <div className="strip-toolbar-actions">
            <button
              type="button"
              className="btn"
              disabled={!scriptSource || building}
              title={scriptSource ? 'Add a scene for every scene heading in the script' : 'The script is not ready yet'}
              onClick={buildFromScript}
            >
              {building ? 'Reading script…' : 'Build from script'}
            </button>
            <button type="button" className="btn" onClick={() => run(addBanner(database, rows))}>
              + Day break
            </button>
            <button type="button" className="btn btn-primary" onClick={() => run(addScene(database, rows, sceneCount))}>
              + Scene
            </button>
          </div>
        )}
      </div>
      {readOnly && (
        <div className="readonly-banner">
          View only — you can read this project but not change it.
          {onDiscardLocalChanges && (
            <button type="button" className="btn btn-small" onClick={onDiscardLocalChanges}>
              Discard local changes
            </button>
          )}
        </div>
      )}
      {error && (
        <div className="error-banner" role="alert">
          {error}
        </div>
      )}
      <div className="strip-head" aria-hidden="true">
        <span />
        <span>Shot</span>
        <span>Size</span>
        <span>Movement</span>
        <span>Lens</span>
        <span>Description</span>
        <span>Dur. (s)</span>
        <span>Done</span>
        <span>Day</span>
        <span />
      </div>
      <div className="strip-rows" role="list" onDragOver={(event) => dragId && event.preventDefault()}>
        {rows.length === 0 && (
          <div className="strip-empty">
            No scenes yet.{' '}
            {!readOnly && (
              <button type="button" className="btn-link" onClick={() => run(addScene(database, rows, 0))}>
                Add the first scene
              </button>
            )}
          </div>
        )}
        {rows.map((row, index) => {
          if (row.kind === 'banner') {
            const day = days.dayAtRow[index] ?? null;
            const banner = row.banner;
            return (
              <div key={row.id} role="listitem" data-testid="day-banner" data-day={day?.number ?? ''} {...rowProps(row, `Day ${day?.number ?? ''} break`)}>
                {grip(row)}
                <span className="banner-day">{dayLabel(day)}</span>
                <EditableText
                  label="Day label"
                  value={banner.label}
                  placeholder="Label (e.g. Stage 4)"
                  readOnly={readOnly}
                  onCommit={(label) => run(updateRecord(database, 'day_banners', row.id, { label }))}
                />
                <EditableText
                  label="Shoot date"
                  value={banner.date}
                  placeholder="Date"
                  readOnly={readOnly}
                  onCommit={(date) => run(updateRecord(database, 'day_banners', row.id, { date }))}
                />
                <span className="banner-summary muted">
                  {shotsPerDay.get(row.id) ?? 0} {(shotsPerDay.get(row.id) ?? 0) === 1 ? 'shot' : 'shots'}
                  {row.sceneId ? ' · splits a scene' : ''}
                </span>
                <span className="row-actions">
                  {!readOnly && (
                    <button type="button" className="icon-btn" aria-label="Delete day break" onClick={() => run(deleteRow(database, rows, row))}>
                      ✕
                    </button>
                  )}
                </span>
              </div>
            );
          }
          if (row.kind === 'scene') {
            const scene = row.scene;
            const spans = days.daysOfScene.get(row.id);
            return (
              <div
                key={row.id}
                role="listitem"
                data-testid="scene-row"
                data-number={scene.number}
                data-days={(spans ?? []).map((d) => d?.number ?? 0).join(',')}
                {...rowProps(row, `Scene ${scene.number}`)}
              >
                {grip(row)}
                <EditableText
                  className="scene-number"
                  label="Scene number"
                  value={scene.number}
                  readOnly={readOnly}
                  onCommit={(number) => run(updateRecord(database, 'scenes', row.id, { number }))}
                />
                <EditableText
                  className="scene-heading"
                  label="Scene heading"
                  value={scene.heading}
                  placeholder="INT. LOCATION - DAY"
                  readOnly={readOnly}
                  onCommit={(heading) => run(updateRecord(database, 'scenes', row.id, { heading }))}
                />
                <EditableText
                  label="Location"
                  value={scene.location}
                  placeholder="Location"
                  readOnly={readOnly}
                  onCommit={(location) => run(updateRecord(database, 'scenes', row.id, { location }))}
                />
                <EditableSelect
                  label="Time of day"
                  value={scene.timeOfDay}
                  options={timesOfDay}
                  readOnly={readOnly}
                  onCommit={(timeOfDay) => run(updateRecord(database, 'scenes', row.id, { timeOfDay }))}
                />
                <EditableNumber
                  label="Page eighths"
                  className="scene-pages"
                  format={formatEighths}
                  value={scene.pageEighths}
                  placeholder="8ths"
                  readOnly={readOnly}
                  onCommit={(pageEighths) => run(updateRecord(database, 'scenes', row.id, { pageEighths }))}
                />
                <span className="scene-days" data-testid="scene-days" title={formatEighths(scene.pageEighths) ? `${formatEighths(scene.pageEighths)} pages` : undefined}>
                  {sceneDaysLabel(spans)}
                </span>
                <span className="row-actions">
                  <button type="button" className="icon-btn" aria-label={`Notes on scene ${scene.number}`} onClick={() => onOpenNotes({ table: 'scenes', recordId: row.id, title: `Scene ${scene.number}` })}>
                    ✎
                  </button>
                  {!readOnly && (
                    <>
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={() => run(addShot(database, rows, scene, shotCountOfScene.get(row.id) ?? 0))}
                      >
                        + Shot
                      </button>
                      <button
                        type="button"
                        className="icon-btn"
                        aria-label={`Delete scene ${scene.number}`}
                        onClick={() => {
                          const count = shotCountOfScene.get(row.id) ?? 0;
                          if (count === 0 || window.confirm(`Delete scene ${scene.number} and its ${count} shot${count === 1 ? '' : 's'}?`)) {
                            run(deleteRow(database, rows, row));
                          }
                        }}
                      >
                        ✕
                      </button>
                    </>
                  )}
                </span>
                {(!readOnly || scene.synopsis) && <EditableText
                  className="scene-synopsis"
                  label="Synopsis"
                  value={scene.synopsis}
                  placeholder="Synopsis"
                  readOnly={readOnly}
                  onCommit={(synopsis) => run(updateRecord(database, 'scenes', row.id, { synopsis }))}
                />}
              </div>
            );
          }
          const shot = row.shot;
          const day = days.dayOfShot.get(row.id) ?? null;
          return (
            <div key={row.id} role="listitem" data-testid="shot-row" data-label={shot.label} data-day={day?.number ?? ''} {...rowProps(row, `Shot ${shot.label}`)}>
              {grip(row)}
              <EditableText
                className="shot-label"
                label="Shot label"
                value={shot.label}
                readOnly={readOnly}
                onCommit={(label) => run(updateRecord(database, 'shots', row.id, { label }))}
              />
              <EditableSelect
                label="Shot size"
                value={shot.size}
                options={shotSizes}
                readOnly={readOnly}
                onCommit={(size) => run(updateRecord(database, 'shots', row.id, { size }))}
              />
              <EditableSelect
                label="Camera movement"
                value={shot.movement}
                options={shotMovements}
                readOnly={readOnly}
                onCommit={(movement) => run(updateRecord(database, 'shots', row.id, { movement }))}
              />
              <EditableText
                label="Lens"
                value={shot.lens}
                placeholder="mm"
                readOnly={readOnly}
                onCommit={(lens) => run(updateRecord(database, 'shots', row.id, { lens }))}
              />
              <EditableText
                className="shot-description"
                label="Description"
                value={shot.description}
                placeholder="What we see"
                readOnly={readOnly}
                onCommit={(description) => run(updateRecord(database, 'shots', row.id, { description }))}
              />
              <EditableNumber
                label="Duration in seconds"
                value={shot.durationS}
                placeholder="s"
                readOnly={readOnly}
                onCommit={(durationS) => run(updateRecord(database, 'shots', row.id, { durationS }))}
              />
              <label className="done-cell" title={shot.durationS ? formatDuration(shot.durationS) : undefined}>
                <input
                  type="checkbox"
                  aria-label="Done"
                  checked={shot.done}
                  disabled={readOnly}
                  onChange={(event) => run(updateRecord(database, 'shots', row.id, { done: event.target.checked }))}
                />
              </label>
              <span className="shot-day" data-testid="shot-day">
                {dayLabel(day)}
              </span>
              <span className="row-actions">
                <button type="button" className="icon-btn" aria-label={`Notes on shot ${shot.label}`} onClick={() => onOpenNotes({ table: 'shots', recordId: row.id, title: `Shot ${shot.label}` })}>
                  ✎
                </button>
                {!readOnly && (
                  <button type="button" className="icon-btn" aria-label={`Delete shot ${shot.label}`} onClick={() => run(deleteRow(database, rows, row))}>
                    ✕
                  </button>
                )}
              </span>
            </div>
          );
        })}
        {dragId !== null && (
          <div
            className={`strip-row strip-end${dropTarget?.rowId === '__end' ? ' drop-before' : ''}`}
            onDragOver={(event) => {
              event.preventDefault();
              const last = rows[rows.length - 1];
              if (last && (dropTarget?.rowId !== last.id || dropTarget.position !== 'after')) setDropTarget({ rowId: last.id, position: 'after' });
            }}
            onDrop={onDrop}
          />
        )}
      </div>
      {scenes && shots && banners && (
        <Orphans database={database} rows={rows} scenes={scenes} shots={shots} banners={banners} readOnly={readOnly} run={run} />
      )}
      {!readOnly && rows.length > 0 && (
        <p className="strip-hint muted">Drag rows by the handle, or focus a row and press Alt+↑ / Alt+↓ to move it. Drop a day break between shots to split a scene.</p>
      )}
    </div>
  );
}
