import { type TestServer, startTestServer } from '@clapper/api';
import type { NudgeServerMessage } from '@clapper/schema';
import { afterAll, beforeAll, expect, test } from 'vitest';
import WebSocket from 'ws';
import { NudgeSocket } from './nudge-socket.ts';
import { createProjectDatabase } from './project-database.ts';
import { createSyncEngine } from './sync-engine.ts';
import { createDevice, createShot, localRecord, settled, waitFor } from './testing/devices.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

let opened = 0;
class CountingWebSocket extends WebSocket {
  constructor(url: string) {
    super(url);
    opened += 1;
  }
}

test('[C17] one socket serves every project of a server; it closes when the last engine stops', async () => {
  const owner = await server.signIn('shared-owner@example.com');
  const features = [
    await server.createProject(owner.token, 'Feature'),
    await server.createProject(owner.token, 'Short'),
  ];
  const nudges = new NudgeSocket({ serverUrl: server.url, getToken: () => owner.token, webSocket: CountingWebSocket });
  opened = 0;
  const engines = features.map((project) =>
    createSyncEngine({
      database: createProjectDatabase({ projectId: project.id }),
      projectId: project.id,
      serverUrl: server.url,
      getToken: () => owner.token,
      nudges,
      debounceMs: 10,
    }),
  );
  const laptops = features.map((project) =>
    createDevice(`laptop ${project.name}`, { server, projectId: project.id, token: owner.token }),
  );
  for (const engine of engines)
    await waitFor(() => engine.getStatus().online && engine.isIdle(), 10_000, 'engine online');
  expect(opened).toBe(1);

  const ids = await Promise.all(laptops.map((laptop) => createShot(laptop, { label: `from ${laptop.name}` })));
  for (const [index, engine] of engines.entries()) {
    const id = ids[index]!;
    await waitFor(
      async () => (await engine.database.get('shots').query().fetch()).some((shot) => shot.id === id),
      10_000,
      'nudged pull',
    );
  }
  // Each project's database got only its own project's shot.
  expect(await engines[0]!.database.get('shots').query().fetchCount()).toBe(1);
  expect(await engines[1]!.database.get('shots').query().fetchCount()).toBe(1);
  expect(opened).toBe(1);

  await engines[0]!.stop();
  expect(nudges.getState().connected).toBe(true);
  await engines[1]!.stop();
  expect(nudges.getState()).toMatchObject({ connected: false, reconnectAttempt: 0 });
  await Promise.all(laptops.map((laptop) => laptop.engine.stop()));
  nudges.close();
});

test('[C17] a project the user is not a member of is refused on the socket, and the engine says so', async () => {
  const owner = await server.signIn('private-owner@example.com');
  const outsider = await server.signIn('outsider@example.com');
  const project = await server.createProject(owner.token, 'Private');
  const messages: NudgeServerMessage[] = [];
  const nudges = new NudgeSocket({ serverUrl: server.url, getToken: () => outsider.token, webSocket: WebSocket });
  const unsubscribe = nudges.subscribe(project.id, (message) => messages.push(message));
  await waitFor(() => messages.find((message) => message.type === 'error'), 10_000, 'socket error');
  expect(messages[0]).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
  unsubscribe();
  nudges.close();

  const stranger = createDevice('stranger', { server, projectId: project.id, token: outsider.token });
  await waitFor(() => stranger.engine.getStatus().error?.code === 'FORBIDDEN', 10_000, 'FORBIDDEN status');
  expect(stranger.engine.getStatus()).toMatchObject({ nextRetryAt: null, online: false });
  await stranger.engine.stop();
});

test('[C3] the nudge of a device’s own push still brings one pull (a batch shares its stamp with other devices’ pushes)', async () => {
  const owner = await server.signIn('self-owner@example.com');
  const project = await server.createProject(owner.token, 'Self');
  const director = createDevice('director', { server, projectId: project.id, token: owner.token });
  const other = createDevice('other', { server, projectId: project.id, token: owner.token });
  await Promise.all([settled(director), settled(other)]);
  const before = { director: director.traffic.pulls, other: other.traffic.pulls };
  const id = await createShot(director, { label: 'mine' });
  await waitFor(() => localRecord(other, 'shots', id), 10_000, 'shot on other');
  await waitFor(() => director.traffic.pulls === before.director + 2, 10_000, 'director pulls for its own nudge');
  await Promise.all([settled(director), settled(other)]);
  // One pull inside the sync that pushed, one for the nudge of that push; nothing more.
  expect(director.traffic.pulls).toBe(before.director + 2);
  expect(other.traffic.pulls).toBe(before.other + 1);
  await Promise.all([director.engine.stop(), other.engine.stop()]);
});

test('[C17] every (re)connect opens /sync with a fresh single-use ticket; the session token never goes into a URL', async () => {
  const owner = await server.signIn('ticket-owner@example.com');
  const project = await server.createProject(owner.token, 'Tickets');
  const sockets: WebSocket[] = [];
  class RecordingWebSocket extends WebSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
    }
  }
  const nudges = new NudgeSocket({
    serverUrl: server.url,
    getToken: () => owner.token,
    webSocket: RecordingWebSocket,
    backoff: { minMs: 20, maxMs: 100 },
  });
  const messages: NudgeServerMessage[] = [];
  const unsubscribe = nudges.subscribe(project.id, (message) => messages.push(message));
  try {
    await waitFor(() => messages.some((m) => m.type === 'subscribed'), 10_000, 'first subscription');
    // The connection drops (network, server restart): the socket reconnects with a new ticket.
    sockets[0]!.terminate();
    await waitFor(
      () => messages.filter((m) => m.type === 'subscribed').length === 2,
      10_000,
      'subscription after reconnect',
    );
    const urls = sockets.map((socket) => new URL(socket.url));
    expect(urls.length).toBeGreaterThanOrEqual(2);
    for (const url of urls) {
      expect(url.pathname).toBe('/sync');
      expect([...url.searchParams.keys()]).toEqual(['ticket']);
      expect(url.toString()).not.toContain(owner.token);
    }
    const tickets = urls.map((url) => url.searchParams.get('ticket'));
    expect(new Set(tickets).size).toBe(tickets.length);
    // Still nudged after the reconnect.
    const laptop = createDevice('laptop', { server, projectId: project.id, token: owner.token });
    await createShot(laptop, { label: 'after reconnect' });
    await waitFor(() => messages.some((m) => m.type === 'changed'), 10_000, 'nudge after reconnect');
    await laptop.engine.stop();
  } finally {
    unsubscribe();
    nudges.close();
  }
});
