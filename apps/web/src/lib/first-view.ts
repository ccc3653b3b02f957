'use client';
// Work a project's first view does not need (code fetched ahead for views not on screen:
// the screenplay editor, pdf-lib) waits until that view has shown its data. Evaluating
// those chunks as the board rendered held back the frame that shows it: in a traced reopen
// the editor's preload, fired while the workspace waited on IndexedDB, evaluated ~350 ms of
// chunks between the board's render and its frame (load ~16).

let shown = false;
/** True once the frame after the first view's data had a chance to paint. */
let painted = false;
const waiting = new Set<() => void>();

/**
 * The first view of this page load has rendered its data (the board its rows). Marked as
 * `clapper:view-shown` on the performance timeline (the board benchmark reads it).
 */
export function markFirstViewShown(): void {
  if (shown || typeof window === 'undefined') return;
  shown = true;
  performance.mark('clapper:view-shown');
  // After the next frame, which paints what was just rendered.
  requestAnimationFrame(() =>
    setTimeout(() => {
      painted = true;
      for (const run of [...waiting]) run();
      waiting.clear();
    }, 0),
  );
}

/**
 * Runs `run` once the first view has shown and the browser is then idle (within
 * `idleTimeoutMs` of that). Returns a function that cancels it.
 */
export function afterFirstView(run: () => void, idleTimeoutMs: number): () => void {
  let cancelled = false;
  let cancelIdle: (() => void) | null = null;
  const start = () => {
    if (cancelled) return;
    if (typeof requestIdleCallback === 'function') {
      const id = requestIdleCallback(run, { timeout: idleTimeoutMs });
      cancelIdle = () => cancelIdleCallback(id);
    } else {
      const id = setTimeout(run, 0);
      cancelIdle = () => clearTimeout(id);
    }
  };
  if (painted) start();
  else waiting.add(start);
  return () => {
    cancelled = true;
    waiting.delete(start);
    cancelIdle?.();
  };
}
