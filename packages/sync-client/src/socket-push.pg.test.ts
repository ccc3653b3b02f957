import { type TestServer, startTestServer } from '@clapper/api';
import { syncSocketLimits } from '@clapper/schema';
import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import {
  type Device,
  createDevice,
  createShot,
  localRecord,
  serverRecord,
  settled,
  updateShot,
  waitFor,
} from './testing/devices.ts';

let server: TestServer;
let counter = 0;
const devices: Device[] = [];

beforeAll(async () => {
  server = await startTestServer();
});

afterEach(async () => {
  vi.unstubAllGlobals();
  await Promise.all(devices.splice(0).map((device) => device.engine.stop()));
});

afterAll(async () => {
  await server.close();
});

/** What went over a device's `/sync` socket: the pushes sent, the answers received. */
interface SocketLog {
  pushIds: string[];
  answers: { requestId: string; timestamp: number }[];
  /** When set, the next `pushed` answer is swallowed and the connection closed instead. */
  dropNextAnswer: boolean;
  dropped: { timestamp: number } | null;
}

/**
 * A `ws` WebSocket that logs pushes and can lose a connection between a commit and its
 * answer; `via` connects it to another origin (a proxy) instead of the server's.
 */
function socketFor(log: SocketLog, via?: string) {
  return class LoggingWebSocket extends WebSocket {
    constructor(url: string) {
      super(via ? url.replace(/^ws:\/\/[^/]+/, via) : url);
      const deliver = (listener: (event: { data: unknown }) => void) => (event: { data: unknown }) => {
        const message = JSON.parse(String(event.data)) as { type: string; requestId?: string; timestamp?: number };
        if (message.type === 'pushed') {
          if (log.dropNextAnswer) {
            // The server committed the push; the connection ends before its answer arrives.
            log.dropNextAnswer = false;
            log.dropped = { timestamp: message.timestamp! };
            this.terminate();
            return;
          }
          log.answers.push({ requestId: message.requestId!, timestamp: message.timestamp! });
        }
        listener(event);
      };
      const add = this.addEventListener.bind(this);
      this.addEventListener = ((type: string, listener: (event: { data: unknown }) => void) =>
        add(type as 'message', type === 'message' ? deliver(listener) : listener)) as typeof this.addEventListener;
    }

    override send(data: string): void {
      const message = JSON.parse(data) as { type: string; push?: { pushId: string } };
      if (message.type === 'push') log.pushIds.push(message.push!.pushId);
      super.send(data);
    }
  };
}

async function team() {
  counter += 1;
  const tag = `${Date.now()}-${counter}`;
  const owner = await server.signIn(`socket-owner-${tag}@example.com`);
  const project = await server.createProject(owner.token, `Socket ${tag}`);
  const email = `socket-editor-${tag}@example.com`;
  const editor = await server.signIn(email);
  await server.addMember(owner.token, project.id, email, 'editor');
  return { projectId: project.id, owner, editor };
}

function device(name: string, projectId: string, token: string, log: SocketLog | null, extra = {}): Device {
  const created = createDevice(name, {
    server,
    projectId,
    token,
    ...(log ? { webSocket: socketFor(log), pushOverSocket: true } : {}),
    ...extra,
  });
  devices.push(created);
  return created;
}

/**
 * A real WebSocket server between a device and the server's `/sync`, relaying both ways.
 * On the connection `blackHole` names it swallows what a dead network would: the device's
 * push messages (never reach the server), or the server's `pushed` answers (the push
 * committed, its answer never arrives), and keeps the connection open, as a socket that
 * died without closing does. Other connections relay everything.
 */
async function startSilentProxy(target: string) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  const proxy = {
    origin: `ws://127.0.0.1:${(wss.address() as { port: number }).port}`,
    connections: 0,
    /** Connection numbers (1, 2, …) the device closed. */
    closedByDevice: [] as number[],
    blackHole: null as null | { connection: number; swallow: 'push' | 'answer' },
    swallowedPushIds: [] as string[],
    swallowedStamps: [] as number[],
    /** The timestamp each pushId was answered with over the socket. */
    answered: new Map<string, number>(),
    close: () => new Promise((resolve) => wss.close(resolve)),
  };
  wss.on('connection', (client, request) => {
    proxy.connections += 1;
    const connection = proxy.connections;
    const holes = (swallow: 'push' | 'answer') =>
      proxy.blackHole?.connection === connection && proxy.blackHole.swallow === swallow;
    const upstream = new WebSocket(`${target.replace(/^http/, 'ws')}${request.url}`);
    const queued: string[] = [];
    const pushIdOf = new Map<string, string>();
    upstream.on('open', () => queued.splice(0).forEach((text) => upstream.send(text)));
    client.on('message', (data) => {
      const text = String(data);
      const message = JSON.parse(text) as { type: string; requestId?: string; push?: { pushId: string } };
      if (message.type === 'push') {
        if (holes('push')) return void proxy.swallowedPushIds.push(message.push!.pushId);
        pushIdOf.set(message.requestId!, message.push!.pushId);
      }
      if (upstream.readyState === WebSocket.OPEN) upstream.send(text);
      else queued.push(text);
    });
    upstream.on('message', (data) => {
      const text = String(data);
      const message = JSON.parse(text) as { type: string; requestId?: string; timestamp?: number };
      if (message.type === 'pushed') {
        if (holes('answer')) return void proxy.swallowedStamps.push(message.timestamp!);
        proxy.answered.set(pushIdOf.get(message.requestId!)!, message.timestamp!);
      }
      client.send(text);
    });
    client.on('close', () => {
      proxy.closedByDevice.push(connection);
      upstream.close();
    });
    upstream.on('close', () => client.close());
  });
  return proxy;
}

const emptyLog = (): SocketLog => ({ pushIds: [], answers: [], dropNextAnswer: false, dropped: null });

test('[C23] with the socket open, an edit is pushed over it, not over HTTP, and reaches the other device', async () => {
  const { projectId, owner, editor } = await team();
  const log = emptyLog();
  const director = device('director', projectId, owner.token, log);
  const ad = device('ad', projectId, editor.token, null);
  await Promise.all([settled(director), settled(ad)]);

  const shotId = await createShot(director, { label: '12A' });
  await updateShot(director, shotId, { label: '12A, slow push in' });
  await waitFor(async () => (await localRecord(ad, 'shots', shotId))?.label === '12A, slow push in', 5000, 'on ad');
  await settled(director);
  expect(director.traffic.pushes).toBe(0);
  expect(log.pushIds.length).toBeGreaterThanOrEqual(1);
  expect(log.answers.length).toBe(log.pushIds.length);
  expect(await localRecord(director, 'shots', shotId)).toMatchObject({ _status: 'synced' });
  expect(await serverRecord(server, owner.token, projectId, 'shots', shotId)).toMatchObject({
    label: '12A, slow push in',
  });
});

test('[C23] a push too large for the socket goes over HTTP, and so does one with the socket down', async () => {
  const { projectId, owner } = await team();
  const log = emptyLog();
  const director = device('director', projectId, owner.token, log);
  await settled(director);
  const shotId = await createShot(director, { label: '14' });
  await settled(director);
  const overSocket = log.pushIds.length;
  expect(overSocket).toBeGreaterThanOrEqual(1);
  expect(director.traffic.pushes).toBe(0);

  const long = 'A long take across the harbour. '.repeat(Math.ceil(syncSocketLimits.maxMessageBytes / 30));
  await updateShot(director, shotId, { label: long });
  await settled(director);
  expect(director.traffic.pushes).toBe(1);
  expect(log.pushIds.length).toBe(overSocket);
  expect((await serverRecord(server, owner.token, projectId, 'shots', shotId))?.label).toBe(long);

  // No socket at all (the engine pushes over HTTP, as before C23).
  const laptop = device('laptop', projectId, owner.token, null, {
    pushOverSocket: true,
    webSocket: undefined,
    nudges: undefined,
  });
  await settled(laptop);
  const before = laptop.traffic.pushes;
  await updateShot(laptop, shotId, { lens: '85mm' });
  await settled(laptop);
  expect(laptop.traffic.pushes).toBe(before + 1);
  expect((await serverRecord(server, owner.token, projectId, 'shots', shotId))?.lens).toBe('85mm');
});

test('[C23][C10] a connection lost between a push’s commit and its answer: the push is retried under the same pushId, applied once', async () => {
  const { projectId, owner, editor } = await team();
  const log = emptyLog();
  const director = device('director', projectId, owner.token, log);
  const ad = device('ad', projectId, editor.token, null);
  await Promise.all([settled(director), settled(ad)]);
  const shotId = await createShot(director, { label: '7B' });
  await waitFor(() => localRecord(ad, 'shots', shotId), 5000, 'shot on ad');
  await settled(director);

  const pushesBefore = log.pushIds.length;
  log.dropNextAnswer = true;
  await updateShot(director, shotId, { label: '7B, lost answer' });
  await waitFor(() => log.dropped, 5000, 'answer dropped');
  await settled(director);

  // The retry (over HTTP while the socket reconnects, or over the new socket) reused the pushId,
  // and the server answered it with the first commit's stamp: applied once (U4).
  const retriedIds = [...log.pushIds.slice(pushesBefore), ...director.traffic.pushIds];
  expect(retriedIds.length).toBeGreaterThanOrEqual(2);
  expect(new Set(retriedIds).size).toBe(1);
  expect(await localRecord(director, 'shots', shotId)).toMatchObject({ label: '7B, lost answer', _status: 'synced' });
  const { timestamp } = (await server.trpc(owner.token).query('sync.pull', { projectId, lastPulledAt: null })) as {
    timestamp: number;
  };
  expect(timestamp).toBe(log.dropped!.timestamp);
  await waitFor(async () => (await localRecord(ad, 'shots', shotId))?.label === '7B, lost answer', 5000, 'on ad');

  // A later, different edit gets a new pushId.
  await updateShot(director, shotId, { lens: '50mm' });
  await settled(director);
  expect(log.pushIds.at(-1)).not.toBe(retriedIds[0]);
});

test('[C23][C9] a viewer’s push over the socket is refused like one over HTTP: surfaced, not retried, nothing written', async () => {
  const { projectId, owner } = await team();
  const email = `socket-viewer-${Date.now()}@example.com`;
  const viewerSession = await server.signIn(email);
  await server.addMember(owner.token, projectId, email, 'viewer');
  const log = emptyLog();
  const viewer = device('viewer', projectId, viewerSession.token, log);
  await settled(viewer);
  const shotId = await createShot(viewer, { label: 'viewer scribble' });
  await waitFor(() => viewer.engine.getStatus().error?.code === 'FORBIDDEN', 5000, 'FORBIDDEN surfaced');
  expect(viewer.engine.getStatus()).toMatchObject({ retryAttempt: 0, nextRetryAt: null });
  expect(log.pushIds.length).toBe(1);
  expect(viewer.traffic.pushes).toBe(0);
  expect(await serverRecord(server, owner.token, projectId, 'shots', shotId)).toBeNull();
});

const answerTimeoutMs = 600;

for (const swallow of ['push', 'answer'] as const) {
  test(`[C23][C10] a socket that swallows the ${swallow === 'push' ? 'push' : 'push’s answer'} and stays open: the push fails as a network failure after the answer timeout, the socket is dropped, and the retry under the same pushId applies it once`, async () => {
    const { projectId, owner } = await team();
    const proxy = await startSilentProxy(server.url);
    const log = emptyLog();
    const entries: { at: number; code: string | undefined }[] = [];
    const httpAnswers = new Map<string, number>();
    const director = device('director', projectId, owner.token, null, {
      webSocket: socketFor(log, proxy.origin),
      pushOverSocket: true,
      pushAnswerTimeoutMs: answerTimeoutMs,
      onLog: (entry: { error: { code: string } | null }) => entries.push({ at: Date.now(), code: entry.error?.code }),
      // The answers of pushes retried over HTTP, to check what the server stamped.
      hook: async (url: string, init: RequestInit | undefined, real: typeof fetch) => {
        const response = await real(url, init);
        if (url.includes('sync.push') && response.ok) {
          const { pushId } = JSON.parse(String(init?.body)) as { pushId: string };
          const body = (await response.clone().json()) as { result: { data: { timestamp: number } } };
          httpAnswers.set(pushId, body.result.data.timestamp);
        }
        return response;
      },
    });
    try {
      await settled(director);
      const shotId = await createShot(director, { label: '22' });
      await settled(director);
      expect(log.pushIds.length).toBeGreaterThanOrEqual(1);
      expect(director.traffic.pushes).toBe(0);

      proxy.blackHole = { connection: proxy.connections, swallow };
      const pushesBefore = log.pushIds.length;
      const entriesBefore = entries.length;
      await updateShot(director, shotId, { label: '22, into the dark' });
      await waitFor(() => log.pushIds.length > pushesBefore, 5000, 'push sent over the socket');
      const sentAt = Date.now();
      const failed = await waitFor(
        () => entries.slice(entriesBefore).find((entry) => entry.code !== undefined),
        10_000,
        'the push failed',
      );
      expect(failed.code).toBe('NETWORK');
      expect(failed.at - sentAt).toBeGreaterThanOrEqual(answerTimeoutMs - 50);
      // Within the timeout (plus room for a loaded machine), not when the socket closes: it never does.
      expect(failed.at - sentAt).toBeLessThan(answerTimeoutMs + 2_000);
      // The silent socket was closed by the device, and a new one opened.
      await waitFor(() => proxy.closedByDevice.includes(proxy.blackHole!.connection), 5000, 'socket dropped');
      await waitFor(() => proxy.connections > proxy.blackHole!.connection, 5000, 'reconnected');
      await settled(director);

      const pushId = log.pushIds[pushesBefore]!;
      const attempts = [...log.pushIds.slice(pushesBefore), ...director.traffic.pushIds];
      expect(attempts.length).toBeGreaterThanOrEqual(2);
      expect(new Set(attempts)).toEqual(new Set([pushId]));
      expect(swallow === 'push' ? proxy.swallowedPushIds : proxy.swallowedStamps).toHaveLength(1);
      expect(await localRecord(director, 'shots', shotId)).toMatchObject({
        label: '22, into the dark',
        _status: 'synced',
      });
      expect(await serverRecord(server, owner.token, projectId, 'shots', shotId)).toMatchObject({
        label: '22, into the dark',
      });
      // Applied once: the retry was answered with the stamp of the one commit (the swallowed
      // answer's, when the first attempt had committed), and nothing was committed after it.
      const stamp = proxy.answered.get(pushId) ?? httpAnswers.get(pushId);
      if (swallow === 'answer') expect(stamp).toBe(proxy.swallowedStamps[0]);
      const { timestamp } = (await server.trpc(owner.token).query('sync.pull', { projectId, lastPulledAt: null })) as {
        timestamp: number;
      };
      expect(timestamp).toBe(stamp);
    } finally {
      await director.engine.stop();
      await proxy.close();
    }
  });
}

test('[C23] with the browser offline (navigator.onLine false), a push goes over HTTP, not over the open socket', async () => {
  const { projectId, owner } = await team();
  const log = emptyLog();
  const director = device('director', projectId, owner.token, log);
  await settled(director);
  const shotId = await createShot(director, { label: '31' });
  await settled(director);
  const overSocket = log.pushIds.length;
  expect(overSocket).toBeGreaterThanOrEqual(1);
  expect(director.traffic.pushes).toBe(0);

  // Playwright's offline emulation (and a network that died under an open socket) leaves
  // the socket open; the browser's word decides.
  vi.stubGlobal('navigator', { onLine: false });
  await updateShot(director, shotId, { label: '31, offline' });
  await waitFor(() => director.traffic.pushes + log.pushIds.length > overSocket, 5000, 'pushed');
  await settled(director);
  expect(log.pushIds.length).toBe(overSocket);
  expect(director.traffic.pushes).toBe(1);

  vi.stubGlobal('navigator', { onLine: true });
  await updateShot(director, shotId, { lens: '65mm' });
  await waitFor(() => director.traffic.pushes + log.pushIds.length > overSocket + 1, 5000, 'pushed');
  await settled(director);
  expect(log.pushIds.length).toBe(overSocket + 1);
  expect(director.traffic.pushes).toBe(1);
  expect(await serverRecord(server, owner.token, projectId, 'shots', shotId)).toMatchObject({
    label: '31, offline',
    lens: '65mm',
  });
});
