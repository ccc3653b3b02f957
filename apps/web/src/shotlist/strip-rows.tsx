'use client';
/** The three kinds of stripboard row. Each edit is one local write through `run`. */
import type { Database } from '@nozbe/watermelondb';
import {
  type StripRow,
  classifyStrip,
  formatDuration,
  formatPageLength,
  headingFields,
  normalizeSceneNumber,
  parseDuration,
  parsePageLength,
  planDelete,
  stripPalette,
} from '@clapper/domain';
import type { RecordPatch } from '@clapper/schema';
import { type DragEvent, type KeyboardEvent, type PointerEvent, memo } from 'react';
import { OwnForm } from '../components/own-form.tsx';
import { EditableParsed, EditableSelect, EditableText } from './editable-field.tsx';
import {
  type BannerRecord,
  type SceneRecord,
  type ShotRecord,
  shotMovements,
  shotSizes,
  timesOfDay,
} from './records.ts';
import type { NumberState } from './numbered-rows.ts';
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
  /** Shows the call sheet of the day this break starts. */
  openCallSheet(bannerId: string): void;
  dragStart(event: DragEvent<HTMLElement>, id: string): void;
  dragOver(event: DragEvent<HTMLElement>, id: string): void;
  drop(event: DragEvent<HTMLElement>): void;
  dragEnd(): void;
  /** A touch (or pen) on a row's handle: drags the row with pointer events (HTML5 drag is mouse-only). */
  pointerDown(event: PointerEvent<HTMLElement>, id: string): void;
  keyDown(event: KeyboardEvent<HTMLElement>, id: string): void;
}

/** Per-row view state, as primitives so memoized rows compare cheaply. */
export interface RowView {
  actions: RowActions;
  /** The row's place in the rendered list, and the callback that measures its height (see useVirtualRows). */
  index: number;
  measure: (element: HTMLElement | null) => void;
  readOnly: boolean;
  drop: 'before' | 'after' | null;
  dragging: boolean;
  notesOpen: boolean;
}

function rowAttributes(view: RowView, kind: Row['kind'], id: string, label: string) {
  const { actions } = view;
  return {
    ref: view.measure,
    'data-index': view.index,
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
      onPointerDown={view.readOnly ? undefined : (event) => view.actions.pointerDown(event, id)}
    >
      {view.readOnly ? '' : '⠿'}
    </span>
  );
}

/** Deletes a row (a scene with its shots and inner day breaks) in one write. */
function remove(actions: RowActions, id: string): void {
  actions.run(deleteRecords(actions.database, planDelete(actions.rows(), id)));
}

/** "1,2" -> "Days 1 · 2". */
function sceneDaysLabel(spans: string): string {
  const numbers = spans ? spans.split(',').map(Number) : [];
  if (numbers.length === 0) return '—';
  if (numbers.length === 1) return `Day ${numbers[0]}`;
  return `Days ${numbers.join(' · ')}`;
}

const numberHints: Record<NumberState, string> = {
  board: 'Scene number: follows the board until scene numbers are locked',
  locked: 'Scene number (locked)',
  provisional: 'Scene number: added since the lock, fixed by the next lock',
};

const dayText = (dayNumber: number | null) => (dayNumber ? `Day ${dayNumber}` : '—');

/** "1 scene", "3 scenes". */
const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** A day's totals as the banner states them: "3 scenes · 4 6/8 pages · 7 shots". */
function DaySummary({ totals }: { totals: DayTotals }) {
  const pages = formatPageLength(totals.eighths) || '0';
  return (
    <span
      className="banner-summary"
      data-testid="day-summary"
      data-scenes={totals.scenes}
      data-pages={pages}
      data-shots={totals.shots}
    >
      {count(totals.scenes, 'scene')} · {pages} {totals.eighths > 0 && totals.eighths <= 8 ? 'page' : 'pages'} ·{' '}
      {count(totals.shots, 'shot')}
    </span>
  );
}

/** A day's totals, as primitives so memoized banners compare cheaply. */
export interface DayTotals {
  scenes: number;
  eighths: number;
  shots: number;
}

/**
 * Day 1 when work sits above the first day break (S2): it has no break of its own, so
 * this header, not a record, states its totals and offers to add its break.
 */
export function OpeningDayRow({
  index,
  measure,
  totals,
  readOnly,
  onAddBreak,
  onOpenCallSheet,
}: {
  index: number;
  measure: (element: HTMLElement | null) => void;
  totals: DayTotals;
  readOnly: boolean;
  onAddBreak: () => void;
  onOpenCallSheet: () => void;
}) {
  return (
    <div className="strip-opening-day" data-testid="opening-day" data-day="1" ref={measure} data-index={index}>
      <span />
      <span className="banner-day">Day 1</span>
      <DaySummary totals={totals} />
      <button type="button" className="btn-link" aria-label="Call sheet for day 1" onClick={onOpenCallSheet}>
        Call sheet
      </button>
      {!readOnly && (
        <button type="button" className="btn btn-small" onClick={onAddBreak}>
          Add its day break
        </button>
      )}
    </div>
  );
}

export const BannerRow = memo(function BannerRow(
  props: RowView & { banner: BannerRecord; dayNumber: number | null; scenes: number; eighths: number; shots: number },
) {
  const { banner, dayNumber, scenes, eighths, shots } = props;
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
      <OwnForm>
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
        <span className="banner-totals">
          <DaySummary totals={{ scenes, eighths, shots }} />
          {banner.sceneId ? <span className="muted"> · splits a scene</span> : null}
        </span>
        <span className="row-actions">
          <button
            type="button"
            className="btn-link banner-call-sheet"
            aria-label={`Call sheet for day ${dayNumber ?? ''}`}
            onClick={() => actions.openCallSheet(banner.id)}
          >
            Call sheet
          </button>
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
      </OwnForm>
    </div>
  );
});

export const SceneRow = memo(function SceneRow(
  props: RowView & {
    scene: SceneRecord;
    /** Day numbers the scene spans, comma-separated. */
    spans: string;
    shotCount: number;
    /** The cast ids of the characters in the scene, `1, 2, 5` ('' when none or unknown). */
    castIds: string;
    /**
     * The scene is linked to one of the script's (as Build from script links them): its page
     * eighths come from the script's pages and follow it (PG7), so they aren't typed here; a
     * typed value would be overwritten by the script's at its next change.
     */
    eighthsFromScript: boolean;
    numberState: NumberState;
    /** Why a typed number can't be this scene's (null: it can); a stable function. */
    numberProblem: (text: string, sceneId: string) => string | null;
  },
) {
  const { scene, spans, shotCount, castIds, eighthsFromScript, numberState, numberProblem } = props;
  const view: RowView = props;
  const { actions, readOnly } = view;
  const { database, run } = actions;
  const save = (patch: RecordPatch<'scenes'>) => run(updateRecord(database, 'scenes', scene.id, patch));
  const strip = classifyStrip(scene);
  const palette = stripPalette[strip.colour];
  return (
    <div
      data-testid="scene-row"
      data-number={scene.number}
      data-days={spans}
      data-colour={strip.colour}
      data-number-state={numberState}
      {...rowAttributes(view, 'scene', scene.id, `Scene ${scene.number}`)}
      style={{ background: palette.background, color: palette.text }}
    >
      <OwnForm>
        <Grip view={view} id={scene.id} />
        <EditableText
          className={`scene-number number-${numberState}`}
          label="Scene number"
          hint={numberHints[numberState]}
          value={scene.number}
          readOnly={readOnly || numberState === 'board'}
          validate={(text) => numberProblem(text, scene.id)}
          onCommit={(number) => save({ number: normalizeSceneNumber(number), numberLocked: true })}
        />
        <span className="strip-class" data-testid="strip-class" title={`${strip.colour} strip`}>
          {strip.label}
        </span>
        <EditableText
          className="scene-heading"
          label="Scene heading"
          value={scene.heading}
          placeholder="INT. LOCATION - DAY"
          readOnly={readOnly}
          onCommit={(heading) => save(headingFields(heading))}
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
        <EditableParsed
          label="Page eighths"
          className="scene-pages"
          value={scene.pageEighths}
          format={formatPageLength}
          parse={parsePageLength}
          placeholder="pages"
          readOnly={readOnly || eighthsFromScript}
          hint={eighthsFromScript ? 'Page eighths, from the script’s pages' : undefined}
          onCommit={(pageEighths) => save({ pageEighths })}
        />
        <span className="scene-cast" data-testid="cast-ids" title="Cast ids">
          {castIds || '—'}
        </span>
        <span className="scene-days" data-testid="scene-days">
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
      </OwnForm>
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
      <OwnForm>
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
        <EditableParsed
          label="Duration"
          className="shot-duration"
          value={shot.durationS}
          format={formatDuration}
          parse={parseDuration}
          placeholder="1:30"
          readOnly={readOnly}
          onCommit={(durationS) => save({ durationS })}
        />
        <label className="done-cell">
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
      </OwnForm>
    </div>
  );
});
