'use client';
import type { Database } from '@nozbe/watermelondb';
import {
  type CastMember,
  type DayTotal,
  type ShootingDays,
  castIdsOf,
  castIdsText,
  deriveDayTotals,
  deriveShootingDays,
  lastTopLevelKey,
  planSceneNumberLock,
  sceneNumberProblem,
} from '@clapper/domain';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { VirtualItem } from '@tanstack/react-virtual';
import { markFirstViewShown } from '../lib/first-view.ts';
import { useTableRecords } from '../lib/use-records.ts';
import { type BoardModel, nextBoard } from './board-model.ts';
import { useStableArray } from '../lib/use-stable-array.ts';
import { type ScriptSource, buildScenesFromScript } from './build-from-script.ts';
import { ReportsMenu } from '../reports/reports-menu.tsx';
import { Orphans } from './orphans.tsx';
import {
  BannerRow,
  type NotesTarget,
  OpeningDayRow,
  type Row,
  type RowView,
  SceneRow,
  ShotRow,
} from './strip-rows.tsx';
import type { NumberState, NumberedRows } from './numbered-rows.ts';
import { addBanner, addOpeningBanner, addScene, lockSceneNumbers } from './stripboard-actions.ts';
import { useStripMoves } from './use-strip-moves.tsx';
import { useVirtualRows } from './use-virtual-rows.tsx';

export type { NotesTarget } from './strip-rows.tsx';

const noMembers: readonly CastMember[] = [];
const openingKey = 'opening-day';
const estimateOfShape = (shape: string) => (shape === 'scene' ? 55 : 34);

interface StripboardProps {
  database: Database;
  /** The project's name, printed at the head of every report. */
  production: string;
  readOnly: boolean;
  onOpenNotes: (target: NotesTarget) => void;
  /** Shows a day's call sheet: its day break's id, null for a Day 1 above every break. */
  onOpenCallSheet: (bannerId: string | null) => void;
  notesFor: string | null;
  /** The project's script, once it exists: enables "Build from script". */
  scriptSource: ScriptSource | null;
  /** Set when this (read-only) device holds local changes the server refused. */
  onDiscardLocalChanges?: (() => void) | undefined;
  /**
   * Each scene's cast (by scene id), from the script and the castings: cast ids on strips and
   * reports. A scene linked to the script has an entry: its page eighths are the script's.
   */
  sceneCast: ReadonlyMap<string, readonly CastMember[]>;
  /**
   * The local copy holds the project: synced once this page load, or on an earlier one
   * (an empty board is then what there is, not one still downloading).
   */
  holdsProject: boolean;
}

/** Whether scene numbers are locked, and how many scenes wait for the next lock (N2, N3). */
function NumberingStatus({ stateOf }: { stateOf: ReadonlyMap<string, NumberState> }) {
  const states = [...stateOf.values()];
  if (!states.includes('locked')) return null;
  const provisional = states.filter((state) => state === 'provisional').length;
  return (
    <span className="muted" data-testid="numbering-status">
      · numbers locked{provisional > 0 ? ` (${provisional} new, numbered until the next lock)` : ''}
    </span>
  );
}

/** The shot list and stripboard of one project, rendered from the local database. */
export function Stripboard({
  database,
  production,
  readOnly,
  onOpenNotes,
  onOpenCallSheet,
  notesFor,
  scriptSource,
  onDiscardLocalChanges,
  sceneCast,
  holdsProject,
}: StripboardProps) {
  const scenes = useTableRecords(database, 'scenes');
  const shots = useTableRecords(database, 'shots');
  const banners = useTableRecords(database, 'day_banners');
  // Every scene carries its shown number (N1–N3) from here on: rows, shot labels, reports.
  // Derived from the board before: an edit that places nothing differently (a cell's text,
  // here or from another window) replaces its rows only and keeps `layout` (board-model.ts).
  const boardRef = useRef<BoardModel | null>(null);
  const board: BoardModel | null = useMemo(
    () =>
      scenes && shots && banners ? (boardRef.current = nextBoard(boardRef.current, scenes, shots, banners)) : null,
    [scenes, shots, banners],
  );
  const numbered: NumberedRows | null = board?.numbered ?? null;
  const rows: Row[] | null = numbered?.rows ?? null;
  // What depends on the board's order and membership alone is memoized on its layout.
  const layout = board?.layout ?? null;
  // What waits for the first view (lib/first-view.ts) starts after the board's first frame
  // with its rows: the local copy's, or on a first open the first pull's (an empty board
  // counts once the local copy holds the project).
  const shown = rows !== null && (rows.length > 0 || holdsProject);
  useEffect(() => {
    if (shown) markFirstViewShown();
  }, [shown]);
  const numbersRef = useRef<ReadonlyMap<string, string>>(new Map());
  numbersRef.current = numbered?.numbers ?? new Map();
  const numberProblem = useCallback(
    (text: string, sceneId: string) => sceneNumberProblem(text, sceneId, numbersRef.current),
    [],
  );
  const days: ShootingDays | null = useMemo(() => (layout ? deriveShootingDays(layout.rows) : null), [layout]);
  const shotCountOfScene = useMemo(() => {
    const counts = new Map<string, number>();
    for (const row of layout?.rows ?? [])
      if (row.kind === 'shot') counts.set(row.sceneId, (counts.get(row.sceneId) ?? 0) + 1);
    return counts;
  }, [layout]);
  const totalsOfDay = useMemo(() => {
    if (!layout || !days) return new Map<number, DayTotal>();
    const eighths = new Map((scenes ?? []).map((scene) => [scene.id, scene.pageEighths]));
    return new Map(
      deriveDayTotals(layout.rows, days, (id) => eighths.get(id) ?? null).map((total) => [total.day, total]),
    );
  }, [layout, days, scenes]);

  const [error, setError] = useState<string | null>(null);
  const [building, setBuilding] = useState(false);
  const [buildMessage, setBuildMessage] = useState<string | null>(null);
  const run = useCallback((work: Promise<unknown>) => {
    work
      .then(() => setError(null))
      .catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)));
  }, []);
  // Day 1's header (when work sits above the first break) is the list's first entry.
  const opening = days?.days[0]?.bannerId === null;
  // An edit that moves, adds or removes nothing (most of them: a cell's text) keeps `keys`
  // and `shapes` as they were, so the virtualizer does not re-place all 1,680 rows for it.
  const keys = useStableArray(
    useMemo(() => [...(opening ? [openingKey] : []), ...(layout?.rows ?? []).map((row) => row.id)], [opening, layout]),
  );
  const [dragId, setDragId] = useState<string | null>(null);
  // Rows are --row-h (34 px); a scene has its synopsis line too (none when read-only and
  // empty: only then does a shape read a record, not the layout alone).
  const shapeRows = readOnly ? rows : (layout?.rows ?? null);
  const shapes = useStableArray(
    useMemo(
      () => [
        ...(opening ? ['opening'] : []),
        ...(shapeRows ?? []).map((row) =>
          row.kind === 'scene' && (!readOnly || row.scene.synopsis) ? 'scene' : 'row',
        ),
      ],
      [shapeRows, opening, readOnly],
    ),
  );
  const shapeOf = useCallback((index: number) => shapes[index] ?? 'opening', [shapes]);
  const virtual = useVirtualRows(keys, shapeOf, estimateOfShape, dragId);
  const { actions, dropTarget, endZone } = useStripMoves({
    database,
    rows,
    readOnly,
    run,
    openNotes: onOpenNotes,
    openCallSheet: onOpenCallSheet,
    focusRow: virtual.focusRow,
    keyboardRow: virtual.keyboardRow,
    dragId,
    setDragId,
  });
  const dragging = dragId !== null;

  if (!rows || !days || !numbered) {
    return (
      <div className="strip-empty" aria-busy="true">
        Opening the local shot list…
      </div>
    );
  }
  // Primitives per row, so React.memo re-renders only rows whose record or state changed.
  const viewOf = (row: Row, index: number): RowView => ({
    actions,
    index,
    measure: virtual.measure,
    readOnly,
    drop: dropTarget?.rowId === row.id ? dropTarget.position : null,
    dragging: dragId !== null && (dragId === row.id || row.sceneId === dragId),
    notesOpen: notesFor === row.id,
  });

  const sceneCount = scenes?.length ?? 0;

  const buildFromScript = () => {
    if (!scriptSource || building) return;
    setBuilding(true);
    setBuildMessage(null);
    buildScenesFromScript(database, scriptSource, scenes ?? [], lastTopLevelKey(rows))
      .then(({ headings, created, updated }) =>
        setBuildMessage(
          headings === 0
            ? 'The script has no scene headings yet.'
            : (created === 0
                ? `All ${headings} scenes of the script are already on the board.`
                : `Added ${created} scene${created === 1 ? '' : 's'} from the script.`) +
                (updated > 0 ? ` Updated the page count of ${updated}.` : ''),
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
          <NumberingStatus stateOf={numbered.stateOf} />
          {buildMessage && (
            <span className="build-message" role="status" data-testid="build-message">
              {buildMessage}
            </span>
          )}
        </div>
        <div className="strip-toolbar-actions">
          <ReportsMenu production={production} rows={rows} cast={sceneCast} />
          {!readOnly && (
            <>
              <button
                type="button"
                className="btn"
                disabled={!scriptSource || building}
                title={
                  scriptSource ? 'Add a scene for every scene heading in the script' : 'The script is not ready yet'
                }
                onClick={buildFromScript}
              >
                {building ? 'Reading script…' : 'Build from script'}
              </button>
              {[...numbered.stateOf.values()].some((state) => state !== 'locked') && (
                <button
                  type="button"
                  className="btn"
                  title="Fix every scene's number: scenes added later get 10A, 10B… instead of renumbering"
                  onClick={() => run(lockSceneNumbers(database, planSceneNumberLock(numbered.stored)))}
                >
                  Lock scene numbers
                </button>
              )}
              <button type="button" className="btn" onClick={() => run(addBanner(database, rows))}>
                + Day break
              </button>
              <button type="button" className="btn btn-primary" onClick={() => run(addScene(database, rows))}>
                + Scene
              </button>
            </>
          )}
        </div>
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
      <div className="strip-heads" aria-hidden="true">
        <div className="strip-head strip-head-scene" data-testid="scene-columns">
          <span />
          <span>Sc.</span>
          <span>I/E · D/N</span>
          <span>Heading</span>
          <span>Location</span>
          <span>Time</span>
          <span>Pages</span>
          <span>Cast</span>
          <span>Days</span>
          <span />
        </div>
        <div className="strip-head strip-head-shot" data-testid="shot-columns">
          <span />
          <span>Shot</span>
          <span>Size</span>
          <span>Movement</span>
          <span>Lens</span>
          <span>Description</span>
          <span>Dur.</span>
          <span>Done</span>
          <span>Day</span>
          <span />
        </div>
      </div>
      <div
        className="strip-rows"
        role="list"
        ref={virtual.listRef}
        onDragOver={(event) => dragging && event.preventDefault()}
        onFocus={virtual.onFocus}
      >
        {rows.length === 0 && (
          <div className="strip-empty">
            No scenes yet.{' '}
            {!readOnly && (
              <button type="button" className="btn-link" onClick={() => run(addScene(database, rows))}>
                Add the first scene
              </button>
            )}
          </div>
        )}
        {virtual.render((item: VirtualItem) => {
          if (item.key === openingKey)
            return (
              <OpeningDayRow
                key={openingKey}
                index={item.index}
                measure={virtual.measure}
                totals={totalsOfDay.get(1) ?? { scenes: 0, eighths: 0, shots: 0 }}
                readOnly={readOnly}
                onAddBreak={() => run(addOpeningBanner(database, rows))}
                onOpenCallSheet={() => onOpenCallSheet(null)}
              />
            );
          const index = item.index - (opening ? 1 : 0);
          const row = rows[index] as Row;
          const view = viewOf(row, item.index);
          if (row.kind === 'banner') {
            const day = days.dayAtRow[index];
            const totals = day ? totalsOfDay.get(day.number) : undefined;
            return (
              <BannerRow
                key={row.id}
                {...view}
                banner={row.banner}
                dayNumber={day?.number ?? null}
                scenes={totals?.scenes ?? 0}
                eighths={totals?.eighths ?? 0}
                shots={totals?.shots ?? 0}
              />
            );
          }
          if (row.kind === 'scene') {
            const spans = (days.daysOfScene.get(row.id) ?? []).map((d) => d.number).join(',');
            return (
              <SceneRow
                key={row.id}
                {...view}
                scene={row.scene}
                spans={spans}
                shotCount={shotCountOfScene.get(row.id) ?? 0}
                castIds={castIdsText(castIdsOf(sceneCast.get(row.id) ?? noMembers))}
                eighthsFromScript={sceneCast.has(row.id)}
                numberState={numbered.stateOf.get(row.id) ?? 'board'}
                numberProblem={numberProblem}
              />
            );
          }
          return (
            <ShotRow key={row.id} {...view} shot={row.shot} dayNumber={days.dayOfShot.get(row.id)?.number ?? null} />
          );
        })}
        {endZone}
      </div>
      {scenes && shots && banners && (
        <Orphans
          database={database}
          rows={rows}
          scenes={rows.flatMap((row) => (row.kind === 'scene' ? [row.scene] : []))}
          shots={shots}
          banners={banners}
          readOnly={readOnly}
          run={run}
        />
      )}
      {!readOnly && rows.length > 0 && (
        <p className="strip-hint muted">
          Drag rows by the handle, or focus a row and press Alt+↑ / Alt+↓ to move it. Drop a day break between shots to
          split a scene.
        </p>
      )}
    </div>
  );
}
