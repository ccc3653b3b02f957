// Child process for bench/collab.ts, so its CPU time is the server's alone.
//   BENCH_MODE=clapper  : createCollabServer (auth at upgrade, PostgreSQL group commit, compaction)
//   BENCH_MODE=baseline : a stock in-memory y-websocket relay on y-protocols, no persistence, no auth
import { createHash } from 'node:crypto';
import { type IncomingMessage, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createCollabServer } from '@clapper/collab';
import { createPool } from '@clapper/db';
import { createQuietLogger } from '@clapper/log';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { type WebSocket, WebSocketServer } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

type Upgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

interface BenchServer {
  upgrade: Upgrade;
  metrics(): {
    rowsWritten: number;
    bytesWritten: number;
    compactions: number;
    storeToRelayMs?: { p50: number; p99: number };
  };
  close(): Promise<void>;
}

function clapperServer(databaseUrl: string): BenchServer {
  const pool = createPool(databaseUrl, 10);
  const collab = createCollabServer({
    pool,
    logger: createQuietLogger(),
    // Stands in for the api's ticket redemption: the "ticket" is a session token here.
    async authorize(token, projectId) {
      if (!token) return { kind: 'unauthorized' };
      const hash = createHash('sha256').update(token).digest('hex');
      const result = await pool.query<{ user_id: string; name: string; role: 'owner' | 'editor' | 'viewer' | null }>(
        `SELECT s.user_id, u.name, m.role FROM sessions s JOIN users u ON u.id = s.user_id
         LEFT JOIN project_members m ON m.user_id = s.user_id AND m.project_id = $2
         WHERE s.token_hash = $1 AND s.expires_at > $3`,
        [hash, projectId, Date.now()],
      );
      const row = result.rows[0];
      if (!row) return { kind: 'unauthorized' };
      if (!row.role) return { kind: 'forbidden' };
      return { kind: 'granted', userId: row.user_id, userName: row.name, role: row.role };
    },
  });
  return {
    upgrade: (request, socket, head) => collab.handleUpgrade(request, socket, head),
    metrics: () => collab.metrics(),
    async close() {
      await collab.close();
      await pool.end();
    },
  };
}

/** What y-websocket's reference server (bin/utils) does, minus persistence: relay everything to everyone. */
function baselineServer(): BenchServer {
  const wss = new WebSocketServer({ noServer: true });
  const docs = new Map<
    string,
    { doc: Y.Doc; awareness: awarenessProtocol.Awareness; conns: Map<WebSocket, Set<number>> }
  >();
  const getDoc = (name: string) => {
    let entry = docs.get(name);
    if (entry) return entry;
    const doc = new Y.Doc();
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState(null);
    const conns = new Map<WebSocket, Set<number>>();
    entry = { doc, awareness, conns };
    docs.set(name, entry);
    doc.on('update', (update: Uint8Array) => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      syncProtocol.writeUpdate(encoder, update);
      const message = encoding.toUint8Array(encoder);
      for (const conn of conns.keys()) conn.send(message);
    });
    awareness.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      const changed = [...(added ?? []), ...(updated ?? []), ...(removed ?? [])];
      const ids = conns.get(origin as WebSocket);
      if (ids) {
        for (const id of added ?? []) ids.add(id);
        for (const id of removed ?? []) ids.delete(id);
      }
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 1);
      encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, changed));
      const message = encoding.toUint8Array(encoder);
      for (const conn of conns.keys()) conn.send(message);
    });
    return entry;
  };
  wss.on('connection', (conn: WebSocket, request: IncomingMessage) => {
    const name = new URL(request.url ?? '/', 'http://x').pathname.slice('/yjs/'.length);
    const { doc, awareness, conns } = getDoc(name);
    conns.set(conn, new Set());
    conn.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      const encoder = encoding.createEncoder();
      const type = decoding.readVarUint(decoder);
      if (type === 0) {
        encoding.writeVarUint(encoder, 0);
        syncProtocol.readSyncMessage(decoder, encoder, doc, conn);
        if (encoding.length(encoder) > 1) conn.send(encoding.toUint8Array(encoder));
      } else if (type === 1) {
        awarenessProtocol.applyAwarenessUpdate(awareness, decoding.readVarUint8Array(decoder), conn);
      }
    });
    conn.on('close', () => {
      const ids = conns.get(conn);
      conns.delete(conn);
      if (ids && ids.size > 0) awarenessProtocol.removeAwarenessStates(awareness, [...ids], null);
    });
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeSyncStep1(encoder, doc);
    conn.send(encoding.toUint8Array(encoder));
  });
  return {
    upgrade: (request, socket, head) =>
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request)),
    metrics: () => ({ rowsWritten: 0, bytesWritten: 0, compactions: 0 }),
    async close() {
      for (const client of wss.clients) client.terminate();
      for (const { doc, awareness } of docs.values()) {
        awareness.destroy();
        doc.destroy();
      }
    },
  };
}

const mode = process.env.BENCH_MODE;
const databaseUrl = process.env.DATABASE_URL;
if (mode !== 'clapper' && mode !== 'baseline') throw new Error('BENCH_MODE must be clapper or baseline');
if (mode === 'clapper' && !databaseUrl) throw new Error('BENCH_MODE=clapper needs DATABASE_URL');
const bench = mode === 'clapper' ? clapperServer(databaseUrl as string) : baselineServer();
const http = createServer((_req, res) => res.writeHead(404).end());
http.on('upgrade', (request, socket, head) => bench.upgrade(request, socket, head));
http.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'ready', port: (http.address() as AddressInfo).port });
});
process.on('message', (message: { type: string }) => {
  if (message.type === 'stats') {
    process.send?.({ type: 'stats', cpu: process.cpuUsage(), metrics: bench.metrics() });
  } else if (message.type === 'close') {
    void bench.close().then(() => {
      process.send?.({ type: 'closed', metrics: bench.metrics() }, () => {
        http.close();
        http.closeAllConnections();
        process.exit(0);
      });
    });
  }
});
// The bench process died: don't linger.
process.on('disconnect', () => process.exit(0));
