import type { Logger } from '@clapper/log';
import { CLOSE } from '@clapper/schema';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import { type AwarenessOwner, AwarenessOwnership } from './awareness-ownership.ts';
import { CollabError } from './collab-error.ts';
import { DocState } from './doc-state.ts';
import type { DocLogStats, DocStore } from './doc-store.ts';
import { type ClientMessage, encodeAwarenessMessage, encodeSyncMessage, syncType } from './sync-messages.ts';

export interface Connection extends AwarenessOwner {
  readonly socket: WebSocket;
  /** Viewers: document updates are dropped, awareness still relays (Y4). */
  readonly readOnly: boolean;
}

export interface SharedDocHooks {
  /** After a batch of local updates is committed: fan it out to other instances. */
  published(doc: SharedDoc, update: Uint8Array): void;
  /** A local awareness change other instances should see. */
  awarenessChanged(doc: SharedDoc, update: Uint8Array): void;
  /** The log grew past the compaction threshold. */
  logGrew(doc: SharedDoc): void;
  /** A batch could not be stored. */
  writeFailed(doc: SharedDoc, error: unknown): void;
  /** Counters for metrics and benchmarks; `waitedMs`: arrival to relay of each update in the batch. */
  written(rows: number, bytes: number, waitedMs: number[]): void;
}

/**
 * How long a presence renewal (a client's unchanged state, re-sent every 15 s) may wait to be
 * relayed with the doc's other renewals (Y16). Far inside y-protocols' 30 s timeout.
 */
export const presenceRenewalDelayMs = 2_000;

interface AwarenessChanges {
  added: number[];
  updated: number[];
  removed: number[];
}

/** Origin of remote (other instance) awareness changes: never published back. */
export const remoteOrigin = Symbol('remote');

interface PendingUpdate {
  update: Uint8Array;
  from: Connection;
  receivedAt: number;
}

/**
 * One loaded doc on this instance. `state` holds only what is stored in PostgreSQL:
 * a client's update is queued, written (group-committed with whatever else arrived while
 * the previous write was in flight), and only then added and relayed (Y5, Y6).
 */
export class SharedDoc {
  /** The doc's stored updates, as bytes (doc-state.ts says why not a Y.Doc). */
  private readonly state = new DocState();
  /** y-protocols' Awareness takes a Y.Doc for its own client id; this one holds no content. */
  private readonly presenceDoc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.presenceDoc);
  readonly connections = new Map<WebSocket, Connection>();
  private readonly awarenessOwners = new AwarenessOwnership(this.awareness);
  readonly log: DocLogStats = { rows: 0, bytes: 0 };
  /** Size of the stored snapshot, as of the last load or compaction here. */
  snapshotBytes = 0;
  /** Set once unloading starts: no connection may join; acquire waits for `closed`. */
  closing = false;
  closed: Promise<void>;
  markClosed!: () => void;
  compacting: Promise<void> | null = null;
  private pending: PendingUpdate[] = [];
  /** Bytes of `pending` plus the batch being written: counted against `maxDocBytes`. */
  private queuedBytes = 0;
  private flushing: Promise<void> | null = null;
  private catchingUp: Promise<void> | null = null;
  private catchUpAgain = false;
  /** The gap left after the last catch-up: what PostgreSQL could not fill either (see `hasNewGap`). */
  private knownGap = '';
  private destroyed = false;
  /** Presence renewals waiting to be relayed together (Y16); those from this instance's clients are also published. */
  private readonly renewals = new Set<number>();
  private readonly localRenewals = new Set<number>();
  private renewalTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly name: string,
    readonly projectId: string,
    private readonly store: DocStore,
    private readonly hooks: SharedDocHooks,
    /** Carries the project and doc on every line. */
    readonly logger: Logger,
    /** Stored size (snapshot + log + queued) past which updates are refused (DOC_TOO_LARGE). */
    private readonly maxDocBytes = Number.POSITIVE_INFINITY,
  ) {
    this.closed = new Promise((resolve) => {
      this.markClosed = resolve;
    });
    // The server itself has no presence.
    this.awareness.setLocalState(null);
    // y-protocols emits 'change' (states that differ) just before 'update' (every state
    // applied, renewals included), synchronously: what 'change' named is a change.
    let changedNow: Set<number> | null = null;
    this.awareness.on('change', ({ added, updated, removed }: AwarenessChanges) => {
      changedNow = new Set([...added, ...updated, ...removed]);
    });
    this.awareness.on('update', ({ added, updated, removed }: AwarenessChanges, origin: unknown) => {
      const changed = changedNow ?? new Set<number>();
      changedNow = null;
      const local = origin !== remoteOrigin;
      // A renewal (a client re-sends its unchanged state every 15 s, half of y-protocols'
      // 30 s timeout) waits to be relayed with the doc's other renewals (Y16): clients that
      // connected together renew together, and relaying each at once wrote every one to
      // every socket of the doc in one burst.
      const renewed = updated.filter((id) => !changed.has(id));
      const now = added.concat(
        updated.filter((id) => changed.has(id)),
        removed,
      );
      for (const id of renewed) {
        this.renewals.add(id);
        if (local) this.localRenewals.add(id);
      }
      for (const id of removed) {
        this.renewals.delete(id);
        this.localRenewals.delete(id);
      }
      if (now.length > 0) {
        // A change goes at once, and takes the renewals waiting with it.
        this.relayAwareness(now, local);
      } else if (this.renewals.size > 0) {
        this.renewalTimer ??= setTimeout(() => {
          this.renewalTimer = null;
          this.relayAwareness([], false);
        }, presenceRenewalDelayMs);
        this.renewalTimer.unref?.();
      }
      // y-protocols keeps a client's clock after its state is removed, for as long as the
      // doc is loaded: one entry per tab that ever opened it (a reload is a new client id).
      // The removal is broadcast above with that clock; nothing needs it afterwards.
      for (const id of removed) if (id !== this.awareness.clientID) this.awareness.meta.delete(id);
    });
  }

  /** Relays `ids` (published to other instances when `local`) with the renewals waiting. */
  private relayAwareness(ids: number[], local: boolean): void {
    const meta = this.awareness.meta;
    const all = [...new Set([...ids, ...this.renewals])].filter((id) => meta.has(id));
    const published = [...new Set([...(local ? ids : []), ...this.localRenewals])].filter((id) => meta.has(id));
    this.renewals.clear();
    this.localRenewals.clear();
    if (this.renewalTimer) {
      clearTimeout(this.renewalTimer);
      this.renewalTimer = null;
    }
    if (all.length === 0) return;
    const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, all);
    this.broadcast(encodeAwarenessMessage(update), null);
    if (published.length === 0) return;
    this.hooks.awarenessChanged(
      this,
      published.length === all.length ? update : awarenessProtocol.encodeAwarenessUpdate(this.awareness, published),
    );
  }

  /** Applies what was loaded from PostgreSQL; a row Yjs cannot read is reported and skipped, not fatal. */
  applyStored(updates: Uint8Array[], log: DocLogStats, snapshotBytes: number): void {
    for (const update of updates) this.addStored(update);
    this.log.rows += log.rows;
    this.log.bytes += log.bytes;
    this.snapshotBytes = snapshotBytes;
  }

  /** An update already stored (here or by another instance): add and relay to everyone but `skip`. */
  applyPersisted(update: Uint8Array, skip: Connection | null = null): void {
    if (this.addStored(update)) this.broadcast(encodeSyncMessage(syncType.update, update), skip);
  }

  /** Encoded bytes the doc holds in memory. */
  get heldBytes(): number {
    return this.state.bytes;
  }

  private addStored(update: Uint8Array): boolean {
    try {
      this.state.add(update);
      return true;
    } catch (error) {
      this.logger.error('stored update could not be applied', { error });
      return false;
    }
  }

  /**
   * True when the doc holds updates it cannot integrate yet (they build on edits this copy
   * never received, such as a fan-out message lost in a Redis outage), and that gap is not
   * one a catch-up already failed to fill.
   */
  hasNewGap(): boolean {
    const gap = this.state.gap();
    return gap !== '' && gap !== this.knownGap;
  }

  /**
   * Reads the stored doc and applies what this copy lacks: updates another instance stored
   * whose fan-out never arrived (Y10). Only what the doc gains is relayed. One read at a
   * time; asked again meanwhile, it reads once more after the current read.
   */
  catchUp(): Promise<void> {
    if (this.catchingUp) {
      this.catchUpAgain = true;
      return this.catchingUp;
    }
    const run = async () => {
      do {
        this.catchUpAgain = false;
        const loaded = await this.store.load(this.projectId, this.name);
        if (this.destroyed) return;
        const gained = this.state.absorb(loaded.updates, (error) =>
          this.logger.error('stored update could not be applied', { error }),
        );
        this.knownGap = this.state.gap();
        if (gained) {
          this.logger.info('caught up from storage', { bytes: gained.length });
          this.broadcast(encodeSyncMessage(syncType.update, gained), null);
        }
      } while (this.catchUpAgain);
    };
    this.catchingUp = run()
      .catch((error: unknown) => {
        // The next reconnect or gap asks again.
        this.logger.warn('catch-up from storage failed', { error: (error as Error).message });
      })
      .finally(() => {
        this.catchingUp = null;
      });
    return this.catchingUp;
  }

  join(connection: Connection): void {
    this.connections.set(connection.socket, connection);
    // Ask for what the client has and the server lacks (offline edits, Y8).
    this.send(connection, encodeSyncMessage(syncType.step1, this.state.stateVector()));
    const states = this.awareness.getStates();
    if (states.size > 0) {
      this.send(
        connection,
        encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])),
      );
    }
  }

  leave(connection: Connection): void {
    if (!this.connections.delete(connection.socket)) return;
    const ids = this.awarenessOwners.release(connection);
    if (ids.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, ids, null);
  }

  /** Handles one decoded client message; throws CollabError for content Yjs cannot read. */
  receive(connection: Connection, message: ClientMessage): void {
    switch (message.kind) {
      case 'sync-step1': {
        let diff: Uint8Array;
        try {
          diff = this.state.diff(message.stateVector);
        } catch (error) {
          throw new CollabError('BAD_MESSAGE', `unreadable state vector: ${(error as Error).message}`);
        }
        this.send(connection, encodeSyncMessage(syncType.step2, diff));
        return;
      }
      case 'sync-update': {
        if (connection.readOnly) return;
        try {
          // Structural check before anything is stored: a stored row Yjs cannot read
          // would break every later load of this doc.
          Y.decodeUpdate(message.update);
        } catch (error) {
          throw new CollabError('BAD_MESSAGE', `unreadable Yjs update: ${(error as Error).message}`);
        }
        if (isEmptyUpdate(message.update)) return;
        // Stored bytes over-count the doc (the log holds what compaction will merge), so
        // the limit errs on the side of the server. Nothing of a refused update is kept.
        const size = this.snapshotBytes + this.log.bytes + this.queuedBytes + message.update.length;
        if (size > this.maxDocBytes) {
          throw new CollabError(
            'DOC_TOO_LARGE',
            `this doc would pass its size limit (${this.maxDocBytes} bytes stored); the update was not stored`,
          );
        }
        this.queuedBytes += message.update.length;
        this.pending.push({ update: message.update, from: connection, receivedAt: performance.now() });
        if (!this.flushing) {
          this.flushing = this.flush().finally(() => {
            this.flushing = null;
          });
        }
        return;
      }
      case 'awareness': {
        // Only the connection's own client id, within the size limit, under the account's name (Y15).
        const { update } = this.awarenessOwners.filter(connection, message.update);
        if (update === null) return;
        try {
          awarenessProtocol.applyAwarenessUpdate(this.awareness, update, connection);
        } catch (error) {
          throw new CollabError('BAD_MESSAGE', `unreadable awareness update: ${(error as Error).message}`);
        }
        return;
      }
      case 'query-awareness': {
        const states = this.awareness.getStates();
        this.send(
          connection,
          encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])),
        );
        return;
      }
    }
  }

  /** Clients this doc keeps awareness for (states and clocks; the server's own excluded): the connected ones. */
  get awarenessEntries(): number {
    return this.awareness.meta.size - (this.awareness.meta.has(this.awareness.clientID) ? 1 : 0);
  }

  /** Resolves when every queued update has been written (or failed). */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  destroy(): void {
    this.destroyed = true;
    if (this.renewalTimer) clearTimeout(this.renewalTimer);
    this.renewalTimer = null;
    this.awareness.destroy();
    this.presenceDoc.destroy();
  }

  // Group commit: one INSERT per round trip, carrying everything that queued up meanwhile.
  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      const senders = new Set(batch.map((entry) => entry.from));
      const batchBytes = batch.reduce((sum, entry) => sum + entry.update.length, 0);
      let merged: Uint8Array;
      try {
        merged =
          batch.length === 1 ? (batch[0] as PendingUpdate).update : Y.mergeUpdates(batch.map((entry) => entry.update));
        await this.store.append(this.projectId, this.name, merged);
      } catch (error) {
        this.queuedBytes -= batchBytes;
        // Nothing was relayed or acknowledged. Closing the senders makes their providers
        // reconnect and resend the same edits through sync step 2.
        this.hooks.writeFailed(this, error);
        for (const sender of senders) sender.socket.close(CLOSE.INTERNAL_ERROR, 'update could not be stored');
        continue;
      }
      this.queuedBytes -= batchBytes;
      this.log.rows += 1;
      this.log.bytes += merged.length;
      // The only sender already has the update; with several, everyone gets the merge.
      this.applyPersisted(merged, senders.size === 1 ? (batch[0] as PendingUpdate).from : null);
      const relayedAt = performance.now();
      this.hooks.written(
        1,
        merged.length,
        batch.map((entry) => relayedAt - entry.receivedAt),
      );
      this.hooks.published(this, merged);
      this.hooks.logGrew(this);
    }
  }

  private broadcast(message: Uint8Array, skip: Connection | null): void {
    for (const connection of this.connections.values()) {
      if (connection !== skip) this.send(connection, message);
    }
  }

  private send(connection: Connection, message: Uint8Array): void {
    if (connection.socket.readyState !== connection.socket.OPEN) return;
    connection.socket.send(message, (error) => {
      if (error) connection.socket.terminate();
    });
  }
}

// y-websocket clients send an empty update (2 bytes: no structs, no deletes) as sync
// step 2 when they have nothing the server lacks; storing it would be a wasted row.
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0;
}
