import { type NudgeChanged, nudgeChangesLimits } from '@clapper/schema';
import WebSocket from 'ws';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type TestServer, startTestServer } from './test-server.ts';
import { openTestSocket, upgradeStatus } from './ws-test-client.ts';

let server: TestServer;
let owner: { token: string };
let viewer: { token: string };
let stranger: { token: string };
let projectId: string;
let otherProjectId: string;

beforeAll(async () => {
  server = await startTestServer({ heartbeatMs: 100 });
  owner = await server.signIn('director@example.com');
  viewer = await server.signIn('producer@example.com');
  stranger = await server.signIn('stranger@example.com');
  projectId = (await server.createProject(owner.token, 'Feature')).id;
  otherProjectId = (await server.createProject(stranger.token, 'Someone else')).id;
  await server.addMember(owner.token, projectId, 'producer@example.com', 'viewer');
});
afterAll(async () => {
  await server?.close();
});

let pushes = 0;
function pushScene(token: string, project = projectId) {
  pushes += 1;
  return server.client(token).sync.push.mutate({
    projectId: project,
    pushId: `nudge-${pushes}-${Date.now()}`,
    lastPulledAt: null,
    changes: {
      scenes: { created: [{ id: `scene-${pushes}`, heading: `INT. SET ${pushes}` }], updated: [], deleted: [] },
    },
  });
}

const syncUrl = (token: string) => server.socketUrl('/sync', token);

test('[S1] an upgrade without a ticket, with a bad one or with a session token is refused with 401', async () => {
  expect(await upgradeStatus(`${server.wsUrl}/sync`)).toBe(401);
  expect(await upgradeStatus(`${server.wsUrl}/sync?ticket=forged`)).toBe(401);
  expect(await upgradeStatus(`${server.wsUrl}/sync?token=${viewer.token}`)).toBe(401);
  expect(await upgradeStatus(await syncUrl(viewer.token))).toBe(101);
});

test('[S2][S3] a viewer subscribes and is told about every committed push with its timestamp', async () => {
  const socket = await openTestSocket(await syncUrl(viewer.token));
  try {
    socket.send({ type: 'subscribe', projectId });
    expect(await socket.next()).toEqual({ type: 'subscribed', projectId, push: true });
    const first = await pushScene(owner.token);
    expect(await socket.next((m) => m.type === 'changed')).toMatchObject({
      type: 'changed',
      projectId,
      timestamp: first.timestamp,
    });
    const second = await pushScene(owner.token);
    expect(await socket.next((m) => m.type === 'changed')).toMatchObject({
      type: 'changed',
      projectId,
      timestamp: second.timestamp,
      since: first.timestamp,
    });
    expect(second.timestamp).toBeGreaterThan(first.timestamp);
  } finally {
    socket.close();
  }
});

test('[S2] subscribing to a project you are not in is FORBIDDEN, and its pushes never reach you', async () => {
  const socket = await openTestSocket(await syncUrl(owner.token));
  try {
    socket.send({ type: 'subscribe', projectId: otherProjectId });
    expect(await socket.next()).toMatchObject({ type: 'error', code: 'FORBIDDEN', projectId: otherProjectId });
    socket.send({ type: 'subscribe', projectId: 'no-such-project' });
    expect(await socket.next()).toMatchObject({ type: 'error', code: 'FORBIDDEN', projectId: 'no-such-project' });
    // The stranger's push is followed by one in our project; only the latter may arrive.
    socket.send({ type: 'subscribe', projectId });
    await socket.next((m) => m.type === 'subscribed');
    await pushScene(stranger.token, otherProjectId);
    const ours = await pushScene(owner.token);
    const changed = await socket.next((m) => m.type === 'changed');
    expect(changed).toMatchObject({ type: 'changed', projectId, timestamp: ours.timestamp });
    expect(socket.received.filter((m) => m.projectId === otherProjectId && m.type !== 'error')).toEqual([]);
    // The changes that rode along are ours only: nothing of the stranger's project.
    expect(JSON.stringify(changed)).not.toContain(otherProjectId);
  } finally {
    socket.close();
  }
});

test('[S3] unsubscribe stops the nudges; a double subscribe still nudges once per push', async () => {
  const socket = await openTestSocket(await syncUrl(owner.token));
  try {
    socket.send({ type: 'subscribe', projectId });
    socket.send({ type: 'subscribe', projectId });
    await socket.next((m) => m.type === 'subscribed');
    await socket.next((m) => m.type === 'subscribed');
    const pushed = await pushScene(owner.token);
    await socket.next((m) => m.type === 'changed' && m.timestamp === pushed.timestamp);
    socket.send({ type: 'unsubscribe', projectId });
    expect(await socket.next()).toEqual({ type: 'unsubscribed', projectId });
    await pushScene(owner.token);
    // A second socket that stays subscribed proves the later push was announced.
    const watcher = await openTestSocket(await syncUrl(viewer.token));
    watcher.send({ type: 'subscribe', projectId });
    await watcher.next((m) => m.type === 'subscribed');
    const last = await pushScene(owner.token);
    await watcher.next((m) => m.type === 'changed' && m.timestamp === last.timestamp);
    watcher.close();
    expect(
      socket.received
        .filter((m) => m.type === 'changed')
        .map(({ type, projectId, timestamp }) => ({
          type,
          projectId,
          timestamp,
        })),
    ).toEqual([{ type: 'changed', projectId, timestamp: pushed.timestamp }]);
  } finally {
    socket.close();
  }
});

test('[S11] a small commit’s nudge carries exactly what a pull from `since` answers; a large one carries none', async () => {
  const socket = await openTestSocket(await syncUrl(viewer.token));
  try {
    socket.send({ type: 'subscribe', projectId });
    await socket.next((m) => m.type === 'subscribed');
    const before = await server.client(owner.token).sync.pull.query({ projectId, lastPulledAt: null });
    const small = await pushScene(owner.token);
    const nudge = await socket.next<NudgeChanged>((m) => m.type === 'changed' && m.timestamp === small.timestamp);
    expect(nudge.since).toBe(before.timestamp);
    const pulled = await server.client(viewer.token).sync.pull.query({ projectId, lastPulledAt: before.timestamp });
    expect(nudge.changes).toEqual(pulled.changes);
    expect(nudge.changes?.scenes?.updated.map((r) => r.id)).toEqual([`scene-${pushes}`]);

    // More records than nudgeChangesLimits.maxRecords: a bare nudge, devices pull.
    const many = Array.from({ length: nudgeChangesLimits.maxRecords + 1 }, (_, i) => ({
      id: `many-${i}`,
      heading: `INT. SET ${i}`,
    }));
    const large = await server.client(owner.token).sync.push.mutate({
      projectId,
      pushId: `nudge-many-${Date.now()}`,
      lastPulledAt: null,
      changes: { scenes: { created: many, updated: [], deleted: [] } },
    });
    expect(await socket.next((m) => m.type === 'changed' && m.timestamp === large.timestamp)).toEqual({
      type: 'changed',
      projectId,
      timestamp: large.timestamp,
    });
    // One record, but more bytes than nudgeChangesLimits.maxBytes: bare too.
    const long = await server.client(owner.token).sync.push.mutate({
      projectId,
      pushId: `nudge-long-${Date.now()}`,
      lastPulledAt: null,
      changes: {
        scenes: {
          created: [{ id: 'long', heading: 'INT. LONG', synopsis: 'x'.repeat(nudgeChangesLimits.maxBytes) }],
          updated: [],
          deleted: [],
        },
      },
    });
    expect(await socket.next((m) => m.type === 'changed' && m.timestamp === long.timestamp)).toEqual({
      type: 'changed',
      projectId,
      timestamp: long.timestamp,
    });
  } finally {
    socket.close();
  }
});

test('[S11] a small commit’s nudge leaves with its changes before its push is answered: nothing is read after the commit', async () => {
  const socket = await openTestSocket(await syncUrl(viewer.token));
  try {
    socket.send({ type: 'subscribe', projectId });
    await socket.next((m) => m.type === 'subscribed');
    /** Arrival order here: `nudge <timestamp>` as each nudge arrives, `answer <timestamp>` as each push is answered. */
    const order: string[] = [];
    socket.ws.on('message', (data: WebSocket.RawData) => {
      const message = JSON.parse(String(data)) as { type: string; timestamp?: number; changes?: unknown };
      if (message.type === 'changed' && message.changes) order.push(`nudge ${message.timestamp}`);
    });
    const expected: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const { timestamp } = await pushScene(owner.token);
      order.push(`answer ${timestamp}`);
      await socket.next((m) => m.type === 'changed' && m.timestamp === timestamp);
      // Its nudge carries the commit's own stamp, and was on its way before the answer.
      expected.push(`nudge ${timestamp}`, `answer ${timestamp}`);
    }
    expect(order).toEqual(expected);
  } finally {
    socket.close();
  }
});

test('[S4] garbage messages get BAD_REQUEST errors and the socket keeps working', async () => {
  const socket = await openTestSocket(await syncUrl(owner.token));
  try {
    for (const garbage of [
      'not json',
      '',
      '[]',
      'null',
      '{"type":"dance","projectId":"x"}',
      '{"type":"subscribe"}',
      '{"type":"subscribe","projectId":"../../etc"}',
    ]) {
      socket.sendRaw(garbage);
      const reply = await socket.next();
      expect(reply, garbage).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });
      expect(typeof reply.message).toBe('string');
    }
    socket.ws.send(Buffer.from([0xff, 0x00, 0x13]), { binary: true });
    expect(await socket.next()).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });
    socket.send({ type: 'subscribe', projectId });
    expect(await socket.next()).toEqual({ type: 'subscribed', projectId, push: true });
  } finally {
    socket.close();
  }
});

test('[S4] an oversized message closes only that socket (1009); the server lives on', async () => {
  const socket = await openTestSocket(await syncUrl(owner.token));
  socket.sendRaw(JSON.stringify({ type: 'subscribe', projectId: 'x'.repeat(100_000) }));
  expect((await socket.closed()).code).toBe(1009);
  expect((await fetch(`${server.url}/health`)).status).toBe(200);
});

test('[S6] a socket that stops answering pings is dropped; a live one is kept', async () => {
  const live = await openTestSocket(await syncUrl(owner.token));
  let pings = 0;
  const threePings = new Promise<void>((resolve) =>
    live.ws.on('ping', () => {
      pings += 1;
      if (pings === 3) resolve();
    }),
  );
  const dead = new WebSocket(await syncUrl(owner.token), { autoPong: false });
  const deadClosed = new Promise<number>((resolve) => dead.on('close', (code) => resolve(code)));
  await deadClosed;
  await threePings;
  expect(live.ws.readyState).toBe(WebSocket.OPEN);
  live.close();
});

test('[S6] each socket is pinged on its own beat, from its connection, not all sockets in one task', async () => {
  // One timer walking every socket pinged them all at the same moment: a stall that grows
  // with the sockets. Two sockets opened half a period apart now hear their pings apart.
  const beating = await startTestServer({ heartbeatMs: 400 });
  try {
    const member = await beating.signIn('beat@example.com');
    const pingTimes = async () => {
      const socket = await openTestSocket(await beating.socketUrl('/sync', member.token));
      const times: number[] = [];
      socket.ws.on('ping', () => times.push(performance.now()));
      return { socket, times };
    };
    const first = await pingTimes();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await pingTimes();
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    expect(first.times.length).toBeGreaterThanOrEqual(2);
    expect(second.times.length).toBeGreaterThanOrEqual(2);
    // The closest ping of one to a ping of the other: ~200 ms now, ~0 ms with one timer.
    const closest = Math.min(...first.times.flatMap((a) => second.times.map((b) => Math.abs(a - b))));
    expect(closest).toBeGreaterThan(50);
    first.socket.close();
    second.socket.close();
  } finally {
    await beating.close();
  }
});

test('[S7] /yjs upgrades are authorized with tickets of the same sessions and roles; other paths are 404', async () => {
  const doc = `project/${projectId}/script/script1`;
  expect(await upgradeStatus(`${server.wsUrl}/yjs/${doc}`)).toBe(401);
  expect(await upgradeStatus(`${server.wsUrl}/yjs/${doc}?ticket=forged`)).toBe(401);
  expect(await upgradeStatus(await server.socketUrl(`/yjs/${doc}`, stranger.token))).toBe(403);
  expect(await upgradeStatus(await server.socketUrl(`/yjs/${doc}`, viewer.token))).toBe(101);
  expect(await upgradeStatus(await server.socketUrl('/elsewhere', owner.token))).toBe(404);
});

/** A one-scene push as `sync.push` takes it, sent over the socket (S12). */
function socketPush(requestId: string, pushId: string, heading: string, project = projectId) {
  return {
    type: 'push',
    requestId,
    push: {
      projectId: project,
      pushId,
      lastPulledAt: null,
      changes: { scenes: { created: [{ id: `socket-${pushId}`, heading }], updated: [], deleted: [] } },
    },
  };
}

async function sceneHeading(id: string): Promise<unknown> {
  const { changes } = (await server
    .client(owner.token)
    .sync.pull.query({ projectId, lastPulledAt: null })) as unknown as {
    changes: { scenes: { created: { id: string; heading: string }[] } };
  };
  return changes.scenes.created.find((scene) => scene.id === id)?.heading;
}

test('[S12] a push over /sync is committed, nudged to subscribers before it is answered, and answered with its stamp', async () => {
  const editor = await openTestSocket(await syncUrl(owner.token));
  const watcher = await openTestSocket(await syncUrl(viewer.token));
  try {
    for (const socket of [editor, watcher]) {
      socket.send({ type: 'subscribe', projectId });
      expect(await socket.next()).toEqual({ type: 'subscribed', projectId, push: true });
    }
    const pushId = `s12-${Date.now()}`;
    editor.send(socketPush('r1', pushId, 'INT. FERRY - NIGHT'));
    const answer = await editor.next((m) => m.type === 'pushed');
    expect(answer).toEqual({ type: 'pushed', requestId: 'r1', timestamp: expect.any(Number) });
    // Its own nudge came first on the same socket (S11), and the other subscriber got it too.
    const order = editor.received.map((m) => m.type);
    expect(order.indexOf('changed')).toBeLessThan(order.indexOf('pushed'));
    expect(await watcher.next((m) => m.type === 'changed')).toMatchObject({ timestamp: answer.timestamp });
    expect(await sceneHeading(`socket-${pushId}`)).toBe('INT. FERRY - NIGHT');
  } finally {
    editor.close();
    watcher.close();
  }
});

test('[S12][U4] the same pushId again over /sync, or over HTTP, gets the first stamp and changes nothing', async () => {
  const socket = await openTestSocket(await syncUrl(owner.token));
  try {
    const pushId = `s12-again-${Date.now()}`;
    socket.send(socketPush('a', pushId, 'EXT. PIER - DAY'));
    const first = await socket.next((m) => m.type === 'pushed');
    socket.send(socketPush('b', pushId, 'a retry must not write this'));
    expect(await socket.next((m) => m.type === 'pushed')).toEqual({
      type: 'pushed',
      requestId: 'b',
      timestamp: first.timestamp,
    });
    const overHttp = await server.client(owner.token).sync.push.mutate(socketPush('c', pushId, 'nor this').push);
    expect(overHttp.timestamp).toBe(first.timestamp);
    expect(await sceneHeading(`socket-${pushId}`)).toBe('EXT. PIER - DAY');
  } finally {
    socket.close();
  }
});

test('[S12] a push over /sync is refused as sync.push refuses it (viewer, stranger, bad input), by requestId, and writes nothing', async () => {
  const asViewer = await openTestSocket(await syncUrl(viewer.token));
  const asStranger = await openTestSocket(await syncUrl(stranger.token));
  try {
    const stamp = Date.now();
    asViewer.send(socketPush('v', `viewer-${stamp}`, 'viewer scribble'));
    expect(await asViewer.next((m) => m.requestId === 'v')).toMatchObject({
      type: 'error',
      requestId: 'v',
      code: 'FORBIDDEN',
    });
    asStranger.send(socketPush('s', `stranger-${stamp}`, 'stranger scribble'));
    expect(await asStranger.next((m) => m.requestId === 's')).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
    const bad = socketPush('b', `bad-${stamp}`, 'bad');
    asStranger.send({ ...bad, push: { ...bad.push, projectId: otherProjectId, changes: { nonsense: {} } } });
    const refusal = await asStranger.next((m) => m.requestId === 'b');
    expect(refusal).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });
    expect(String(refusal.message)).toContain('nonsense');
    expect(await sceneHeading(`socket-viewer-${stamp}`)).toBeUndefined();
    // The sockets stay open and usable.
    asViewer.send({ type: 'subscribe', projectId });
    expect(await asViewer.next((m) => m.type === 'subscribed')).toMatchObject({ projectId });
  } finally {
    asViewer.close();
    asStranger.close();
  }
});

test('[S12] a socket with 4 pushes in flight is answered TOO_MANY_REQUESTS for more, by requestId, which write nothing', async () => {
  const socket = await openTestSocket(await syncUrl(owner.token));
  try {
    const stamp = Date.now();
    const sent = Array.from({ length: 12 }, (_, i) => socketPush(`f${i}`, `flood-${stamp}-${i}`, `FLOOD ${i}`));
    // All at once: each later one arrives while the first ones still wait on their commits.
    for (const message of sent) socket.send(message);
    const answers = await Promise.all(sent.map((message) => socket.next((m) => m.requestId === message.requestId)));
    const refused = answers.filter((answer) => answer.type === 'error');
    expect(refused.length).toBeGreaterThanOrEqual(sent.length - 4);
    for (const answer of refused) {
      expect(answer).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
      expect(String(answer.message)).toContain('in flight');
    }
    for (const [i, answer] of answers.entries()) {
      const heading = await sceneHeading(`socket-flood-${stamp}-${i}`);
      expect(heading).toBe(answer.type === 'pushed' ? `FLOOD ${i}` : undefined);
    }
    // Once answered, the socket takes pushes again.
    socket.send(socketPush('after', `flood-${stamp}-after`, 'AFTER'));
    expect(await socket.next((m) => m.requestId === 'after')).toMatchObject({ type: 'pushed' });
  } finally {
    socket.close();
  }
});
