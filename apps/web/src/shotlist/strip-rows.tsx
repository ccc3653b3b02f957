'use client';
/** The three kinds of stripboard row. Each edit is one local write through `run`. */
import type { Database } from '@nozbe/watermelondb';
import type { ShootingDay, StripRow } from '@clapper/domain';
import type { DragEvent, HTMLAttributes, KeyboardEvent, ReactNode } from 'react';
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
import { addShot, deleteRow, updateRecord } from './stripboard-actions.ts';

export type Row = StripRow<SceneRecord, ShotRecord, BannerRecord>;

export interface NotesTarget {
  table: 'scenes' | 'shots' | 'day_banners';
  recordId: string;
  title: string;
}

export type RowAttributes = HTMLAttributes<HTMLDivElement> & {
  'data-row-id': string;
  'data-kind': Row['kind'];
  onDragOver: (event: DragEvent<HTMLElement>) => void;
  onDrop: (event: DragEvent<HTMLElement>) => void;
  onKeyDown: (event: KeyboardEvent<HTMLElement>) => void;
};

/** What every row shares: where it writes, and the drag/keyboard chrome from useStripMoves. */
export interface RowContext {
  database: Database;
  rows: readonly Row[];
  readOnly: boolean;
  run: (work: Promise<unknown>) => void;
  rowProps: (row: Row, label: string) => RowAttributes;
  grip: (row: Row) => ReactNode;
  onOpenNotes: (target: NotesTarget) => void;
}

export function dayLabel(day: ShootingDay | null): string {
  return day ? `Day ${day.number}` : '—';
}

function sceneDaysLabel(days: readonly (ShootingDay | null)[] | undefined): string {
  if (!days || days.length === 0) return '—';
  if (days.length === 1) return dayLabel(days[0] ?? null);
  return `Days ${days.map((d) => (d ? d.number : '—')).join(' · ')}`;
}

export function BannerRow({ ctx, row, day, shotCount }: { ctx: RowContext; row: Row & { kind: 'banner' }; day: ShootingDay | null; shotCount: number }) {
  const { database, rows, readOnly, run, rowProps, grip } = ctx;
  const banner = row.banner;
  return (
    <div role="listitem" data-testid="day-banner" data-day={day?.number ?? ''} {...rowProps(row, `Day ${day?.number ?? ''} break`)}>
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
        {shotCount} {(shotCount) === 1 ? 'shot' : 'shots'}
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

export function SceneRow({
  ctx,
  row,
  spans,
  shotCount,
}: {
  ctx: RowContext;
  row: Row & { kind: 'scene' };
  spans: readonly (ShootingDay | null)[] | undefined;
  shotCount: number;
}) {
  const { database, rows, readOnly, run, rowProps, grip, onOpenNotes } = ctx;
  const scene = row.scene;
  return (
    <div
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
              onClick={() => run(addShot(database, rows, scene, shotCount))}
            >
              + Shot
            </button>
            <button
              type="button"
              className="icon-btn"
              aria-label={`Delete scene ${scene.number}`}
              onClick={() => {
                const count = shotCount;
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

export function ShotRow({ ctx, row, day }: { ctx: RowContext; row: Row & { kind: 'shot' }; day: ShootingDay | null }) {
  const { database, rows, readOnly, run, rowProps, grip, onOpenNotes } = ctx;
  const shot = row.shot;
  return (
    <div role="listitem" data-testid="shot-row" data-label={shot.label} data-day={day?.number ?? ''} {...rowProps(row, `Shot ${shot.label}`)}>
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
}
