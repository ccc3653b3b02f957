import { expect, test } from 'vitest';
import { backoffDelay, defaultBackoff } from './backoff.ts';
import { SyncClientError } from './sync-client-error.ts';
import { SyncScheduler } from './sync-scheduler.ts';
import { createManualTimers, flushAsync } from './testing/manual-timers.ts';

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A scheduler whose job records its runs and fails when told to. */
function harness(options: { debounceMs?: number } = {}) {
  const clock = createManualTimers();
  const runs: number[] = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  let failWith: SyncClientError | null = null;
  let gate: Deferred | null = null;
  const scheduler = new SyncScheduler({
    run: async () => {
      concurrent += 1;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      runs.push(clock.now());
      try {
        if (gate) await gate.promise;
        if (failWith) throw failWith;
      } finally {
        concurrent -= 1;
      }
    },
    debounceMs: options.debounceMs ?? 30,
    timers: clock.timers,
    now: clock.now,
    random: () => 1,
  });
  return {
    clock,
    scheduler,
    runs,
    maxConcurrent: () => maxConcurrent,
    failWith(error: SyncClientError | null) {
      failWith = error;
    },
    hold(): Deferred {
      gate = deferred();
      return gate;
    },
    release() {
      gate?.resolve();
      gate = null;
    },
  };
}

test('[C2] local writes inside the debounce window share one sync', async () => {
  const h = harness({ debounceMs: 30 });
  h.scheduler.trigger('local');
  await h.clock.advance(10);
  h.scheduler.trigger('local');
  h.scheduler.trigger('local');
  await h.clock.advance(19);
  expect(h.runs).toEqual([]);
  await h.clock.advance(1);
  expect(h.runs).toEqual([30]);
  await h.clock.advance(1000);
  expect(h.runs).toHaveLength(1);
});

test('[C2] with no debounce, a local write starts its sync in a microtask: before any task or timer, once per burst', async () => {
  const h = harness({ debounceMs: 0 });
  h.scheduler.trigger('local');
  h.scheduler.trigger('local');
  expect(h.runs).toEqual([]);
  await Promise.resolve();
  // No task ran (setImmediate, timers), no time passed, and nothing was armed.
  expect(h.runs).toEqual([0]);
  expect(h.clock.armed()).toEqual([]);
  await flushAsync();
  expect(h.runs).toHaveLength(1);
  // stop() before the microtask ran: nothing starts.
  h.scheduler.trigger('local');
  const stopped = h.scheduler.stop();
  await flushAsync();
  await stopped;
  expect(h.runs).toHaveLength(1);
});

test('[C5] triggers during a sync cause exactly one more sync, never two at once', async () => {
  const h = harness();
  h.hold();
  h.scheduler.trigger('local');
  await h.clock.advance(30);
  expect(h.runs).toHaveLength(1);
  for (const reason of ['local', 'nudge', 'local', 'connect', 'online'] as const) h.scheduler.trigger(reason);
  await h.clock.advance(500);
  expect(h.runs).toHaveLength(1);
  h.release();
  await flushAsync();
  await h.clock.advance(30);
  expect(h.runs).toHaveLength(2);
  await h.clock.advance(5000);
  expect(h.runs).toHaveLength(2);
  expect(h.maxConcurrent()).toBe(1);
});

test('[C5] syncNow during a sync settles with a sync that started after the call', async () => {
  const h = harness();
  const gate = h.hold();
  h.scheduler.trigger('local');
  await h.clock.advance(30);
  let settled = false;
  const now = h.scheduler.syncNow().then(() => (settled = true));
  gate.resolve();
  await flushAsync();
  await flushAsync();
  await now;
  expect(settled).toBe(true);
  expect(h.runs).toHaveLength(2);
  expect(h.maxConcurrent()).toBe(1);
});

test('[C6] a healthy idle scheduler arms no timer', async () => {
  const h = harness();
  h.scheduler.trigger('start');
  await h.clock.advance(30);
  expect(h.runs).toHaveLength(1);
  expect(h.clock.armed()).toEqual([]);
  expect(h.scheduler.getState()).toEqual({ running: false, retryAttempt: 0, nextRetryAt: null, halted: false });
});

test('[C7] retryable failures back off exponentially up to the cap and reset on success', async () => {
  const h = harness({ debounceMs: 0 });
  h.failWith(new SyncClientError('NETWORK', 'connection refused'));
  h.scheduler.trigger('start');
  await h.clock.advance(0);
  // random() = 1: the delay is the full ceiling, 250 · 2^(n-1) capped at 30 s.
  const expected = [250, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000];
  for (const [index, delay] of expected.entries()) {
    expect(h.scheduler.getState().retryAttempt).toBe(index + 1);
    expect(h.clock.armed()).toEqual([delay]);
    await h.clock.advance(delay - 1);
    expect(h.runs).toHaveLength(index + 1);
    await h.clock.advance(1);
    expect(h.runs).toHaveLength(index + 2);
  }
  h.failWith(null);
  await h.clock.advance(30_000);
  expect(h.scheduler.getState().retryAttempt).toBe(0);
  expect(h.clock.armed()).toEqual([]);
});

test('[C7] jitter keeps every delay within [ceiling/2, ceiling]', () => {
  for (let attempt = 1; attempt <= 12; attempt += 1) {
    const ceiling = Math.min(30_000, 250 * 2 ** (attempt - 1));
    expect(backoffDelay(attempt, defaultBackoff, () => 0)).toBe(ceiling / 2);
    expect(backoffDelay(attempt, defaultBackoff, () => 1)).toBe(ceiling);
    const random = backoffDelay(attempt, defaultBackoff);
    expect(random).toBeGreaterThanOrEqual(ceiling / 2);
    expect(random).toBeLessThanOrEqual(ceiling);
  }
});

test('[C7] a local write waits for the retry; a nudge cuts the backoff short', async () => {
  const h = harness({ debounceMs: 30 });
  h.failWith(new SyncClientError('SERVER', 'internal error'));
  h.scheduler.trigger('start');
  await h.clock.advance(30);
  h.scheduler.trigger('local');
  h.scheduler.trigger('local');
  await h.clock.advance(30);
  expect(h.runs).toHaveLength(1);
  // The retry was armed at 30 + 250 ms; the local writes did not move it.
  await h.clock.advance(219);
  expect(h.runs).toHaveLength(1);
  await h.clock.advance(1);
  expect(h.runs).toHaveLength(2);
  expect(h.clock.armed()).toEqual([500]);
  h.failWith(null);
  h.scheduler.trigger('nudge');
  await h.clock.advance(30);
  expect(h.runs).toHaveLength(3);
  expect(h.clock.armed()).toEqual([]);
});

test('[C8] UNAUTHORIZED halts automatic syncs until syncNow()', async () => {
  const h = harness();
  h.failWith(new SyncClientError('UNAUTHORIZED', 'session expired'));
  h.scheduler.trigger('start');
  await h.clock.advance(30);
  expect(h.runs).toHaveLength(1);
  expect(h.scheduler.getState().halted).toBe(true);
  expect(h.clock.armed()).toEqual([]);
  h.scheduler.trigger('local');
  h.scheduler.trigger('nudge');
  await h.clock.advance(60_000);
  expect(h.runs).toHaveLength(1);
  h.failWith(null);
  await h.scheduler.syncNow();
  expect(h.runs).toHaveLength(2);
  expect(h.scheduler.getState().halted).toBe(false);
});

test('[C9] a refused push is not retried automatically, but the next trigger runs', async () => {
  const h = harness();
  h.failWith(new SyncClientError('FORBIDDEN', 'viewers cannot write'));
  h.scheduler.trigger('local');
  await h.clock.advance(30);
  expect(h.clock.armed()).toEqual([]);
  await h.clock.advance(60_000);
  expect(h.runs).toHaveLength(1);
  h.scheduler.trigger('nudge');
  await h.clock.advance(30);
  expect(h.runs).toHaveLength(2);
  expect(h.scheduler.getState().retryAttempt).toBe(0);
});

test('[C6] stop() cancels timers and refuses further runs', async () => {
  const h = harness();
  h.failWith(new SyncClientError('NETWORK', 'down'));
  h.scheduler.trigger('start');
  await h.clock.advance(30);
  expect(h.clock.armed()).toHaveLength(1);
  await h.scheduler.stop();
  expect(h.clock.armed()).toEqual([]);
  h.scheduler.trigger('local');
  await h.clock.advance(60_000);
  expect(h.runs).toHaveLength(1);
  await expect(h.scheduler.syncNow()).rejects.toThrow(/stopped/);
});

test('[C3] a nudge runs at once: the debounce only coalesces local writes', async () => {
  const h = harness({ debounceMs: 30 });
  h.scheduler.trigger('local');
  h.scheduler.trigger('nudge');
  await flushAsync();
  expect(h.runs).toHaveLength(1);
  await h.clock.advance(30);
  expect(h.runs).toHaveLength(1);
});
