'use client';
/** The three kinds of stripboard row. Each edit is one local write through `run`. */
import type { Database } from '@nozbe/watermelondb';
import { type StripRow, planDelete } from '@clapper/domain';
import type { RecordPatch } from '@clapper/schema';
import { type DragEvent, type KeyboardEvent, memo } from 'react';
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
import { addShot, deleteRecords, updateRecord } from './stripboard-actions.ts';

export type Row = StripRow<SceneRecord, ShotRecord, BannerRecord>;

export interface NotesTarget {
  table: 'scenes' | 'shots' | 'day_banners';
  recordId: string;
  title: string;
}

/**
 * Everything a row does, behind one object whose identity never changes (see
 * useStripMoves), so React.memo skips every row whose record and view props are unchanged.
 */
export interface RowActions {
  readonly database: Database;
  run(work: Promise<unknown>): void;
  rows(): readonly Row[];
  openNotes(target: NotesTarget): void;
  dragStart(event: DragEvent<HTMLElement>, id: string): void;
  dragOver(event: DragEvent<HTMLElement>, id: string): void;
  drop(event: DragEvent<HTMLElement>): void;
  dragEnd(): void;
  keyDown(event: KeyboardEvent<HTMLElement>, id: string): void;
}

/** Per-row view state, as primitives so memoized rows compare cheaply. */
export interface RowView {
  actions: RowActions;
  readOnly: boolean;
  drop: 'before' | 'after' | null;
  dragging: boolean;
  notesOpen: boolean;
}

function rowAttributes(view: RowView, kind: Row['kind'], id: string, label: string) {
  const { actions } = view;
  return {
    role: 'listitem',
    'data-row-id': id,
    'data-kind': kind,
    tabIndex: 0,
    'aria-label': label,
    onDragOver: (event: DragEvent<HTMLElement>) => actions.dragOver(event, id),
    onDrop: (event: DragEvent<HTMLElement>) => actions.drop(event),
    onKeyDown: (event: KeyboardEvent<HTMLElement>) => actions.keyDown(event, id),
    className: `strip-row strip-${kind}${view.dragging ? ' is-dragging' : ''}${view.drop ? ` drop-${view.drop}` : ''}${view.notesOpen ? ' has-notes-open' : ''}`,
  } as const;
}

/** Only the handle starts a drag, so selecting text in a cell never drags the row. */
function Grip({ view, id }: { view: RowView; id: string }) {
  return (
    <span
      className="grip"
      data-testid="drag-handle"
      draggable={!view.readOnly}
      aria-hidden="true"
      onDragStart={(event) => view.actions.dragStart(event, id)}
      onDragEnd={() => view.actions.dragEnd()}
    >
      {view.readOnly ? '' : '⠿'}
    </span>
  );
}

/** Deletes a row (a scene with its shots and inner day breaks) in one write. */
function remove(actions: RowActions, id: string): void {
  actions.run(deleteRecords(actions.database, planDelete(actions.rows(), id)));
}

/** "1,2" (0 = before the first day break) -> "Days 1 · 2". */
function sceneDaysLabel(spans: string): string {
  const numbers = spans ? spans.split(',').map(Number) : [];
  if (numbers.length === 0) return '—';
  if (numbers.length === 1) return numbers[0] ? `Day ${numbers[0]}` : '—';
  return `Days ${numbers.map((n) => (n ? n : '—')).join(' · ')}`;
}

const dayText = (dayNumber: number | null) => (dayNumber ? `Day ${dayNumber}` : '—');

export const BannerRow = memo(function BannerRow(
  props: RowView & { banner: BannerRecord; dayNumber: number | null; shotCount: number },
) {
  const { banner, dayNumber, shotCount } = props;
  const view: RowView = props;
  const { actions, readOnly } = view;
  const { database, run } = actions;
  const save = (patch: RecordPatch<'day_banners'>) => run(updateRecord(database, 'day_banners', banner.id, patch));
  return (
    <div
      data-testid="day-banner"
      data-day={dayNumber ?? ''}
      {...rowAttributes(view, 'banner', banner.id, `Day ${dayNumber ?? ''} break`)}
    >
      <Grip view={view} id={banner.id} />
      <span className="banner-day">{dayText(dayNumber)}</span>
      <EditableText
        label="Day label"
        value={banner.label}
        placeholder="Label (e.g. Stage 4)"
        readOnly={readOnly}
        onCommit={(label) => save({ label })}
      />
      <EditableText
        label="Shoot date"
        value={banner.date}
        placeholder="Date"
        readOnly={readOnly}
        onCommit={(date) => save({ date })}
      />
      <span className="banner-summary muted">
        {shotCount} {shotCount === 1 ? 'shot' : 'shots'}
        {banner.sceneId ? ' · splits a scene' : ''}
      </span>
      <span className="row-actions">
        <button
          type="button"
          className="icon-btn"
          aria-label={`Notes on day ${dayNumber ?? ''}`}
          onClick={() =>
            actions.openNotes({
              table: 'day_banners',
              recordId: banner.id,
              title: `Day ${dayNumber ?? ''}${banner.label ? ` · ${banner.label}` : ''}`,
            })
          }
        >
          ✎
        </button>
        {!readOnly && (
          <button
            type="button"
            className="icon-btn"
            aria-label="Delete day break"
            onClick={() => remove(actions, banner.id)}
          >
            ✕
          </button>
        )}
      </span>
    </div>
  );
});

export const SceneRow = memo(function SceneRow(
  props: RowView & {
    scene: SceneRecord;
    /** Day numbers the scene spans, comma-separated (0: before the first day break). */
    spans: string;
    shotCount: number;
  },
) {
  const { scene, spans, shotCount } = props;
  const view: RowView = props;
  const { actions, readOnly } = view;
  const { database, run } = actions;
  const save = (patch: RecordPatch<'scenes'>) => run(updateRecord(database, 'scenes', scene.id, patch));
  return (
    <div
      data-testid="scene-row"
      data-number={scene.number}
      data-days={spans}
      {...rowAttributes(view, 'scene', scene.id, `Scene ${scene.number}`)}
    >
      <Grip view={view} id={scene.id} />
      <EditableText
        className="scene-number"
        label="Scene number"
        value={scene.number}
        readOnly={readOnly}
        onCommit={(number) => save({ number })}
      />
      <EditableText
        className="scene-heading"
        label="Scene heading"
        value={scene.heading}
        placeholder="INT. LOCATION - DAY"
        readOnly={readOnly}
        onCommit={(heading) => save({ heading })}
      />
      <EditableText
        label="Location"
        value={scene.location}
        placeholder="Location"
        readOnly={readOnly}
        onCommit={(location) => save({ location })}
      />
      <EditableSelect
        label="Time of day"
        value={scene.timeOfDay}
        options={timesOfDay}
        readOnly={readOnly}
        onCommit={(timeOfDay) => save({ timeOfDay })}
      />
      <EditableNumber
        label="Page eighths"
        className="scene-pages"
        format={formatEighths}
        value={scene.pageEighths}
        placeholder="8ths"
        readOnly={readOnly}
        onCommit={(pageEighths) => save({ pageEighths })}
      />
      <span
        className="scene-days"
        data-testid="scene-days"
        title={formatEighths(scene.pageEighths) ? `${formatEighths(scene.pageEighths)} pages` : undefined}
      >
        {sceneDaysLabel(spans)}
      </span>
      <span className="row-actions">
        <button
          type="button"
          className="icon-btn"
          aria-label={`Notes on scene ${scene.number}`}
          onClick={() => actions.openNotes({ table: 'scenes', recordId: scene.id, title: `Scene ${scene.number}` })}
        >
          ✎
        </button>
        {!readOnly && (
          <>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => run(addShot(database, actions.rows(), scene))}
            >
              + Shot
            </button>
            <button
              type="button"
              className="icon-btn"
              aria-label={`Delete scene ${scene.number}`}
              onClick={() => {
                const count = shotCount;
                if (
                  count === 0 ||
                  window.confirm(`Delete scene ${scene.number} and its ${count} shot${count === 1 ? '' : 's'}?`)
                ) {
                  remove(actions, scene.id);
                }
              }}
            >
              ✕
            </button>
          </>
        )}
      </span>
      {(!readOnly || scene.synopsis) && (
        <EditableText
          className="scene-synopsis"
          label="Synopsis"
          value={scene.synopsis}
          placeholder="Synopsis"
          readOnly={readOnly}
          onCommit={(synopsis) => save({ synopsis })}
        />
      )}
    </div>
  );
});

export const ShotRow = memo(function ShotRow(props: RowView & { shot: ShotRecord; dayNumber: number | null }) {
  const { shot, dayNumber } = props;
  const view: RowView = props;
  const { actions, readOnly } = view;
  const { database, run } = actions;
  const save = (patch: RecordPatch<'shots'>) => run(updateRecord(database, 'shots', shot.id, patch));
  return (
    <div
      data-testid="shot-row"
      data-label={shot.label}
      data-day={dayNumber ?? ''}
      {...rowAttributes(view, 'shot', shot.id, `Shot ${shot.label}`)}
    >
      <Grip view={view} id={shot.id} />
      <EditableText
        className="shot-label"
        label="Shot label"
        value={shot.label}
        readOnly={readOnly}
        onCommit={(label) => save({ label })}
      />
      <EditableSelect
        label="Shot size"
        value={shot.size}
        options={shotSizes}
        readOnly={readOnly}
        onCommit={(size) => save({ size })}
      />
      <EditableSelect
        label="Camera movement"
        value={shot.movement}
        options={shotMovements}
        readOnly={readOnly}
        onCommit={(movement) => save({ movement })}
      />
      <EditableText
        label="Lens"
        value={shot.lens}
        placeholder="mm"
        readOnly={readOnly}
        onCommit={(lens) => save({ lens })}
      />
      <EditableText
        className="shot-description"
        label="Description"
        value={shot.description}
        placeholder="What we see"
        readOnly={readOnly}
        onCommit={(description) => save({ description })}
      />
      <EditableNumber
        label="Duration in seconds"
        value={shot.durationS}
        placeholder="s"
        readOnly={readOnly}
        onCommit={(durationS) => save({ durationS })}
      />
      <label className="done-cell" title={shot.durationS ? formatDuration(shot.durationS) : undefined}>
        <input
          type="checkbox"
          aria-label="Done"
          checked={shot.done}
          disabled={readOnly}
          onChange={(event) => save({ done: event.target.checked })}
        />
      </label>
      <span className="shot-day" data-testid="shot-day">
        {dayText(dayNumber)}
      </span>
      <span className="row-actions">
        <button
          type="button"
          className="icon-btn"
          aria-label={`Notes on shot ${shot.label}`}
          onClick={() => actions.openNotes({ table: 'shots', recordId: shot.id, title: `Shot ${shot.label}` })}
        >
          ✎
        </button>
        {!readOnly && (
          <button
            type="button"
            className="icon-btn"
            aria-label={`Delete shot ${shot.label}`}
            onClick={() => remove(actions, shot.id)}
          >
            ✕
          </button>
        )}
      </span>
    </div>
  );
});
