'use client';
import {
  type Range,
  type VirtualItem,
  type Virtualizer,
  defaultRangeExtractor,
  useVirtualizer,
} from '@tanstack/react-virtual';
import {
  type FocusEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { afterFirstView } from '../lib/first-view.ts';

/**
 * Rows rendered beyond each edge of the screen, so a short scroll or ↑/↓ finds them mounted.
 * None until the page's first view has painted: opening a project renders the screen's rows
 * only (not the 10 below it: fewer rows to build, style and lay out before the board shows),
 * and the rows beyond follow when the browser is next idle.
 */
const overscan = 10;

const rowElement = (list: HTMLElement | null, id: string) =>
  list?.querySelector<HTMLElement>(`:scope > [data-row-id="${CSS.escape(id)}"]`) ?? null;

/** Focuses a rendered row and scrolls it just into view (below the sticky column heads: scroll-margin in CSS). */
function reveal(element: HTMLElement): void {
  if (document.activeElement !== element) element.focus({ preventScroll: true });
  element.scrollIntoView({ block: 'nearest', inline: 'nearest' });
}

/**
 * Renders only the board's rows on (and near) the screen of the workspace's scroll box
 * (`.workspace-main`), measuring each rendered row, since scenes, shots and day breaks
 * differ in height. Rows off screen are stood in for by spacers of their measured (or
 * estimated) height, so the scroll bar and scroll position stay those of the whole board.
 * The row holding the focus (a half-typed cell, the keyboard's place) and the row being
 * dragged stay rendered while scrolled out of view.
 *
 * `keys` are the entries top to bottom (a row's record id). `shapeOf` names an entry's
 * kind of layout (rows of one shape are one height) and `estimate` guesses it; once a row
 * of a shape is measured, rows of that shape not yet rendered are taken to be as tall.
 * Guesses that are right cost nothing: each measurement that differs from its guess
 * re-places every row below it, and moves the end of the board.
 */
export function useVirtualRows(
  keys: readonly string[],
  shapeOf: (index: number) => string,
  estimate: (shape: string) => number,
  dragId: string | null,
) {
  // The list element arrives after the first render (the board shows once its records have loaded).
  const [list, listRef] = useState<HTMLDivElement | null>(null);
  const [scroller, setScroller] = useState<HTMLElement | null>(null);
  const [found, setFound] = useState(false);
  const [scrollMargin, setScrollMargin] = useState(0);
  const focused = useRef<string | null>(null);
  const pendingFocus = useRef<string | null>(null);

  const indexOf = useMemo(() => new Map(keys.map((key, index) => [key, index])), [keys]);
  const indexOfRef = useRef(indexOf);
  indexOfRef.current = indexOf;
  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      for (const id of [focused.current, dragId]) {
        const index = id === null ? undefined : indexOf.get(id);
        if (index !== undefined && !indexes.includes(index)) indexes.push(index);
      }
      return indexes.sort((a, b) => a - b);
    },
    [indexOf, dragId],
  );
  const getItemKey = useCallback((index: number) => keys[index] ?? index, [keys]);
  const measured = useRef(new Map<string, number>());
  const shapeRef = useRef(shapeOf);
  shapeRef.current = shapeOf;
  const estimateSize = useCallback(
    (index: number) => {
      const shape = shapeOf(index);
      return measured.current.get(shape) ?? estimate(shape);
    },
    [shapeOf, estimate],
  );

  const [rowsBeyond, setRowsBeyond] = useState(0);
  useEffect(() => afterFirstView(() => setRowsBeyond(overscan), 1_000), []);

  const virtualizer: Virtualizer<HTMLElement, HTMLElement> = useVirtualizer({
    count: keys.length,
    getScrollElement: () => scroller,
    estimateSize,
    getItemKey,
    rangeExtractor,
    overscan: rowsBeyond,
    scrollMargin,
    // Before the scroll box is known: a screenful, not nothing and not the whole board.
    initialRect: { width: 0, height: typeof window === 'undefined' ? 900 : window.innerHeight },
  });

  // The scroll box, and where the list starts in it (below the toolbar and column heads).
  useLayoutEffect(() => {
    if (!list) return;
    const box = list.closest<HTMLElement>('.workspace-main');
    setScroller(box);
    setFound(true);
    if (!box) return;
    const measure = () => {
      const margin = list.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
      setScrollMargin((current) => (Math.abs(current - margin) < 1 ? current : margin));
    };
    measure();
    const observer = new ResizeObserver(measure);
    for (const element of list.parentElement?.children ?? []) if (element !== list) observer.observe(element);
    return () => observer.disconnect();
  }, [list]);

  // A row asked for while off screen is focused once scrolled into view and rendered.
  useLayoutEffect(() => {
    const id = pendingFocus.current;
    if (id === null) return;
    const element = rowElement(list, id);
    if (!element) return;
    pendingFocus.current = null;
    reveal(element);
  });

  const measureElement = virtualizer.measureElement;
  const measure = useCallback(
    (element: HTMLElement | null) => {
      if (element) {
        // Read before the virtualizer's own measurement, so the rows it re-places use it.
        // Not the first row: it has no top border.
        const index = Number(element.dataset.index);
        const shape = shapeRef.current(index);
        if (index > 0 && !measured.current.has(shape)) measured.current.set(shape, element.offsetHeight);
      }
      measureElement(element);
    },
    [measureElement],
  );

  /** Focuses the row `id` and scrolls it into view, rendering it first if it is off screen. */
  const focusRow = useCallback(
    (id: string) => {
      const element = rowElement(list, id);
      if (element) return reveal(element);
      const index = indexOfRef.current.get(id);
      if (index === undefined) return;
      pendingFocus.current = id;
      focused.current = id;
      virtualizer.scrollToIndex(index, { align: 'center' });
    },
    [virtualizer, list],
  );

  /** The row the keyboard is on: `id` (the focused row), or a row asked for and not yet rendered. */
  const keyboardRow = useCallback((id: string) => pendingFocus.current ?? id, []);

  const onFocus = useCallback((event: FocusEvent<HTMLElement>) => {
    pendingFocus.current = null;
    focused.current = (event.target as Element).closest('[data-row-id]')?.getAttribute('data-row-id') ?? null;
  }, []);

  /** The rendered entries, with spacers standing in for the rows between and around them. */
  const render = (renderItem: (item: VirtualItem) => ReactNode): ReactNode[] => {
    // Not in the workspace's scroll box (nothing to measure against): every row.
    if (found && !scroller)
      return keys.map((key, index) => renderItem({ key, index, start: 0, end: 0, size: 0, lane: 0 }));
    const out: ReactNode[] = [];
    const spacer = (height: number) =>
      out.push(<div key={`gap:${out.length}`} className="strip-gap" aria-hidden="true" style={{ height }} />);
    let at = scrollMargin;
    for (const item of virtualizer.getVirtualItems()) {
      if (item.start - at >= 0.5) spacer(item.start - at);
      out.push(renderItem(item));
      at = item.end;
    }
    const end = scrollMargin + virtualizer.getTotalSize();
    if (end - at >= 0.5) spacer(end - at);
    return out;
  };

  return { listRef, measure, focusRow, keyboardRow, onFocus, render, virtualizer };
}
