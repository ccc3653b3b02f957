import { type TestServer, startTestServer } from '@clapper/api';
import type { NudgeServerMessage } from '@clapper/schema';
import { afterAll, beforeAll, expect, test } from 'vitest';
import WebSocket from 'ws';
import { type MessageLike, NudgeSocket, type WebSocketLike } from './nudge-socket.ts';
import { createProjectDatabase } from './project-database.ts';
import { type SyncLogEntry, createSyncEngine } from './sync-engine.ts';
import {
  createDevice,
  createShot,
  localRecord,
  serverRecord,
  settled,
  updateShot,
  waitFor,
} from './testing/devices.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

/** A shot as the server holds it, in the columns a device keeps. */
async function onServer(token: string, projectId: string, id: string): Promise<object> {
  const raw = await serverRecord(server, token, projectId, 'shots', id);
  if (!raw) throw new Error(`shot ${id} is not on the server`);
  const { project_id: _project, created_at: _created, updated_at: _updated, ...columns } = raw;
  return columns;
}

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

test('[C3][C22] with changes in nudges turned off, the nudge of a device’s own push brings no second pull: the pull after its push covers that stamp (and the other pushes committed under it)', async () => {
  const owner = await server.signIn('self-owner@example.com');
  const project = await server.createProject(owner.token, 'Self');
  const options = { server, projectId: project.id, token: owner.token, applyNudgedChanges: false };
  const director = createDevice('director', options);
  const other = createDevice('other', options);
  await Promise.all([settled(director), settled(other)]);
  const before = { director: director.traffic.pulls, other: other.traffic.pulls };
  const id = await createShot(director, { label: 'mine' });
  await waitFor(() => localRecord(other, 'shots', id), 10_000, 'shot on other');
  await waitFor(() => director.traffic.pulls === before.director + 1, 10_000, 'director pulls after its push');
  await Promise.all([settled(director), settled(other)]);
  // One pull, inside the sync that pushed and after its push (C22); the nudge of that push
  // is at or before that pull's stamp, so it brings nothing more. (Before C22 the sync
  // pulled first, and the nudge of its own push brought a second pull.)
  expect(director.traffic.pulls).toBe(before.director + 1);
  expect(other.traffic.pulls).toBe(before.other + 1);
  await Promise.all([director.engine.stop(), other.engine.stop()]);
});

test('[C19] a nudge whose changes follow the device’s last pull is applied as they are: no pull, on either device', async () => {
  const owner = await server.signIn('direct-owner@example.com');
  const project = await server.createProject(owner.token, 'Direct');
  const logs: SyncLogEntry[] = [];
  const director = createDevice('director', { server, projectId: project.id, token: owner.token });
  const other = createDevice('other', {
    server,
    projectId: project.id,
    token: owner.token,
    onLog: (entry) => logs.push(entry),
  });
  await Promise.all([settled(director), settled(other)]);
  const before = { director: director.traffic.pulls, other: other.traffic.pulls };
  const id = await createShot(director, { label: 'mine', lens: '50mm' });
  await waitFor(() => localRecord(other, 'shots', id), 10_000, 'shot on other');
  await Promise.all([settled(director), settled(other)]);
  // The director's pull after its push is its own push's nudge when that came first (S11:
  // sent before the push is answered), else one pull; the other device pulled nothing.
  expect(director.traffic.pulls).toBeLessThanOrEqual(before.director + 1);
  expect(other.traffic.pulls).toBe(before.other);
  expect(logs.at(-1)).toMatchObject({ ok: true, appliedNudge: true, remoteChangeCount: 2 });
  expect(await localRecord(other, 'shots', id)).toMatchObject({ label: 'mine', lens: '50mm', _status: 'synced' });
  // And it is where a pull would have put it.
  expect(await localRecord(other, 'shots', id)).toMatchObject(await onServer(owner.token, project.id, id));
  await Promise.all([director.engine.stop(), other.engine.stop()]);
});

test('[C19] a lost nudge, a gap and a reordering: the device pulls instead, and misses nothing', async () => {
  const owner = await server.signIn('unreliable-owner@example.com');
  const project = await server.createProject(owner.token, 'Unreliable');
  // The tablet's socket goes through a network the test controls (the server and `ws` are real).
  const sockets: GatedWebSocket[] = [];
  let gate: (message: NudgeServerMessage, deliver: () => void) => void = (_, deliver) => deliver();
  class GatedWebSocket implements WebSocketLike {
    readonly ws: WebSocket;
    constructor(url: string) {
      this.ws = new WebSocket(url);
      sockets.push(this);
    }
    get readyState(): number {
      return this.ws.readyState;
    }
    send(data: string): void {
      this.ws.send(data);
    }
    close(code?: number, reason?: string): void {
      this.ws.close(code, reason);
    }
    addEventListener(type: 'open' | 'close' | 'error' | 'message', listener: (event: MessageLike) => void): void {
      if (type !== 'message') {
        this.ws.addEventListener(type, () => listener({ data: null }));
        return;
      }
      this.ws.addEventListener('message', (event) => {
        const message = JSON.parse(String(event.data)) as NudgeServerMessage;
        gate(message, () => listener({ data: event.data }));
      });
    }
  }
  const laptop = createDevice('laptop', { server, projectId: project.id, token: owner.token });
  const tablet = createDevice('tablet', {
    server,
    projectId: project.id,
    token: owner.token,
    webSocket: GatedWebSocket,
  });
  await Promise.all([settled(laptop), settled(tablet)]);
  const nudgesOf = (id: string) => (message: NudgeServerMessage) =>
    message.type === 'changed' && JSON.stringify(message).includes(id);

  // Lost: the nudge of the first shot never arrives. The next one's `since` is not the
  // tablet's last pull (a gap), so the tablet pulls, and gets both.
  let pulls = tablet.traffic.pulls;
  let lose = (_: NudgeServerMessage) => false;
  gate = (message, deliver) => (lose(message) ? undefined : deliver());
  let first = '';
  lose = (message) => first !== '' && nudgesOf(first)(message);
  first = await createShot(laptop, { label: 'lost' });
  await settled(laptop);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await localRecord(tablet, 'shots', first)).toBeNull();
  const second = await createShot(laptop, { label: 'after the gap' });
  await waitFor(() => localRecord(tablet, 'shots', second), 10_000, 'second shot on the tablet');
  expect(await localRecord(tablet, 'shots', first)).toMatchObject({ label: 'lost' });
  await settled(tablet);
  expect(tablet.traffic.pulls).toBe(pulls + 1);

  // Reordered: the third shot's nudge is held back until the fourth's has arrived.
  pulls = tablet.traffic.pulls;
  let heldBack: (() => void) | null = null;
  let third = '';
  gate = (message, deliver) => {
    if (third !== '' && nudgesOf(third)(message)) heldBack = deliver;
    else deliver();
  };
  third = await createShot(laptop, { label: 'overtaken' });
  await settled(laptop);
  await waitFor(() => heldBack, 10_000, 'third nudge held back');
  const fourth = await createShot(laptop, { label: 'overtaking' });
  await waitFor(() => localRecord(tablet, 'shots', fourth), 10_000, 'fourth shot on the tablet');
  expect(await localRecord(tablet, 'shots', third)).toMatchObject({ label: 'overtaken' });
  (heldBack as unknown as () => void)();
  await settled(tablet);
  expect(tablet.traffic.pulls).toBe(pulls + 1); // the late nudge is old news: no pull, nothing applied twice

  // Lost with the connection: the last nudge dies with the socket; re-subscribing pulls (C4).
  pulls = tablet.traffic.pulls;
  let fifth = '';
  gate = (message, deliver) => {
    if (fifth !== '' && nudgesOf(fifth)(message)) sockets.at(-1)!.ws.terminate();
    else deliver();
  };
  fifth = await createShot(laptop, { label: 'lost with the socket' });
  await waitFor(() => localRecord(tablet, 'shots', fifth), 10_000, 'fifth shot on the tablet');
  expect(sockets.length).toBe(2);
  expect(tablet.traffic.pulls).toBeGreaterThan(pulls);

  // Everything the server holds, the tablet holds.
  for (const id of [first, second, third, fourth, fifth])
    expect(await localRecord(tablet, 'shots', id)).toMatchObject(await onServer(owner.token, project.id, id));
  await Promise.all([laptop.engine.stop(), tablet.engine.stop()]);
});

test('[C19] changes applied from a nudge keep the device’s own unpushed edits (WatermelonDB’s conflict rule), which then go out', async () => {
  const owner = await server.signIn('pending-owner@example.com');
  const project = await server.createProject(owner.token, 'Pending');
  const laptop = createDevice('laptop', { server, projectId: project.id, token: owner.token });
  // A long debounce: the tablet's edit is still unpushed when the laptop's nudge arrives.
  const logs: SyncLogEntry[] = [];
  const tablet = createDevice('tablet', {
    server,
    projectId: project.id,
    token: owner.token,
    debounceMs: 60_000,
    onLog: (entry) => logs.push(entry),
  });
  await Promise.all([settled(laptop), settled(tablet)]);
  const id = await createShot(laptop, { label: '1A', lens: '35mm' });
  await waitFor(() => localRecord(tablet, 'shots', id), 10_000, 'shot on the tablet');
  await updateShot(tablet, id, { label: '1A-tablet' });
  expect(await localRecord(tablet, 'shots', id)).toMatchObject({ _status: 'updated' });
  await updateShot(laptop, id, { lens: '85mm', label: '1A-laptop' });
  await waitFor(
    async () => (await localRecord(tablet, 'shots', id))?.lens === '85mm',
    10_000,
    'the laptop’s lens on the tablet',
  );
  await settled(tablet);
  await settled(laptop);
  // Applied from the nudge, with the tablet's edit pending at the time.
  expect(logs.some((entry) => entry.appliedNudge && entry.localChangeCount === 1)).toBe(true);
  // The tablet's label survived the apply and, pushed after the laptop's, wins everywhere (C14).
  await waitFor(
    async () => (await localRecord(laptop, 'shots', id))?.label === '1A-tablet',
    10_000,
    'the tablet’s label on the laptop',
  );
  expect(await serverRecord(server, owner.token, project.id, 'shots', id)).toMatchObject({
    label: '1A-tablet',
    lens: '85mm',
  });
  expect(await localRecord(tablet, 'shots', id)).toMatchObject({ label: '1A-tablet', lens: '85mm', _status: 'synced' });
  await Promise.all([laptop.engine.stop(), tablet.engine.stop()]);
});

test('[C20] a sync after a clean one skips reading local changes, yet a local write made while a push is out still goes out', async () => {
  const owner = await server.signIn('clean-owner@example.com');
  const project = await server.createProject(owner.token, 'Clean');
  const laptop = createDevice('laptop', { server, projectId: project.id, token: owner.token });
  const logs: SyncLogEntry[] = [];
  // The tablet writes again while its push is on the network (the push waits for the write).
  let duringPush: (() => Promise<void>) | null = null;
  const tablet = createDevice('tablet', {
    server,
    projectId: project.id,
    token: owner.token,
    onLog: (entry) => logs.push(entry),
    hook: async (url, init, real) => {
      const write = url.includes('sync.push') ? duringPush : null;
      if (write) {
        duringPush = null;
        await write();
      }
      return real(url, init);
    },
  });
  await Promise.all([settled(laptop), settled(tablet)]);
  // Opened on an earlier session's database: the first sync reads local changes.
  expect(logs[0]).toMatchObject({ ok: true, readLocalChanges: true });
  const id = await createShot(laptop, { label: '2A', lens: '35mm' });
  await waitFor(() => localRecord(tablet, 'shots', id), 10_000, 'shot on the tablet');
  await settled(tablet);
  // Applied from the nudge, with nothing written locally since the last sync: no scan.
  expect(logs.at(-1)).toMatchObject({ ok: true, appliedNudge: true, readLocalChanges: false });

  let wrote = false;
  duringPush = async () => {
    await updateShot(tablet, id, { lens: '85mm' });
    wrote = true;
  };
  await updateShot(tablet, id, { label: '2A-tablet' });
  await waitFor(() => wrote, 10_000, 'the write during the push');
  // The push carried the label only; the lens, written meanwhile, goes out after it.
  await waitFor(
    async () => (await serverRecord(server, owner.token, project.id, 'shots', id))?.lens === '85mm',
    10_000,
    'the tablet’s lens on the server',
  );
  await Promise.all([settled(laptop), settled(tablet)]);
  expect(await localRecord(laptop, 'shots', id)).toMatchObject({ label: '2A-tablet', lens: '85mm' });
  expect(await localRecord(tablet, 'shots', id)).toMatchObject({ label: '2A-tablet', lens: '85mm', _status: 'synced' });
  await Promise.all([laptop.engine.stop(), tablet.engine.stop()]);
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
