'use client';
// Does the server hold everything of a doc's local copy? y-websocket has no acknowledgement,
// but the server's greeting says exactly what it has stored (collab Y5: its copy holds only
// stored state): its sync step 1 carries its state vector, and its answer to the client's
// step 1 (step 2) carries its whole delete set. The local copy is synced when the server's
// state vector covers the local one and its delete set covers the local deletions. If it
// doesn't, the stock provider has just sent what the server lacks (its own answer to the
// server's step 1), so a second connection confirms it once stored.
import { createCollabProvider } from '@clapper/collab/client';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { localDocStoreName } from './local-data.ts';

/** lib0's varUint, read from `bytes` at `at`: [value, next position]. */
function readVarUint(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  let shift = 1;
  for (let pos = at; pos < bytes.length; pos += 1) {
    const byte = bytes[pos] as number;
    value += (byte & 0x7f) * shift;
    if (byte < 0x80) return [value, pos + 1];
    shift *= 128;
  }
  throw new Error('truncated varUint');
}

type DeleteRanges = Map<number, Array<{ clock: number; len: number }>>;

function deleteRanges(ds: unknown): DeleteRanges {
  return (ds as { clients: DeleteRanges }).clients;
}

function covers(serverRanges: DeleteRanges, localRanges: DeleteRanges): boolean {
  for (const [client, items] of localRanges) {
    const server = [...(serverRanges.get(client) ?? [])].sort((a, b) => a.clock - b.clock);
    for (const item of items) {
      let from = item.clock;
      const end = item.clock + item.len;
      for (const range of server) {
        if (range.clock > from) break;
        if (range.clock + range.len > from) from = range.clock + range.len;
        if (from >= end) break;
      }
      if (from < end) return false;
    }
  }
  return true;
}

function stateCovers(server: Map<number, number>, local: Map<number, number>): boolean {
  for (const [client, clock] of local) if ((server.get(client) ?? 0) < clock) return false;
  return true;
}

/** One connection: what the server says it has, or null when it didn't answer in time. */
function serverState(
  serverUrl: string,
  docName: string,
  token: string,
  doc: Y.Doc,
  timeoutMs: number,
): Promise<{ sv: Map<number, number>; ds: DeleteRanges } | null> {
  return new Promise((resolve) => {
    const provider = createCollabProvider({ serverUrl, docName, token, doc, crossTab: false, connect: false });
    const { websocket } = provider;
    let sv: Map<number, number> | null = null;
    let ds: DeleteRanges | null = null;
    let done = false;
    const finish = (result: { sv: Map<number, number>; ds: DeleteRanges } | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // The stock handler may still be sending our answer: let it go out first.
      setTimeout(() => provider.destroy(), 50);
      resolve(result);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    const stock = websocket.messageHandlers[0];
    // Peek at sync messages (type 0) before the stock handler applies them.
    websocket.messageHandlers[0] = (encoder, decoder, ...rest) => {
      try {
        const [sub, lengthAt] = readVarUint(decoder.arr, decoder.pos);
        const [length, payloadAt] = readVarUint(decoder.arr, lengthAt);
        const payload = decoder.arr.subarray(payloadAt, payloadAt + length);
        if (sub === 0) sv = Y.decodeStateVector(payload);
        else if (sub === 1) ds = deleteRanges(Y.decodeUpdate(payload).ds);
      } catch {
        // Unreadable: leave it to the stock handler.
      }
      stock?.(encoder, decoder, ...rest);
      if (sv && ds) finish({ sv, ds });
    };
    websocket.connect();
  });
}

export type DocSyncState = 'synced' | 'unsynced' | 'unreachable';

/** Whether the server holds everything of this user's local copy of `docName` (two tries). */
export async function checkDocSynced(options: {
  serverUrl: string;
  token: string;
  userId: string;
  docName: string;
}): Promise<DocSyncState> {
  if (typeof indexedDB === 'undefined') return 'synced';
  const doc = new Y.Doc();
  const local = new IndexeddbPersistence(localDocStoreName(options.userId, options.docName), doc);
  try {
    await local.whenSynced;
    const localSv = Y.decodeStateVector(Y.encodeStateVector(doc));
    if (localSv.size === 0) return 'synced';
    for (let attempt = 0; attempt < 3; attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 300 * attempt));
      const server = await serverState(options.serverUrl, options.docName, options.token, doc, 4_000);
      if (!server) return 'unreachable';
      const localDs = deleteRanges(Y.snapshot(doc).ds);
      if (stateCovers(server.sv, Y.decodeStateVector(Y.encodeStateVector(doc))) && covers(server.ds, localDs))
        return 'synced';
    }
    return 'unsynced';
  } finally {
    await local.destroy();
    doc.destroy();
  }
}
