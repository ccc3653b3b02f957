import type { Database } from '@nozbe/watermelondb';
import { type SyncDatabaseChangeSet, type SyncLog, synchronize } from '@nozbe/watermelondb/sync';
import { type NudgeChanged, type NudgeServerMessage, type SyncChanges, schemaVersion } from '@clapper/schema';
import type { BackoffOptions } from './backoff.ts';
import { withDatabaseLock } from './database-lock.ts';
import { syncedTablesOf } from './database-tables.ts';
import { type IdempotentPusher, createIdempotentPusher } from './idempotent-push.ts';
import { countPendingChanges, markChangesAsSynced, readLocalChanges } from './local-changes.ts';
import { NudgeSocket, type WebSocketConstructor } from './nudge-socket.ts';
import { readLastPulledAt } from './pending-push.ts';
import { SyncClientError, toSyncClientError } from './sync-client-error.ts';
import { type SchedulerState, SyncScheduler, type TriggerReason } from './sync-scheduler.ts';
import { type SyncStatus, SyncStatusStore } from './sync-status.ts';
import { type SyncTransport, createTrpcTransport } from './sync-transport.ts';
import type { Timers } from './timers.ts';

/**
 * The schema version at which this client started sending migration info on pull
 * (WatermelonDB: "the version BEFORE the first syncable migration"). Clapper shipped
 * migration syncs from its first schema, so it is 1 forever; never raise it.
 */
export const migrationsEnabledAtVersion = 1;

/** Nudges with changes held for a sync to apply; older ones are dropped (a pull covers them). */
const maxHeldNudges = 8;

/** One line per sync, for "my change didn't show up". */
export interface SyncLogEntry {
  projectId: string;
  ok: boolean;
  durationMs: number;
  remoteChangeCount: number;
  localChangeCount: number;
  retriedPushId: string | null;
  /** The pull was a nudge's changes, applied without asking the server (C19). */
  appliedNudge: boolean;
  /** Local changes were read (and pushed, if any): no sync since the last local write had done it (C20). */
  readLocalChanges: boolean;
  error: SyncClientError | null;
}

export interface SyncEngineOptions {
  database: Database;
  projectId: string;
  /** Server origin, e.g. `http://localhost:4000`. */
  serverUrl: string;
  getToken: () => string | null | Promise<string | null>;
  /** WebSocket constructor for the engine's own nudge socket (Node: `ws`). */
  webSocket?: WebSocketConstructor;
  /** A NudgeSocket shared by several projects' engines; the engine does not close it. */
  nudges?: NudgeSocket;
  /** Delay between a local write and the sync it causes. */
  debounceMs?: number;
  backoff?: Partial<BackoffOptions>;
  /** Overrides the HTTP fetch (tests count or drop requests). */
  fetch?: typeof globalThis.fetch;
  /** Overrides the whole transport (tests without a server). */
  transport?: SyncTransport;
  timers?: Timers;
  random?: () => number;
  onLog?: (entry: SyncLogEntry) => void;
  /**
   * Apply the changes a nudge carries when they follow this device's last pull, instead of
   * pulling (default true; false pulls on every nudge, as clients before C19 did).
   */
  applyNudgedChanges?: boolean;
  /**
   * Send pushes over the `/sync` socket when it is open, the browser is online and the
   * server takes them there, HTTP otherwise (C23; default true). False: always HTTP.
   */
  pushOverSocket?: boolean;
  /** How long a push over the engine's own socket waits for its answer (C23; tests shorten it). */
  pushAnswerTimeoutMs?: number;
  /** Start syncing at once (default true). */
  autoStart?: boolean;
}

export interface SyncEngine {
  readonly projectId: string;
  readonly database: Database;
  getStatus(): SyncStatus;
  subscribe(listener: () => void): () => void;
  /** Sync now, bypassing debounce, backoff and an UNAUTHORIZED halt; settles with that sync's outcome. */
  syncNow(): Promise<void>;
  /** No sync running or scheduled (a backoff retry may still be armed). */
  isIdle(): boolean;
  /** Resume after stop(): observe, subscribe, sync. */
  start(): void;
  /** Stop observing, unsubscribe, cancel timers; resolves when an in-flight sync ended. */
  stop(): Promise<void>;
}

function browserWindow(): {
  addEventListener(type: string, fn: () => void): void;
  removeEventListener(type: string, fn: () => void): void;
} | null {
  const target = globalThis as { window?: unknown; addEventListener?: unknown; removeEventListener?: unknown };
  if (typeof target.window === 'undefined' || typeof target.addEventListener !== 'function') return null;
  return target as never;
}

function browserOnline(): boolean {
  const nav = (globalThis as { navigator?: { onLine?: boolean } }).navigator;
  return typeof nav?.onLine === 'boolean' ? nav.onLine : true;
}

/**
 * WatermelonDB reads the local rows of every table a pull names, changed or not; a nudge
 * changes one or two of a dozen tables, so the rest are left out (the same as empty).
 */
function withoutEmptyTables(changes: SyncChanges): SyncDatabaseChangeSet {
  const nonEmpty: SyncChanges = {};
  for (const [table, tableChanges] of Object.entries(changes)) {
    if (tableChanges.created.length + tableChanges.updated.length + tableChanges.deleted.length > 0)
      nonEmpty[table] = tableChanges;
  }
  return nonEmpty as SyncDatabaseChangeSet;
}

function countChanges(changes: SyncChanges): number {
  let count = 0;
  for (const table of Object.values(changes))
    count += table.created.length + table.updated.length + table.deleted.length;
  return count;
}

/** The shared socket if given, else a new one when a WebSocket implementation exists. */
function nudgeSocketFor(options: SyncEngineOptions): NudgeSocket | null {
  if (options.nudges) return options.nudges;
  const webSocket = options.webSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!webSocket) return null;
  return new NudgeSocket({
    serverUrl: options.serverUrl,
    getToken: options.getToken,
    webSocket,
    ...(options.backoff ? { backoff: options.backoff } : {}),
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(options.pushAnswerTimeoutMs !== undefined ? { pushAnswerTimeoutMs: options.pushAnswerTimeoutMs } : {}),
  });
}

class ProjectSyncEngine implements SyncEngine {
  readonly projectId: string;
  readonly database: Database;
  private readonly options: SyncEngineOptions;
  private readonly transport: SyncTransport;
  private readonly pusher: IdempotentPusher;
  private readonly scheduler: SyncScheduler;
  private readonly status = new SyncStatusStore();
  /** The shared socket, or one this engine opened in start() and closes in stop(). */
  private nudges: NudgeSocket | null = null;
  private ownsNudges = false;
  private teardown: (() => void)[] = [];
  private started = false;
  private lastPulledAt: number | null = null;
  /** Nudges that arrived mid-sync, judged once we know what that sync pulled. */
  private deferredNudges: number[] = [];
  /** Nudges carrying changes not yet applied, newest last; a sync takes the one that follows its lastPulledAt (C19). */
  private nudgedChanges: (NudgeChanged & { since: number; schemaVersion: number; changes: SyncChanges })[] = [];
  private networkOk = true;
  /** The server confirmed our subscription on the current socket connection. */
  private subscribed = false;
  private browserIsOnline = browserOnline();
  private recountQueued = false;
  /**
   * False only when a successful sync pushed (or found nothing to push) and no local write
   * was seen since it began: then a sync skips its push (C22) and the scan of every table
   * for local changes, about half the CPU of applying a nudge (C20). Any
   * local write sets it (and starts a sync, C2), so nothing waits on it.
   */
  private mayHaveLocalChanges = true;
  /** Counts local writes seen, so a sync knows whether one landed while it ran. */
  private localWrites = 0;

  constructor(options: SyncEngineOptions) {
    this.options = options;
    this.projectId = options.projectId;
    this.database = options.database;
    const http =
      options.transport ??
      createTrpcTransport({
        serverUrl: options.serverUrl,
        getToken: options.getToken,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
    const overSocket = options.pushOverSocket ?? true;
    this.transport = {
      pull: (request) => http.pull(request),
      // The socket already open saves the request its HTTP round trip's overhead (C23).
      push: (request) => (overSocket ? this.nudges?.push(request) : null) ?? http.push(request),
    };
    this.pusher = createIdempotentPusher({
      database: this.database,
      projectId: this.projectId,
      transport: this.transport,
    });
    this.scheduler = new SyncScheduler({
      run: () => this.runSync(),
      ...(options.debounceMs !== undefined ? { debounceMs: options.debounceMs } : {}),
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.timers ? { timers: options.timers } : {}),
      ...(options.random ? { random: options.random } : {}),
      onStateChange: (state) => this.onSchedulerState(state),
      onResult: (error) => this.onSyncResult(error),
    });
    if (options.autoStart ?? true) this.start();
  }

  getStatus = (): SyncStatus => this.status.getStatus();

  subscribe = (listener: () => void): (() => void) => this.status.subscribe(listener);

  syncNow(): Promise<void> {
    return this.scheduler.syncNow();
  }

  isIdle(): boolean {
    return this.scheduler.isIdle();
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    // Writes made while stopped (or in an earlier session) were not seen.
    this.mayHaveLocalChanges = true;
    this.scheduler.resume();
    void readLastPulledAt(this.database).then((value) => {
      if (this.lastPulledAt === null || (value !== null && value > this.lastPulledAt)) this.lastPulledAt = value;
    });

    const subscription = this.database.withChangesForTables(syncedTablesOf(this.database)).subscribe((changes) => {
      if (!changes) return;
      // Only local writes leave records dirty; applied pulls and "marked as synced" don't.
      const dirty = changes.some(({ record }) => record._raw._status !== 'synced');
      // Synced records can't raise the count, and with nothing pending it can't fall: an
      // applied pull or nudge costs no recount (a query per table).
      if (dirty || this.status.getStatus().pending !== 0) this.queuePendingRecount();
      if (dirty) {
        this.localWrites += 1;
        this.mayHaveLocalChanges = true;
        this.scheduler.trigger('local');
      }
    });
    this.teardown.push(() => subscription.unsubscribe());

    this.nudges = nudgeSocketFor(this.options);
    this.ownsNudges = this.nudges !== null && this.nudges !== this.options.nudges;
    if (this.nudges) {
      const nudges = this.nudges;
      this.teardown.push(nudges.subscribe(this.projectId, (message) => this.onNudge(message)));
      this.teardown.push(
        nudges.onStateChange(() => {
          if (!nudges.getState().connected) this.subscribed = false;
          this.refreshOnline();
        }),
      );
    }

    const win = browserWindow();
    if (win) {
      const onOnline = () => {
        this.browserIsOnline = true;
        this.refreshOnline();
        this.scheduler.trigger('online');
      };
      const onOffline = () => {
        this.browserIsOnline = false;
        this.refreshOnline();
      };
      win.addEventListener('online', onOnline);
      win.addEventListener('offline', onOffline);
      this.teardown.push(() => {
        win.removeEventListener('online', onOnline);
        win.removeEventListener('offline', onOffline);
      });
    }

    this.queuePendingRecount();
    this.refreshOnline();
    this.scheduler.trigger('start');
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    for (const undo of this.teardown.splice(0)) undo();
    this.subscribed = false;
    if (this.ownsNudges) this.nudges?.close();
    this.nudges = null;
    this.ownsNudges = false;
    await this.scheduler.stop();
    this.refreshOnline();
  }

  private trigger(reason: TriggerReason): void {
    if (this.started) this.scheduler.trigger(reason);
  }

  private onNudge(message: NudgeServerMessage): void {
    switch (message.type) {
      case 'subscribed':
        // (Re)connected: anything committed while we were away was never nudged.
        this.subscribed = true;
        this.networkOk = true;
        this.refreshOnline();
        this.trigger('connect');
        return;
      case 'changed':
        if (
          message.since !== undefined &&
          message.schemaVersion !== undefined &&
          message.changes !== undefined &&
          (this.options.applyNudgedChanges ?? true) &&
          this.needsPull(message.timestamp)
        ) {
          const { since, schemaVersion: version, changes } = message;
          this.nudgedChanges.push({ ...message, since, schemaVersion: version, changes });
          // A device that keeps missing them (it is behind) holds a few at most.
          if (this.nudgedChanges.length > maxHeldNudges) this.nudgedChanges.shift();
        }
        if (this.status.getStatus().syncing) this.deferredNudges.push(message.timestamp);
        else if (this.needsPull(message.timestamp)) this.trigger('nudge');
        return;
      case 'error':
        this.status.update({
          error: new SyncClientError(
            message.code === 'FORBIDDEN' ? 'FORBIDDEN' : 'SERVER',
            message.message ?? `nudge socket: ${message.code}`,
          ),
        });
        return;
      default:
        return;
    }
  }

  // Even the nudge of our own push needs a pull: the server commits pushes that queue
  // up together under one stamp, so that stamp may carry another device's edits too.
  private needsPull(timestamp: number): boolean {
    return this.lastPulledAt === null || timestamp > this.lastPulledAt;
  }

  /**
   * The held nudge whose changes directly follow `lastPulledAt` (the one stored in the
   * database, read by synchronize() under its lock), or null: then the sync pulls. A
   * gap, a reordering or a lost nudge all end here as "none follows": pull.
   */
  private takeNudgedChanges(
    lastPulledAt: number | null,
    localSchemaVersion: number,
  ): { changes: SyncChanges; timestamp: number } | null {
    if (lastPulledAt === null) return null;
    // A project's first stamp follows clock 0, which this client stores as 1 (see the pull below).
    const found = this.nudgedChanges.find(
      (m) =>
        (m.since === 0 ? 1 : m.since) === lastPulledAt &&
        m.timestamp > lastPulledAt &&
        m.schemaVersion === localSchemaVersion,
    );
    const upTo = found?.timestamp ?? lastPulledAt;
    this.nudgedChanges = this.nudgedChanges.filter((m) => m !== found && m.timestamp > upTo);
    return found ? { changes: found.changes, timestamp: found.timestamp } : null;
  }

  /**
   * One sync: first settle a push whose answer was lost (C11, idempotent-push.ts), then
   * push this device's local changes (C22), then WatermelonDB's synchronize() for the
   * pull: apply, and mark as synced.
   */
  private runSync(): Promise<void> {
    return withDatabaseLock(this.database, () => this.runSyncLocked());
  }

  /**
   * Pushes the local changes before pulling (C22), so that an edit reaches the server,
   * and the other devices' nudges, one pull round trip sooner. Resolves with the push's
   * refusal when the server refused it (FORBIDDEN, BAD_REQUEST, …): the sync still pulls
   * (C9) and then fails with it. A push that may not have arrived (network, 5xx) throws:
   * the sync fails and retries, and its pushId is reused (C10).
   */
  private async pushFirst(): Promise<{ count: number; refusal: unknown }> {
    const local = await readLocalChanges(this.database);
    const count = countChanges(local);
    if (count === 0) return { count, refusal: null };
    try {
      await this.pusher.push(local, this.lastPulledAt);
    } catch (error) {
      if (toSyncClientError(error).action === 'reject') return { count, refusal: error };
      throw error;
    }
    // Only the records still exactly as pushed: one edited meanwhile stays dirty and goes
    // out in the next sync, which its write triggered (C2, C5).
    await markChangesAsSynced(this.database, local);
    return { count, refusal: null };
  }

  private async runSyncLocked(): Promise<void> {
    const startedAt = Date.now();
    const log: SyncLog = {};
    let retriedPushId: string | null = null;
    let appliedNudge = false;
    let localChangeCount = 0;
    const writesBefore = this.localWrites;
    const pushing = this.mayHaveLocalChanges;
    try {
      const settled = await this.pusher.settlePending();
      if (settled) retriedPushId = settled.pushId;
      let refusal: unknown = null;
      if (pushing) ({ count: localChangeCount, refusal } = await this.pushFirst());
      // The pull. Local changes went out above; a write since then started its own sync,
      // which pushes it first too, so synchronize() is given no push phase (C20, C22).
      await synchronize({
        database: this.database,
        pullChanges: async ({ lastPulledAt, schemaVersion: localSchemaVersion, migration }) => {
          // Applied by synchronize() as a pulled response: records changed locally keep
          // their changed columns (WatermelonDB's conflict rule).
          const nudged = migration
            ? null
            : this.takeNudgedChanges(lastPulledAt ?? null, localSchemaVersion ?? schemaVersion);
          if (nudged) {
            appliedNudge = true;
            return { changes: withoutEmptyTables(nudged.changes), timestamp: nudged.timestamp };
          }
          const response = await this.transport.pull({
            projectId: this.projectId,
            lastPulledAt: lastPulledAt ?? null,
            schemaVersion: localSchemaVersion ?? schemaVersion,
            migration: migration ?? null,
          });
          // A project nobody has pushed to has clock 0, which WatermelonDB refuses as a
          // lastPulledAt. Every real stamp is >= wall-clock ms (K1), so 1 misses nothing.
          const timestamp = response.timestamp === 0 ? 1 : response.timestamp;
          return { changes: response.changes as SyncDatabaseChangeSet, timestamp };
        },
        migrationsEnabledAtVersion,
        sendCreatedAsUpdated: false,
        log,
      });
      if (log.newLastPulledAt !== undefined) this.lastPulledAt = log.newLastPulledAt;
      if (refusal !== null) throw refusal;
      // Everything local before this sync's push went out; a write since keeps it on.
      if (this.localWrites === writesBefore) this.mayHaveLocalChanges = false;
      this.options.onLog?.(this.logEntry(log, startedAt, retriedPushId, appliedNudge, pushing, localChangeCount, null));
    } catch (error) {
      if (log.newLastPulledAt !== undefined) this.lastPulledAt = log.newLastPulledAt;
      const failure = toSyncClientError(error);
      this.options.onLog?.(
        this.logEntry(log, startedAt, retriedPushId, appliedNudge, pushing, localChangeCount, failure),
      );
      throw error;
    }
  }

  private logEntry(
    log: SyncLog,
    startedAt: number,
    retriedPushId: string | null,
    appliedNudge: boolean,
    readLocalChanges: boolean,
    localChangeCount: number,
    error: SyncClientError | null,
  ): SyncLogEntry {
    return {
      projectId: this.projectId,
      ok: error === null && log.phase === 'done',
      durationMs: Date.now() - startedAt,
      remoteChangeCount: log.remoteChangeCount ?? 0,
      localChangeCount,
      retriedPushId,
      appliedNudge,
      readLocalChanges,
      error,
    };
  }

  private onSchedulerState(state: SchedulerState): void {
    this.status.update({ syncing: state.running, retryAttempt: state.retryAttempt, nextRetryAt: state.nextRetryAt });
  }

  private onSyncResult(error: SyncClientError | null): void {
    if (error === null) {
      this.networkOk = true;
      this.status.update({ error: null, lastSyncedAt: Date.now() });
    } else {
      if (error.code === 'NETWORK' || error.code === 'SERVER') this.networkOk = false;
      else if (error.code !== 'LOCAL') this.networkOk = true;
      this.status.update({ error });
    }
    this.refreshOnline();
    // A sync only takes pending records away (local writes meanwhile recount themselves).
    if (this.status.getStatus().pending !== 0) this.queuePendingRecount();
    const deferred = this.deferredNudges.splice(0);
    // A sync applies one held nudge; several may have arrived meanwhile (a burst after a
    // busy or offline spell): after a success, go on until level with the newest (C19).
    const behindHeld = error === null && this.nudgedChanges.some((m) => this.needsPull(m.timestamp));
    if (behindHeld || deferred.some((timestamp) => this.needsPull(timestamp))) this.trigger('nudge');
  }

  private refreshOnline(): void {
    const socketUp = this.nudges ? this.nudges.getState().connected && this.subscribed : true;
    this.status.update({ online: this.started && this.browserIsOnline && this.networkOk && socketUp });
  }

  private queuePendingRecount(): void {
    if (this.recountQueued) return;
    this.recountQueued = true;
    queueMicrotask(() => {
      this.recountQueued = false;
      countPendingChanges(this.database).then(
        (pending) => this.status.update({ pending }),
        () => undefined,
      );
    });
  }
}

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  return new ProjectSyncEngine(options);
}
