import { type BackoffOptions, backoffDelay, defaultBackoff } from './backoff.ts';
import { type SyncClientError, toSyncClientError } from './sync-client-error.ts';
import { type Timers, realTimers } from './timers.ts';

/**
 * Why a sync is wanted. `local` writes respect a running backoff (the retry will carry
 * them); every other reason means "the world changed", so it cuts a backoff short.
 */
export type TriggerReason = 'local' | 'nudge' | 'connect' | 'online' | 'start' | 'manual';

export interface SchedulerState {
  running: boolean;
  /** Consecutive retryable failures; 0 after a success. */
  retryAttempt: number;
  /** Epoch ms of the scheduled retry, or null. */
  nextRetryAt: number | null;
  /** UNAUTHORIZED: no automatic sync until `syncNow()` (after a new sign-in). */
  halted: boolean;
}

export interface SyncSchedulerOptions {
  run: () => Promise<void>;
  debounceMs?: number;
  backoff?: Partial<BackoffOptions>;
  timers?: Timers;
  random?: () => number;
  now?: () => number;
  onStateChange?: (state: SchedulerState) => void;
  /** After each run: null on success, the classified error otherwise. */
  onResult?: (error: SyncClientError | null) => void;
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Single-flight, debounced, backing-off driver of one async job (a synchronize()).
 * Invariants: at most one `run` in flight; a trigger during a run causes exactly one
 * more run afterwards; no timer is armed while idle and healthy (no polling).
 */
export class SyncScheduler {
  private readonly run: () => Promise<void>;
  private readonly debounceMs: number;
  private readonly backoff: BackoffOptions;
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly onStateChange: ((state: SchedulerState) => void) | undefined;
  private readonly onResult: ((error: SyncClientError | null) => void) | undefined;

  private debounceTimer: unknown = null;
  private retryTimer: unknown = null;
  private inFlight: Promise<void> | null = null;
  private rerunRequested = false;
  private retryAttempt = 0;
  private nextRetryAt: number | null = null;
  private halted = false;
  private stopped = false;
  private waiters: Waiter[] = [];

  constructor(options: SyncSchedulerOptions) {
    this.run = options.run;
    this.debounceMs = options.debounceMs ?? 30;
    this.backoff = { ...defaultBackoff, ...options.backoff };
    this.timers = options.timers ?? realTimers;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.onStateChange = options.onStateChange;
    this.onResult = options.onResult;
  }

  getState(): SchedulerState {
    return {
      running: this.inFlight !== null,
      retryAttempt: this.retryAttempt,
      nextRetryAt: this.nextRetryAt,
      halted: this.halted,
    };
  }

  /** Nothing running and nothing debounced; an armed backoff retry does not count. */
  isIdle(): boolean {
    return this.inFlight === null && this.debounceTimer === null && !this.rerunRequested && this.waiters.length === 0;
  }

  trigger(reason: TriggerReason): void {
    if (this.stopped) return;
    if (this.halted && reason !== 'manual') return;
    if (this.inFlight) {
      this.rerunRequested = true;
      return;
    }
    if (this.retryTimer !== null) {
      if (reason === 'local') return;
      this.clearRetry();
    }
    if (reason !== 'local') {
      // The world changed elsewhere: run at once. Debounce only coalesces bursts of local writes.
      this.clearDebounce();
      void this.execute();
      return;
    }
    if (this.debounceTimer !== null) return;
    if (this.debounceMs <= 0) {
      // No debounce: start in a microtask, so the sync's request leaves before the tasks
      // already queued behind the write (a UI re-render of it, the rest of a key press).
      const token = {};
      this.debounceTimer = token;
      queueMicrotask(() => {
        if (this.debounceTimer !== token) return;
        this.debounceTimer = null;
        void this.execute();
      });
      return;
    }
    this.debounceTimer = this.timers.setTimeout(() => {
      this.debounceTimer = null;
      void this.execute();
    }, this.debounceMs);
  }

  /**
   * Runs a sync as soon as possible (bypassing debounce, backoff and a halt) and
   * settles with the outcome of a run that started after this call.
   */
  syncNow(): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('sync engine is stopped'));
    this.halted = false;
    const settled = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.inFlight) {
      this.rerunRequested = true;
    } else {
      this.clearDebounce();
      this.clearRetry();
      void this.execute();
    }
    return settled;
  }

  /** Stops all timers and future runs; resolves when an in-flight run has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearDebounce();
    this.clearRetry();
    this.rerunRequested = false;
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.reject(new Error('sync engine stopped'));
    this.emitState();
    await this.inFlight?.catch(() => undefined);
  }

  /** Allows runs again after `stop()`; keeps the failure count. */
  resume(): void {
    this.stopped = false;
  }

  private async execute(): Promise<void> {
    if (this.stopped || this.inFlight) return;
    this.rerunRequested = false;
    const waiters = this.waiters;
    this.waiters = [];
    let finish!: () => void;
    this.inFlight = new Promise<void>((resolve) => (finish = resolve));
    this.emitState();
    let failure: SyncClientError | null = null;
    try {
      await this.run();
      this.retryAttempt = 0;
    } catch (error) {
      failure = toSyncClientError(error);
    }
    this.inFlight = null;
    finish();
    if (failure) this.handleFailure(failure);
    this.emitState();
    this.onResult?.(failure);
    for (const waiter of waiters) {
      if (failure) waiter.reject(failure);
      else waiter.resolve();
    }
    if (this.waiters.length > 0 && !this.stopped) {
      // syncNow() during the run: its caller wants a run that saw its changes.
      void this.execute();
    } else if (this.rerunRequested && !this.stopped && !this.halted && this.retryTimer === null) {
      this.rerunRequested = false;
      this.trigger('manual');
    }
  }

  private handleFailure(failure: SyncClientError): void {
    switch (failure.action) {
      case 'retry': {
        this.retryAttempt += 1;
        if (this.stopped) return;
        const delay = backoffDelay(this.retryAttempt, this.backoff, this.random);
        this.nextRetryAt = this.now() + delay;
        this.retryTimer = this.timers.setTimeout(() => {
          this.retryTimer = null;
          this.nextRetryAt = null;
          void this.execute();
        }, delay);
        return;
      }
      case 'halt':
        this.halted = true;
        this.rerunRequested = false;
        return;
      case 'reject':
        // Retrying cannot change the server's mind; the next real trigger tries again.
        this.retryAttempt = 0;
        return;
    }
  }

  private clearDebounce(): void {
    // A microtask's token (debounce 0) is no timer: dropping it is enough.
    if (this.debounceTimer !== null && this.debounceMs > 0) this.timers.clearTimeout(this.debounceTimer);
    this.debounceTimer = null;
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.nextRetryAt = null;
  }

  private emitState(): void {
    this.onStateChange?.(this.getState());
  }
}
