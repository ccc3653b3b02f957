// Remote carets (Lexical's syncCursorPositions) and the presence list follow awareness,
// which changes on every keystroke of every person in the doc, and a remote keystroke
// also re-places every caret. Placing a caret reads the layout (getBoundingClientRect),
// which in a 120-page script forces a full layout in the middle of the task, and then
// the frame lays out again. Run once per animation frame instead, with the latest
// arguments: the frame's one layout serves both. A page whose frames are throttled (a
// window behind another) still gets them within `fallbackMs`.
import type { ProviderAwareness } from '@lexical/yjs';

const fallbackMs = 100;

type Job = (...args: never[]) => void;

const pending = new Map<Job, unknown[]>();
let frame: number | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;

function flush(): void {
  if (frame !== null) cancelAnimationFrame(frame);
  if (timer !== null) clearTimeout(timer);
  frame = null;
  timer = null;
  const jobs = [...pending];
  pending.clear();
  for (const [job, args] of jobs) (job as unknown as (...a: unknown[]) => void)(...args);
}

/** Runs `job` at the next animation frame, once however often it is asked for (the last arguments win). */
export function oncePerFrame<A extends unknown[]>(job: (...args: A) => void, ...args: A): void {
  if (typeof requestAnimationFrame === 'undefined') {
    job(...args);
    return;
  }
  pending.set(job as unknown as Job, args);
  frame ??= requestAnimationFrame(flush);
  timer ??= setTimeout(flush, fallbackMs);
}

/** `awareness` whose 'update' listeners run once per frame. */
export function awarenessUpdatesOncePerFrame(awareness: ProviderAwareness): ProviderAwareness {
  const proxies = new Map<() => void, () => void>();
  return {
    getLocalState: () => awareness.getLocalState(),
    getStates: () => awareness.getStates(),
    setLocalState: (state) => awareness.setLocalState(state),
    setLocalStateField: (field, value) => awareness.setLocalStateField(field, value),
    on(type, listener) {
      const proxy = () => oncePerFrame(listener);
      proxies.set(listener, proxy);
      awareness.on(type, proxy);
    },
    off(type, listener) {
      const proxy = proxies.get(listener);
      if (proxy === undefined) return;
      proxies.delete(listener);
      awareness.off(type, proxy);
      pending.delete(listener);
    },
  };
}
