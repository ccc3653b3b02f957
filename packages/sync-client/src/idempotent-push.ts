import type { Database } from '@nozbe/watermelondb';
import type { PushRequest, PushResponse, SyncChanges } from '@clapper/schema';
import { hashChanges, newPushId } from './changes-hash.ts';
import { markChangesAsSynced, readLocalChanges } from './local-changes.ts';
import { clearPendingPush, loadPendingPush, readLastPulledAt, savePendingPush } from './pending-push.ts';
import { SyncClientError, toSyncClientError } from './sync-client-error.ts';
import type { SyncTransport } from './sync-transport.ts';

export interface IdempotentPusher {
  /** The push inside synchronize(); resolves with the server's stamp. */
  push(changes: SyncChanges, lastPulledAt: number | null): Promise<number>;
  /** Before synchronize(): resend a push whose answer was lost; null when there was none. */
  settlePending(): Promise<{ pushId: string; timestamp: number } | null>;
}

function isEmpty(changes: SyncChanges): boolean {
  return Object.values(changes).every(
    (table) => table.created.length + table.updated.length + table.deleted.length === 0,
  );
}

export function createIdempotentPusher(options: {
  database: Database;
  projectId: string;
  transport: SyncTransport;
}): IdempotentPusher {
  const { database, projectId, transport } = options;

  /**
   * A push the server answered with an error was not applied ("a rejected push changes
   * nothing"), so it is no longer pending; only an unanswered one (network, 5xx) is.
   */
  async function send(request: PushRequest): Promise<PushResponse> {
    try {
      return await transport.push(request);
    } catch (error) {
      const failure = toSyncClientError(error);
      if (failure.action !== 'retry') await clearPendingPush(database);
      throw failure;
    }
  }

  return {
    /**
     * The pushId is persisted BEFORE the request leaves, so that if the answer is lost
     * the retry can be recognised. It is reused only for identical changes.
     */
    async push(changes, lastPulledAt) {
      const hash = await hashChanges(changes);
      const pending = await loadPendingPush(database);
      const pushId = pending && pending.hash === hash ? pending.pushId : newPushId();
      await savePendingPush(database, { pushId, hash });
      const { timestamp } = await send({ projectId, pushId, lastPulledAt, changes });
      await clearPendingPush(database);
      return timestamp;
    },

    /**
     * A push whose answer was lost may or may not have been applied. If the local
     * changes are still exactly that push, resend it with the same pushId BEFORE pulling
     * (the server applies it at most once) and mark it synced. Pulling first would be
     * wrong: WatermelonDB keeps locally changed columns over pulled ones, so a concurrent
     * edit that the server ordered after our lost push would be overruled locally but
     * not on the server, and this device would diverge. If the changes differ, the old
     * attempt is superseded: the dirty records still hold everything and go out under
     * a new id.
     */
    async settlePending() {
      const pending = await loadPendingPush(database);
      if (!pending) return null;
      const local = await readLocalChanges(database);
      if (isEmpty(local) || (await hashChanges(local)) !== pending.hash) {
        await clearPendingPush(database);
        return null;
      }
      const lastPulledAt = await readLastPulledAt(database);
      let timestamp: number;
      try {
        ({ timestamp } = await send({ projectId, pushId: pending.pushId, lastPulledAt, changes: local }));
      } catch (error) {
        // Refused (e.g. a viewer): nothing was applied; synchronize() still pulls and
        // surfaces the refusal from its own push.
        if (error instanceof SyncClientError && error.action === 'reject') return null;
        throw error;
      }
      await markChangesAsSynced(database, local);
      await clearPendingPush(database);
      return { pushId: pending.pushId, timestamp };
    },
  };
}
