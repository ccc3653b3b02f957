// Limits on connections and sizes (protocol.md "Limits"), with real sockets against a real
// server: per-user and per-address caps, Yjs update and doc size limits, load shedding.
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { repoRoot } from '@clapper/db';
import { CLOSE } from '@clapper/schema';
import * as encoding from 'lib0/encoding';
import { afterAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { defaultMaxConnections } from './connection-limits.ts';
import { type TestServer, startTestServer } from './test-server.ts';

const servers: TestServer[] = [];
afterAll(async () => {
  for (const server of servers.reverse()) await server.close();
});

async function start(options: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const server = await startTestServer(options);
  servers.push(server);
  return server;
}

interface Outcome {
  ws: WebSocket;
  /** Resolves with the close code once the socket closes. */
  closed: Promise<{ code: number; reason: string }>;
  /** True when it was still open 300 ms after the handshake (not refused). */
  stayedOpen: Promise<boolean>;
}

function connect(url: string): Outcome {
  const ws = new WebSocket(url);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  ws.on('error', () => undefined);
  const stayedOpen = new Promise<boolean>((resolve) => {
    ws.once('open', () => setTimeout(() => resolve(ws.readyState === WebSocket.OPEN), 300));
    ws.once('close', () => resolve(false));
  });
  return { ws, closed, stayedOpen };
}

/** A y-websocket sync update message (type 0, sub-type 2) carrying `update`. */
function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, 2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

function textUpdate(chars: number, seed: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, seed.repeat(Math.ceil(chars / seed.length)).slice(0, chars));
  return Y.encodeStateAsUpdate(doc);
}

describe('per-user and per-address caps', () => {
  test('[S8] a user past the cap of open sockets (/sync and /yjs together) gets close 4029; others are unaffected; a freed slot is usable again', async () => {
    const server = await start({ limits: { maxSocketsPerUser: 4 } });
    const director = await server.signIn('director@example.com');
    const ad = await server.signIn('ad@example.com');
    const project = await server.createProject(director.token, 'Caps');
    const doc = `/yjs/project/${project.id}/script/main`;
    const held = [
      connect(await server.socketUrl('/sync', director.token)),
      connect(await server.socketUrl('/sync', director.token)),
      connect(await server.socketUrl(doc, director.token, project.id)),
      connect(await server.socketUrl(doc, director.token, project.id)),
    ];
    for (const socket of held) expect(await socket.stayedOpen).toBe(true);
    for (const path of ['/sync', doc]) {
      const refused = connect(await server.socketUrl(path, director.token, project.id));
      const { code, reason } = await refused.closed;
      expect(code, path).toBe(CLOSE.TOO_MANY_CONNECTIONS);
      expect(reason).toMatch(/too many open sockets for this user \(at most 4\)/);
    }
    // Another person is not affected by the first one's sockets.
    expect(await connect(await server.socketUrl('/sync', ad.token)).stayedOpen).toBe(true);
    // Closing one frees its slot.
    held[0]!.ws.close();
    await held[0]!.closed;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = connect(await server.socketUrl('/sync', director.token));
    expect(await again.stayedOpen).toBe(true);
    for (const socket of [...held, again]) socket.ws.close();
  });

  test('[S8] an address past its cap gets close 4029 before its ticket is even looked at', async () => {
    const server = await start({ limits: { maxSocketsPerAddress: 3 } });
    const people = await Promise.all(['a', 'b', 'c', 'd'].map((n) => server.signIn(`${n}@example.com`)));
    const held = [];
    for (const person of people.slice(0, 3)) held.push(connect(await server.socketUrl('/sync', person.token)));
    for (const socket of held) expect(await socket.stayedOpen).toBe(true);
    const fourth = await connect(await server.socketUrl('/sync', people[3]!.token)).closed;
    expect(fourth.code).toBe(CLOSE.TOO_MANY_CONNECTIONS);
    expect(fourth.reason).toMatch(/from this address \(at most 3\)/);
    // No ticket at all: still the address cap, no database work.
    expect((await connect(`${server.wsUrl}/sync?ticket=whatever`).closed).code).toBe(CLOSE.TOO_MANY_CONNECTIONS);
    for (const socket of held) socket.ws.close();
  });
});

describe('Yjs size limits', () => {
  test('[Y14] a 15 MB Yjs update is refused by the socket (close 1009) and nothing is stored', async () => {
    const server = await start({});
    const owner = await server.signIn('writer@example.com');
    const project = await server.createProject(owner.token, 'Big paste');
    const name = `project/${project.id}/script/main`;
    const socket = connect(await server.socketUrl(`/yjs/${name}`, owner.token, project.id));
    await new Promise((resolve) => socket.ws.once('open', resolve));
    socket.ws.send(updateMessage(textUpdate(15 * 1024 * 1024, 'INT. WAREHOUSE - NIGHT. ')));
    expect((await socket.closed).code).toBe(CLOSE.MESSAGE_TOO_BIG);
    const stored = await server.db.pool.query('SELECT count(*)::int AS n FROM yjs_updates WHERE doc_name = $1', [name]);
    expect(stored.rows[0].n).toBe(0);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  test('[Y14] an update that would take a doc past its size limit closes with 4413 and is not stored; the doc and its other clients go on', async () => {
    const server = await start({ limits: { yjsMaxDocBytes: 64 * 1024 } });
    const owner = await server.signIn('novelist@example.com');
    const project = await server.createProject(owner.token, 'Long script');
    const name = `project/${project.id}/script/main`;
    const writer = connect(await server.socketUrl(`/yjs/${name}`, owner.token, project.id));
    await new Promise((resolve) => writer.ws.once('open', resolve));
    const doc = new Y.Doc();
    doc.on('update', (update: Uint8Array) => writer.ws.send(updateMessage(update)));
    doc.getText('t').insert(0, 'x'.repeat(40 * 1024)); // fits
    const rows = async () =>
      (await server.db.pool.query('SELECT count(*)::int AS n FROM yjs_updates WHERE doc_name = $1', [name])).rows[0]
        .n as number;
    for (let i = 0; i < 100 && (await rows()) === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await rows()).toBe(1);
    doc.getText('t').insert(0, 'y'.repeat(40 * 1024)); // would pass 64 KiB
    const closed = await writer.closed;
    expect(closed.code).toBe(CLOSE.DOC_TOO_LARGE);
    expect(closed.reason).toMatch(/size limit/);
    expect(await rows()).toBe(1);
    // A reader still gets the stored doc, without the refused text.
    const reader = new Y.Doc();
    const readerSocket = connect(await server.socketUrl(`/yjs/${name}`, owner.token, project.id));
    await new Promise((resolve) => readerSocket.ws.once('open', resolve));
    readerSocket.ws.on('message', (data: Buffer) => {
      const bytes = new Uint8Array(data);
      if (bytes[0] === 0 && (bytes[1] === 1 || bytes[1] === 2)) {
        // sync step 2 / update: the payload after the two type bytes is a var-length update
        let offset = 2;
        let length = 0;
        let shift = 0;
        for (;;) {
          const byte = bytes[offset++]!;
          length |= (byte & 0x7f) << shift;
          shift += 7;
          if (byte < 0x80) break;
        }
        Y.applyUpdate(reader, bytes.subarray(offset, offset + length));
      }
    });
    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, 0);
    encoding.writeVarUint(step1, 0);
    encoding.writeVarUint8Array(step1, Y.encodeStateVector(reader));
    readerSocket.ws.send(encoding.toUint8Array(step1));
    for (let i = 0; i < 100 && reader.getText('t').length === 0; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reader.getText('t').toString()).toBe('x'.repeat(40 * 1024));
    readerSocket.ws.close();
  });
});

describe('load shedding', () => {
  test('[S9] past the connection budget new connections get 503 (HTTP) or close 1013 (WebSocket); connections opened before go on being served', async () => {
    const server = await start({ limits: { maxConnections: 12 } });
    const owner = await server.signIn('producer@example.com');
    const project = await server.createProject(owner.token, 'Shedding');
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let pushes = 0;
    const push = (agent: http.Agent | false) =>
      new Promise<{ status: number; body: string; retryAfter?: string }>((resolve, reject) => {
        pushes += 1;
        const body = JSON.stringify({
          projectId: project.id,
          pushId: `shed-${pushes}`,
          lastPulledAt: null,
          changes: { scenes: { created: [{ id: `scene-${pushes}`, heading: 'INT. ROOM' }], updated: [], deleted: [] } },
        });
        const request = http.request(
          `${server.url}/trpc/sync.push`,
          {
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
          },
          (response) => {
            let text = '';
            response.on('data', (chunk: Buffer) => (text += chunk.toString()));
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 0,
                body: text,
                retryAfter: response.headers['retry-after'] as string | undefined,
              }),
            );
          },
        );
        request.on('error', reject);
        request.end(body);
      });
    expect((await push(keepAlive)).status).toBe(200); // the device's connection, opened early
    const port = Number(new URL(server.url).port);
    const idle: net.Socket[] = [];
    for (let i = 0; i < 14; i += 1) {
      const socket = net.connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      idle.push(socket);
      await new Promise((resolve) => socket.once('connect', resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    const fresh = await push(false);
    expect(fresh.status).toBe(503);
    expect(fresh.retryAfter).toBe('1');
    expect(fresh.body).toMatch(/server busy/);
    expect((await connect(await server.socketUrl('/sync', owner.token)).closed).code).toBe(CLOSE.TRY_AGAIN_LATER);
    // The early connection is still served, and the pushes it makes are stored.
    expect((await push(keepAlive)).status).toBe(200);
    for (const socket of idle) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await push(false)).status).toBe(200);
    const socket = connect(await server.socketUrl('/sync', owner.token));
    expect(await socket.stayedOpen).toBe(true);
    socket.ws.close();
    keepAlive.destroy();
  });

  test('[S9] under a 1,024 descriptor limit, a flood of connections is shed and dropped, and pushes on a live connection are still answered', async () => {
    const limited = await start({});
    const owner = await limited.signIn('flood@example.com');
    const project = await limited.createProject(owner.token, 'Flood');
    // The real server process (apps/server) under `prlimit --nofile=1024`, default limits.
    const child: ChildProcess = spawn(
      'prlimit',
      ['--nofile=1024:1024', process.execPath, '--import', 'tsx', path.join(repoRoot, 'apps/server/src/main.ts')],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          DATABASE_URL: limited.db.url,
          PORT: '0',
          HOST: '127.0.0.1',
          REDIS_URL: '',
          SMTP_URL: '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const flood: net.Socket[] = [];
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening on http:\/\/localhost:(\d+)/.exec(output);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(Number(match[1]));
          }
        };
        child.stdout?.on('data', onData);
        child.stderr?.on('data', onData);
      });
      const url = `http://127.0.0.1:${port}`;
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      let n = 0;
      const push = () =>
        new Promise<number>((resolve, reject) => {
          n += 1;
          const request = http.request(
            `${url}/trpc/sync.push`,
            {
              method: 'POST',
              agent,
              headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
            },
            (response) => {
              response.resume();
              response.on('end', () => resolve(response.statusCode ?? 0));
            },
          );
          request.on('error', reject);
          request.end(
            JSON.stringify({
              projectId: project.id,
              pushId: `flood-${n}`,
              lastPulledAt: null,
              changes: { scenes: { created: [{ id: `f${n}`, heading: 'EXT. GATE' }], updated: [], deleted: [] } },
            }),
          );
        });
      expect(await push()).toBe(200);
      // 1,200 connections against a 1,024 descriptor limit (default budget: 723 shed, 796 dropped).
      const budget = defaultMaxConnections(20, 1024);
      expect(budget).toBe(723);
      for (let i = 0; i < 1_200; i += 1) {
        const socket = net.connect(port, '127.0.0.1');
        socket.on('error', () => undefined);
        flood.push(socket);
        if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      // Pushes on the live connection: every one answered and stored.
      for (let i = 0; i < 20; i += 1) expect(await push()).toBe(200);
      const stored = await limited.db.pool.query('SELECT count(*)::int AS n FROM scenes WHERE project_id = $1', [
        project.id,
      ]);
      expect(stored.rows[0].n).toBe(21);
      expect(output).not.toMatch(/EMFILE/);
      for (const socket of flood) socket.destroy();
      agent.destroy();
    } finally {
      for (const socket of flood) socket.destroy();
      child.kill('SIGKILL');
    }
  });
});
