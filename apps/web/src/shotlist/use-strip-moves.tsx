'use client';
import type { Database } from '@nozbe/watermelondb';
import { planMove, planStep, rowsWithout } from '@clapper/domain';
import { type DragEvent, type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
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
  dragId: string | null;
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

function focusRow(id: string): void {
  const element = document.querySelector<HTMLElement>(`[data-row-id="${CSS.escape(id)}"]`);
  if (element && document.activeElement !== element) element.focus();
}

/**
 * Drag and drop (native HTML5, started from a row's handle) and keyboard moves
 * (Alt+↑/↓; plain ↑/↓ walks the rows). Either way the domain plans the move and exactly
 * one record is written. Returns one `actions` object that never changes identity (it
 * reads the latest state through a ref), so memoized rows don't re-render for it.
 */
export function useStripMoves(
  options: Omit<Latest, 'dragId' | 'dropTarget' | 'rows'> & { rows: readonly Row[] | null },
) {
  const [dragId, setDragId] = useState<string | null>(null);
  const [dropTarget, setDropTarget] = useState<DropTarget | null>(null);
  const focusAfterMove = useRef<string | null>(null);
  const latest = useRef<Latest>({ ...options, rows: options.rows ?? [], dragId, dropTarget });
  latest.current = { ...options, rows: options.rows ?? [], dragId, dropTarget };

  // A moved row is re-ordered by the observer a moment later; keep the keyboard on it.
  useEffect(() => {
    const id = focusAfterMove.current;
    if (!id) return;
    focusRow(id);
    focusAfterMove.current = null;
  }, [options.rows]);

  const actions = useMemo<RowActions>(() => {
    const endDrag = () => {
      setDragId(null);
      setDropTarget(null);
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
        setDragId(id);
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
        const { rows, database, run, dragId: moving, dropTarget: target } = latest.current;
        const movingId = moving ?? event.dataTransfer.getData('text/plain');
        endDrag();
        if (!movingId || !target || target.rowId === movingId) return;
        const slot = dropSlot(rows, target, movingId);
        if (slot === null) return;
        const move = planMove(rows, movingId, slot);
        if (move) run(applyStripMove(database, move));
      },
      dragEnd: endDrag,
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
        const next = rows[rows.findIndex((r) => r.id === id) + direction];
        if (next) focusRow(next.id);
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

  return { actions, dragId, dropTarget, endZone };
}
