import { type TestServer, startTestServer } from '@clapper/api';
import { syncSocketLimits } from '@clapper/schema';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import WebSocket from 'ws';
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

/** A `ws` WebSocket that logs pushes and can lose a connection between a commit and its answer. */
function socketFor(log: SocketLog) {
  return class LoggingWebSocket extends WebSocket {
    constructor(url: string) {
      super(url);
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
