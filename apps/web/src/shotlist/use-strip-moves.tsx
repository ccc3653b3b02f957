'use client';
import type { Database } from '@nozbe/watermelondb';
import { planMove, planStep, rowsWithout } from '@clapper/domain';
import {
  type DragEvent,
  type KeyboardEvent,
  type PointerEvent as ReactPointerEvent,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { NotesTarget, Row, RowActions } from './strip-rows.tsx';
import { applyStripMove } from './stripboard-actions.ts';

export interface DropTarget {
  rowId: string;
  position: 'before' | 'after';
}

interface Latest {
  database: Database;
  rows: readonly Row[];
  readOnly: boolean;
  run: (work: Promise<unknown>) => void;
  openNotes: (target: NotesTarget) => void;
  openCallSheet: (bannerId: string) => void;
  /** Focuses a row and scrolls it into view (rendering it first if it is off screen). */
  focusRow: (id: string) => void;
  /** The row keys act on: the focused row `id`, or one the keyboard moved to that is still being scrolled into view. */
  keyboardRow: (id: string) => string;
  dragId: string | null;
  setDragId: (id: string | null) => void;
  dropTarget: DropTarget | null;
}

/** The slot (index in the board without the moving rows) a drop target stands for. */
function dropSlot(rows: readonly Row[], target: DropTarget, movingId: string): number | null {
  const index = rows.findIndex((row) => row.id === target.rowId);
  if (index < 0) return null;
  const position = index + (target.position === 'after' ? 1 : 0);
  const rest = new Set(rowsWithout(rows, movingId).map((row) => row.id));
  let slot = 0;
  for (let i = 0; i < position; i++) if (rest.has((rows[i] as Row).id)) slot++;
  return slot;
}

/** Which half of which row (or the end zone: after the last row) lies under the point. */
function targetAt(x: number, y: number, rows: readonly Row[]): DropTarget | null {
  const element = document.elementFromPoint(x, y)?.closest<HTMLElement>('[data-row-id], .strip-end');
  if (!element) return null;
  const id = element.dataset.rowId;
  if (id === undefined) {
    const last = rows[rows.length - 1];
    return last ? { rowId: last.id, position: 'after' } : null;
  }
  const rect = element.getBoundingClientRect();
  return { rowId: id, position: y < rect.top + rect.height / 2 ? 'before' : 'after' };
}

/** Within this distance (px) of the scroll box's top or bottom edge, a touch drag scrolls the board. */
const edge = 48;

/**
 * Drag and drop started from a row's handle (native HTML5 for the mouse; pointer events
 * for touch and pen, which never fire HTML5 drag events) and keyboard moves (Alt+↑/↓;
 * plain ↑/↓ walks the rows). Either way the domain plans the move and exactly one record
 * is written. Returns one `actions` object that never changes identity (it reads the
 * latest state through a ref), so memoized rows don't re-render for it.
 */
export function useStripMoves(options: Omit<Latest, 'dropTarget' | 'rows'> & { rows: readonly Row[] | null }) {
  const { dragId } = options;
  const [dropTarget, setDropTarget] = useState<DropTarget | null>(null);
  const focusAfterMove = useRef<string | null>(null);
  const latest = useRef<Latest>({ ...options, rows: options.rows ?? [], dragId, dropTarget });
  latest.current = { ...options, rows: options.rows ?? [], dragId, dropTarget };

  // A moved row is re-ordered by the observer a moment later; keep the keyboard on it.
  useEffect(() => {
    const id = focusAfterMove.current;
    if (!id) return;
    latest.current.focusRow(id);
    focusAfterMove.current = null;
  }, [options.rows]);

  const actions = useMemo<RowActions>(() => {
    const endDrag = () => {
      latest.current.setDragId(null);
      setDropTarget(null);
    };
    /** Moves `movingId` to where `target` shows (one write), if that is somewhere else. */
    const moveTo = (movingId: string, target: DropTarget | null) => {
      const { rows, database, run } = latest.current;
      if (!target || target.rowId === movingId) return;
      const slot = dropSlot(rows, target, movingId);
      if (slot === null) return;
      const move = planMove(rows, movingId, slot);
      if (move) run(applyStripMove(database, move));
    };
    return {
      get database() {
        return latest.current.database;
      },
      run: (work) => latest.current.run(work),
      rows: () => latest.current.rows,
      openNotes: (target) => latest.current.openNotes(target),
      openCallSheet: (bannerId) => latest.current.openCallSheet(bannerId),
      dragStart(event: DragEvent<HTMLElement>, id: string) {
        if (latest.current.readOnly) return;
        const rowElement = event.currentTarget.closest<HTMLElement>('.strip-row');
        if (rowElement) event.dataTransfer.setDragImage(rowElement, 12, 12);
        event.dataTransfer.effectAllowed = 'move';
        event.dataTransfer.setData('text/plain', id);
        latest.current.setDragId(id);
      },
      dragOver(event: DragEvent<HTMLElement>, id: string) {
        const { readOnly, dragId: moving, dropTarget: current } = latest.current;
        if (readOnly || moving === null) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
        const rect = event.currentTarget.getBoundingClientRect();
        const position = event.clientY < rect.top + rect.height / 2 ? 'before' : 'after';
        if (current?.rowId !== id || current.position !== position) setDropTarget({ rowId: id, position });
      },
      drop(event: DragEvent<HTMLElement>) {
        event.preventDefault();
        const { dragId: moving, dropTarget: target } = latest.current;
        const movingId = moving ?? event.dataTransfer.getData('text/plain');
        endDrag();
        if (movingId) moveTo(movingId, target);
      },
      dragEnd: endDrag,
      pointerDown(event: ReactPointerEvent<HTMLElement>, id: string) {
        // The mouse drags natively (HTML5: drag image, scrolling near the edges); a primary touch or pen here.
        if (event.pointerType === 'mouse' || !event.isPrimary || latest.current.readOnly) return;
        event.preventDefault();
        const { pointerId } = event;
        const scroller = event.currentTarget.closest<HTMLElement>('.workspace-main');
        let point = { x: event.clientX, y: event.clientY };
        let target: DropTarget | null = null;
        const aim = () => {
          const next = targetAt(point.x, point.y, latest.current.rows);
          if (next?.rowId === target?.rowId && next?.position === target?.position) return;
          target = next;
          setDropTarget(next);
        };
        // Held near the top or bottom edge, the board scrolls (the handle has touch-action: none, so the finger can't).
        let frame = 0;
        const scroll = () => {
          if (scroller) {
            const box = scroller.getBoundingClientRect();
            const by = point.y < box.top + edge ? -12 : point.y > box.bottom - edge ? 12 : 0;
            if (by !== 0) {
              scroller.scrollTop += by;
              aim();
            }
          }
          frame = requestAnimationFrame(scroll);
        };
        const onMove = (move: PointerEvent) => {
          if (move.pointerId !== pointerId) return;
          point = { x: move.clientX, y: move.clientY };
          aim();
        };
        const onEnd = (end: PointerEvent) => {
          if (end.pointerId !== pointerId) return;
          removeEventListener('pointermove', onMove);
          removeEventListener('pointerup', onEnd);
          removeEventListener('pointercancel', onEnd);
          cancelAnimationFrame(frame);
          endDrag();
          if (end.type === 'pointerup') moveTo(id, target);
        };
        addEventListener('pointermove', onMove);
        addEventListener('pointerup', onEnd);
        addEventListener('pointercancel', onEnd);
        frame = requestAnimationFrame(scroll);
        latest.current.setDragId(id);
      },
      keyDown(event: KeyboardEvent<HTMLElement>, id: string) {
        if (event.target !== event.currentTarget) return;
        if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
        event.preventDefault();
        const { rows, database, run, readOnly } = latest.current;
        const direction = event.key === 'ArrowUp' ? -1 : 1;
        if (event.altKey) {
          if (readOnly) return;
          const move = planStep(rows, id, direction);
          if (move) {
            focusAfterMove.current = id;
            run(applyStripMove(database, move));
          }
          return;
        }
        // Keys pressed faster than the board renders (a row scrolled to) count from the row asked for.
        const from = latest.current.keyboardRow(id);
        const next = rows[rows.findIndex((r) => r.id === from) + direction];
        if (next) latest.current.focusRow(next.id);
      },
    };
  }, []);

  /** A drop zone under the last row, shown while dragging. */
  const endZone =
    dragId === null ? null : (
      <div
        className="strip-row strip-end"
        onDragOver={(event) => {
          event.preventDefault();
          const rows = latest.current.rows;
          const last = rows[rows.length - 1];
          if (last && (dropTarget?.rowId !== last.id || dropTarget.position !== 'after'))
            setDropTarget({ rowId: last.id, position: 'after' });
        }}
        onDrop={actions.drop}
      />
    );

  return { actions, dropTarget, endZone };
}
