'use client';
import type { Database } from '@nozbe/watermelondb';
import { planMove, planStep, rowsWithout } from '@clapper/domain';
import { type DragEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import type { Row, RowAttributes } from './strip-rows.tsx';
import { applyStripMove } from './stripboard-actions.ts';

interface DropTarget {
  rowId: string;
  position: 'before' | 'after';
}

/**
 * Drag and drop (native HTML5, started from a row's handle) and keyboard moves
 * (Alt+↑/↓; plain ↑/↓ walks the rows). Either way the domain plans the move and exactly
 * one record is written.
 */
export function useStripMoves(options: {
  database: Database;
  rows: readonly Row[] | null;
  readOnly: boolean;
  notesFor: string | null;
  run: (work: Promise<unknown>) => void;
}) {
  const { database, readOnly, notesFor, run } = options;
  const rows = options.rows ?? [];
  const [dragId, setDragId] = useState<string | null>(null);
  const [dropTarget, setDropTarget] = useState<DropTarget | null>(null);
  const focusAfterMove = useRef<string | null>(null);

  // A moved row is re-ordered by the observer a moment later; keep the keyboard on it.
  useEffect(() => {
    const id = focusAfterMove.current;
    if (!id) return;
    const element = document.querySelector<HTMLElement>(`[data-row-id="${CSS.escape(id)}"]`);
    if (element && document.activeElement !== element) element.focus();
    focusAfterMove.current = null;
  }, [options.rows]);

  const endDrag = () => {
    setDragId(null);
    setDropTarget(null);
  };

  /** The slot (index in the board without the moving rows) a drop target stands for. */
  const dropSlot = (target: DropTarget, movingId: string): number | null => {
    const index = rows.findIndex((row) => row.id === target.rowId);
    if (index < 0) return null;
    const position = index + (target.position === 'after' ? 1 : 0);
    const rest = new Set(rowsWithout(rows, movingId).map((row) => row.id));
    let slot = 0;
    for (let i = 0; i < position; i++) if (rest.has((rows[i] as Row).id)) slot++;
    return slot;
  };

  const onDrop = (event: DragEvent<HTMLElement>) => {
    event.preventDefault();
    const movingId = dragId ?? event.dataTransfer.getData('text/plain');
    const target = dropTarget;
    endDrag();
    if (!movingId || !target || target.rowId === movingId) return;
    const slot = dropSlot(target, movingId);
    if (slot === null) return;
    const move = planMove(rows, movingId, slot);
    if (move) run(applyStripMove(database, move));
  };

  const onDragOver = (event: DragEvent<HTMLElement>, row: Row) => {
    if (readOnly || dragId === null) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    const rect = event.currentTarget.getBoundingClientRect();
    const position = event.clientY < rect.top + rect.height / 2 ? 'before' : 'after';
    if (dropTarget?.rowId !== row.id || dropTarget.position !== position) setDropTarget({ rowId: row.id, position });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>, row: Row) => {
    if (event.target !== event.currentTarget) return;
    if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
    event.preventDefault();
    const direction = event.key === 'ArrowUp' ? -1 : 1;
    if (event.altKey) {
      if (readOnly) return;
      const move = planStep(rows, row.id, direction);
      if (move) {
        focusAfterMove.current = row.id;
        run(applyStripMove(database, move));
      }
      return;
    }
    const next = rows[rows.findIndex((r) => r.id === row.id) + direction];
    if (next) document.querySelector<HTMLElement>(`[data-row-id="${CSS.escape(next.id)}"]`)?.focus();
  };

  const rowProps = (row: Row, label: string): RowAttributes => {
    const moving = dragId === row.id || (dragId !== null && row.sceneId === dragId) ? ' is-dragging' : '';
    const drop = dropTarget?.rowId === row.id ? ` drop-${dropTarget.position}` : '';
    return {
      'data-row-id': row.id,
      'data-kind': row.kind,
      tabIndex: 0,
      'aria-label': label,
      onDragOver: (event) => onDragOver(event, row),
      onDrop,
      onKeyDown: (event) => onKeyDown(event, row),
      className: `strip-row strip-${row.kind}${moving}${drop}${notesFor === row.id ? ' has-notes-open' : ''}`,
    };
  };

  // Only the handle starts a drag, so selecting text in a cell never drags the row.
  const grip = (row: Row) => (
    <span
      className="grip"
      data-testid="drag-handle"
      draggable={!readOnly}
      aria-hidden="true"
      onDragStart={(event) => {
        if (readOnly) return;
        const rowElement = event.currentTarget.closest<HTMLElement>('.strip-row');
        if (rowElement) event.dataTransfer.setDragImage(rowElement, 12, 12);
        event.dataTransfer.effectAllowed = 'move';
        event.dataTransfer.setData('text/plain', row.id);
        setDragId(row.id);
      }}
      onDragEnd={endDrag}
    >
      {readOnly ? '' : '⠿'}
    </span>
  );

  /** A drop zone under the last row, shown while dragging. */
  const endZone =
    dragId === null ? null : (
      <div
        className="strip-row strip-end"
        onDragOver={(event) => {
          event.preventDefault();
          const last = rows[rows.length - 1];
          if (last && (dropTarget?.rowId !== last.id || dropTarget.position !== 'after')) setDropTarget({ rowId: last.id, position: 'after' });
        }}
        onDrop={onDrop}
      />
    );

  return { rowProps, grip, endZone, dragging: dragId !== null };
}
