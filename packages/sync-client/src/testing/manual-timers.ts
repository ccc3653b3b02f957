import type { Timers } from '../timers.ts';

/** Test clock: timers fire only when the test advances time. */
export interface ManualTimers {
  timers: Timers;
  now(): number;
  /** Delays (ms from now) of the armed timers. */
  armed(): number[];
  advance(ms: number): Promise<void>;
}

export function flushAsync(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function createManualTimers(): ManualTimers {
  let now = 0;
  let sequence = 0;
  const queue = new Map<number, { at: number; fn: () => void }>();
  return {
    timers: {
      setTimeout(fn, ms) {
        sequence += 1;
        queue.set(sequence, { at: now + ms, fn });
        return sequence;
      },
      clearTimeout(handle) {
        queue.delete(handle as number);
      },
    },
    now: () => now,
    armed: () => [...queue.values()].map((entry) => entry.at - now),
    async advance(ms) {
      const target = now + ms;
      for (;;) {
        let next: [number, { at: number; fn: () => void }] | undefined;
        for (const entry of queue) if (entry[1].at <= target && (!next || entry[1].at < next[1].at)) next = entry;
        if (!next) break;
        queue.delete(next[0]);
        now = next[1].at;
        next[1].fn();
        await flushAsync();
      }
      now = target;
      await flushAsync();
    },
  };
}
