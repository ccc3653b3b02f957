/**
 * The structured-sync rules of packages/sync-server/SPEC.md, observed through the real
 * HTTP server with a real tRPC client (plain JSON, bearer token), as a WatermelonDB
 * client would see them.
 */
import { randomBytes } from 'node:crypto';
import {
  type NudgeChanged,
  type PullResponse,
  type PushResponse,
  type RawRecord,
  schemaVersion,
  tableNames,
} from '@clapper/schema';
import { type TRPCUntypedClient, createTRPCUntypedClient, httpBatchLink, httpLink } from '@trpc/client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { AppRouter } from './router.ts';
import { type TestServer, startTestServer } from './test-server.ts';
import { failureOf } from './trpc-test-errors.ts';
import { openTestSocket } from './ws-test-client.ts';

let server: TestServer;
/** A second instance on the same database: only PostgreSQL orders the two. */
let second: TestServer;
let owner: string;
let editor: string;
let viewer: string;
let outsider: string;

beforeAll(async () => {
  server = await startTestServer();
  second = await startTestServer({ db: server.db });
  owner = (await server.signIn('director@example.com')).token;
  editor = (await server.signIn('first-ad@example.com')).token;
  viewer = (await server.signIn('producer@example.com')).token;
  outsider = (await server.signIn('stranger@example.com')).token;
});
afterAll(async () => {
  await second?.close();
  await server?.close();
});

function rpc(
  token: string | undefined,
  options: { on?: TestServer; batch?: boolean } = {},
): TRPCUntypedClient<AppRouter> {
  const url = `${(options.on ?? server).url}/trpc`;
  const headers = () => (token ? { authorization: `Bearer ${token}` } : {});
  return createTRPCUntypedClient<AppRouter>({
    links: [options.batch ? httpBatchLink({ url, headers }) : httpLink({ url, headers })],
  });
}

const pushId = () => randomBytes(8).toString('hex');

function pull(token: string, projectId: string, lastPulledAt: number | null, on?: TestServer): Promise<PullResponse> {
  return rpc(token, { on }).query('sync.pull', {
    projectId,
    lastPulledAt,
    schemaVersion,
    migration: null,
  }) as Promise<PullResponse>;
}

function push(
  token: string,
  projectId: string,
  changes: unknown,
  options: { id?: string; lastPulledAt?: number | null; on?: TestServer } = {},
): Promise<PushResponse> {
  return rpc(token, { on: options.on }).mutation('sync.push', {
    projectId,
    pushId: options.id ?? pushId(),
    lastPulledAt: options.lastPulledAt ?? null,
    changes,
  }) as Promise<PushResponse>;
}

function tables(t: Record<string, { created?: RawRecord[]; updated?: RawRecord[]; deleted?: string[] }>) {
  return Object.fromEntries(
    Object.entries(t).map(([k, c]) => [
      k,
      { created: c.created ?? [], updated: c.updated ?? [], deleted: c.deleted ?? [] },
    ]),
  );
}

const scene = (id: string, columns: Record<string, unknown> = {}): RawRecord => ({
  id,
  number: '1',
  heading: 'INT. KITCHEN - DAY',
  location: 'Kitchen',
  time_of_day: 'DAY',
  synopsis: '',
  page_eighths: 8,
  sort_key: 'a0',
  ...columns,
});
const shot = (id: string, sceneId: string, columns: Record<string, unknown> = {}): RawRecord => ({
  id,
  scene_id: sceneId,
  sort_key: 'a0',
  label: '1A',
  size: 'WIDE',
  movement: 'STATIC',
  lens: '35mm',
  description: '',
  duration_s: 4,
  done: false,
  ...columns,
});

async function newProject(members: Array<[string, 'editor' | 'viewer']> = []): Promise<string> {
  const { id } = await server.createProject(owner, `Project ${pushId()}`);
  for (const [email, role] of members) await server.addMember(owner, id, email, role);
  return id;
}

async function rows(table: string, projectId: string) {
  return (await server.db.pool.query(`SELECT * FROM ${table} WHERE project_id = $1 ORDER BY id`, [projectId])).rows;
}

async function snapshot(projectId: string) {
  return {
    scenes: await rows('scenes', projectId),
    shots: await rows('shots', projectId),
    day_banners: await rows('day_banners', projectId),
    scripts: await rows('scripts', projectId),
    clock: (await server.db.pool.query('SELECT clock FROM projects WHERE id = $1', [projectId])).rows[0].clock,
  };
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for condition');
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function lockWaiters(): Promise<number> {
  const r = await server.db.pool.query(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
  );
  return r.rows[0].n as number;
}

/**
 * A device as WatermelonDB behaves: local raws, locally changed columns kept in
 * `_changed`; sync = pull (remote values merged under local changes), then push the
 * full raw of every changed record with `_status`/`_changed`.
 */
class Device {
  readonly records = new Map<string, RawRecord>();
  private readonly changed = new Map<string, Set<string>>();
  private readonly deleted = new Set<string>();
  lastPulledAt: number | null = null;

  constructor(
    private readonly token: string,
    private readonly projectId: string,
    private readonly table = 'shots',
  ) {}

  edit(id: string, columns: Record<string, unknown>) {
    Object.assign(this.records.get(id)!, columns);
    const set = this.changed.get(id) ?? new Set<string>();
    for (const c of Object.keys(columns)) set.add(c);
    this.changed.set(id, set);
  }

  remove(id: string) {
    this.records.delete(id);
    this.changed.delete(id);
    this.deleted.add(id);
  }

  /** `nudged`: a nudge's changes used as the pull (S11), as the client does when `since` is its lastPulledAt. */
  async sync(on?: TestServer, nudged?: PullResponse) {
    const pulled = nudged ?? (await pull(this.token, this.projectId, this.lastPulledAt, on));
    const remote = pulled.changes[this.table]!;
    for (const raw of [...remote.created, ...remote.updated]) {
      if (this.deleted.has(raw.id)) continue;
      const local = this.records.get(raw.id);
      const mine = this.changed.get(raw.id) ?? new Set();
      const merged = { ...raw };
      if (local) for (const c of mine) merged[c] = local[c];
      this.records.set(raw.id, merged);
    }
    // As WatermelonDB does: a remote delete wins over local edits of that record.
    for (const id of remote.deleted) {
      this.records.delete(id);
      this.changed.delete(id);
    }
    const updated = [...this.changed].map(([id, cols]) => ({
      ...this.records.get(id)!,
      _status: 'updated',
      _changed: [...cols].join(','),
    }));
    if (updated.length || this.deleted.size) {
      await push(this.token, this.projectId, tables({ [this.table]: { updated, deleted: [...this.deleted] } }), {
        lastPulledAt: pulled.timestamp,
        on,
      });
    }
    this.changed.clear();
    this.deleted.clear();
    this.lastPulledAt = pulled.timestamp;
  }
}

test('[P1][P2][P4][P5] first pull returns every live record; a later pull returns only changes and deleted ids', async () => {
  const projectId = await newProject();
  const created = await push(
    owner,
    projectId,
    tables({
      scenes: { created: [scene('sc1'), scene('sc2')] },
      shots: { created: [shot('sh1', 'sc1', { done: true }), shot('sh2', 'sc2')] },
    }),
  );
  const first = await pull(owner, projectId, null);
  expect(first.timestamp).toBe(created.timestamp);
  expect(Object.keys(first.changes).sort()).toEqual([...tableNames].sort());
  expect(first.changes.shots!.created.find((s) => s.id === 'sh1')).toEqual({
    ...shot('sh1', 'sc1', { done: true }),
    project_id: projectId,
    created_at: created.timestamp,
    updated_at: created.timestamp,
  });
  expect(first.changes.scenes!.created.map((s) => s.id).sort()).toEqual(['sc1', 'sc2']);
  expect(first.changes.scripts).toEqual({ created: [], updated: [], deleted: [] });

  await push(
    owner,
    projectId,
    tables({
      shots: {
        updated: [{ ...shot('sh1', 'sc1'), label: '1B', _status: 'updated', _changed: 'label' }],
        deleted: ['sh2'],
      },
    }),
  );
  const later = await pull(owner, projectId, first.timestamp);
  expect(later.timestamp).toBeGreaterThan(first.timestamp);
  expect(later.changes.shots!.updated.map((s) => [s.id, s.label, s.done])).toEqual([['sh1', '1B', true]]);
  expect(later.changes.shots!.deleted).toEqual(['sh2']);
  expect(later.changes.scenes).toEqual({ created: [], updated: [], deleted: [] });
  expect(Object.keys(later.changes.shots!.updated[0]!)).not.toContain('deleted_at');
});

test('[P3][U6] overlap: a pull between a stamped push and its commit misses nothing; the push waiting behind it stamps higher', async () => {
  const projectId = await newProject();
  await push(owner, projectId, tables({ scenes: { created: [scene('held'), scene('sc-b')] } }));
  const locker = await server.db.pool.connect();
  try {
    // Push A stamps (taking the project row), then waits on this row lock: stamped but not committed.
    await locker.query('BEGIN');
    await locker.query("SELECT 1 FROM scenes WHERE project_id = $1 AND id = 'held' FOR UPDATE", [projectId]);
    const pushA = push(
      owner,
      projectId,
      tables({ scenes: { updated: [{ id: 'held', heading: 'FROM A', _changed: 'heading' }] } }),
    );
    await waitFor(async () => (await lockWaiters()) >= 1);
    // Push B reaches the other instance and queues on the project row behind A.
    const pushB = push(
      owner,
      projectId,
      tables({ scenes: { updated: [{ id: 'sc-b', heading: 'FROM B', _changed: 'heading' }] } }),
      { on: second },
    );
    await waitFor(async () => (await lockWaiters()) >= 2);
    const between = await pull(owner, projectId, null);
    expect(between.changes.scenes!.created.map((s) => s.heading)).not.toContain('FROM A');
    await locker.query('ROLLBACK');
    const [a, b] = await Promise.all([pushA, pushB]);
    expect(a.timestamp).toBeGreaterThan(between.timestamp);
    expect(b.timestamp).toBeGreaterThan(a.timestamp);
    const next = await pull(owner, projectId, between.timestamp, second);
    expect(next.changes.scenes!.updated.map((s) => [s.id, s.heading]).sort()).toEqual([
      ['held', 'FROM A'],
      ['sc-b', 'FROM B'],
    ]);
  } finally {
    await locker.query('ROLLBACK').catch(() => undefined);
    locker.release();
  }
});

test('[U1][U9] a push with one bad reference writes nothing and names table, record and scene', async () => {
  const projectId = await newProject();
  const before = await snapshot(projectId);
  const failure = await failureOf(
    push(
      owner,
      projectId,
      tables({
        scenes: { created: [scene('sc1')] },
        shots: { created: [shot('sh1', 'sc1'), shot('sh2', 'no-such-scene')] },
      }),
    ),
  );
  expect(failure).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400 });
  expect(failure.message).toContain('shots.scene_id of record sh2 names scenes "no-such-scene"');
  expect(await snapshot(projectId)).toEqual(before);
});

test('[U2] two devices edit different columns of one shot offline; after both sync, both edits are everywhere', async () => {
  const projectId = await newProject([['first-ad@example.com', 'editor']]);
  await push(
    owner,
    projectId,
    tables({ scenes: { created: [scene('sc1')] }, shots: { created: [shot('sh1', 'sc1')] } }),
  );
  const laptop = new Device(owner, projectId);
  const tablet = new Device(editor, projectId);
  await laptop.sync();
  await tablet.sync(second);
  laptop.edit('sh1', { label: '12A' });
  tablet.edit('sh1', { lens: '85mm', done: true });
  await laptop.sync();
  await tablet.sync(second);
  await laptop.sync();
  for (const device of [laptop, tablet])
    expect(device.records.get('sh1')).toMatchObject({ label: '12A', lens: '85mm', done: true });
  expect((await rows('shots', projectId))[0]).toMatchObject({ label: '12A', lens: '85mm', done: true, size: 'WIDE' });
});

test('[U3] two devices change the same column: the later push wins on both', async () => {
  const projectId = await newProject([['first-ad@example.com', 'editor']]);
  await push(
    owner,
    projectId,
    tables({ scenes: { created: [scene('sc1')] }, shots: { created: [shot('sh1', 'sc1')] } }),
  );
  const laptop = new Device(owner, projectId);
  const tablet = new Device(editor, projectId);
  await laptop.sync();
  await tablet.sync();
  laptop.edit('sh1', { description: 'slow push in' });
  tablet.edit('sh1', { description: 'handheld, fast' });
  await laptop.sync();
  await tablet.sync();
  await laptop.sync();
  for (const device of [laptop, tablet]) expect(device.records.get('sh1')!.description).toBe('handheld, fast');
  expect((await rows('shots', projectId))[0].description).toBe('handheld, fast');
});

test('[S11][P3] a device that applies every nudge whose `since` is its last pull, and pulls on any other (lost, reordered, after a gap), ends where the server is', async () => {
  const projectId = await newProject([['first-ad@example.com', 'editor']]);
  // Each step writes a column no later step writes again: a change the tablet missed stays missing.
  const ids = Array.from({ length: 20 }, (_, i) => `sh${i}`);
  await push(
    owner,
    projectId,
    tables({ scenes: { created: [scene('sc1')] }, shots: { created: ids.map((id) => shot(id, 'sc1')) } }),
  );
  const laptop = new Device(owner, projectId);
  const tablet = new Device(editor, projectId);
  await laptop.sync();
  await tablet.sync();
  const socket = await openTestSocket(await server.socketUrl('/sync', editor));
  socket.send({ type: 'subscribe', projectId });
  await socket.next((m) => m.type === 'subscribed');

  // A seeded network between the server and the tablet: it loses, holds back and reorders nudges.
  let seed = 12;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  let read = 0;
  const held: NudgeChanged[] = [];
  const fate = { lost: 0, reordered: 0, applied: 0, pulled: 0 };
  async function receive(nudge: NudgeChanged) {
    if (tablet.lastPulledAt !== null && nudge.timestamp <= tablet.lastPulledAt) return; // old news
    if (nudge.changes && nudge.since === tablet.lastPulledAt) {
      fate.applied += 1;
      await tablet.sync(undefined, { changes: nudge.changes, timestamp: nudge.timestamp });
    } else {
      fate.pulled += 1;
      await tablet.sync();
    }
  }
  async function deliver(lastChance: boolean) {
    const arrived = socket.received.slice(read).filter((m) => m.type === 'changed') as unknown as NudgeChanged[];
    read = socket.received.length;
    for (const nudge of arrived) {
      const roll = random();
      if (!lastChance && roll < 0.15) fate.lost += 1;
      else if (!lastChance && roll < 0.3) held.push(nudge);
      else await receive(nudge);
    }
    if (held.length && (lastChance || random() < 0.5)) {
      fate.reordered += held.length;
      for (const nudge of held.splice(0).reverse()) await receive(nudge);
    }
  }

  for (let step = 0; step < 40; step++) {
    const id = ids[step % ids.length]!;
    laptop.edit(id, step < ids.length ? { label: `L${step}` } : { description: `take ${step}` });
    if (random() < 0.3) tablet.edit(ids[Math.floor(random() * ids.length)]!, { lens: `${step}mm` });
    await laptop.sync();
    await socket.next((m) => m.type === 'changed' && (m.timestamp as number) >= laptop.lastPulledAt!);
    await deliver(false);
  }
  // The last commit's nudge gets through (a lost last nudge waits for the next commit or reconnect, C4).
  laptop.edit('sh1', { size: 'CLOSE' });
  await laptop.sync();
  const final = (await pull(owner, projectId, null)).timestamp;
  await socket.next((m) => m.type === 'changed' && (m.timestamp as number) >= final);
  await deliver(true);
  socket.close();

  const columns = ({ id, label, description, lens, size }: Record<string, unknown>) => ({
    id,
    label,
    description,
    lens,
    size,
  });
  const onServer = (await rows('shots', projectId)).map(columns);
  expect([...tablet.records.values()].map(columns).sort((a, b) => String(a.id).localeCompare(String(b.id)))).toEqual(
    onServer,
  );
  // Every path was taken.
  expect(fate.applied).toBeGreaterThan(0);
  expect(fate.pulled).toBeGreaterThan(0);
  expect(fate.lost).toBeGreaterThan(0);
  expect(fate.reordered).toBeGreaterThan(0);
});

test('[U4] the same pushId twice is applied once, sequentially and concurrently on two instances', async () => {
  const projectId = await newProject();
  await push(owner, projectId, tables({ scenes: { created: [scene('sc1')] } }));
  const id = pushId();
  const retried = tables({
    scenes: { updated: [{ id: 'sc1', heading: 'FROM THE RETRIED PUSH', _changed: 'heading' }] },
  });
  const first = await push(owner, projectId, retried, { id });
  await push(
    owner,
    projectId,
    tables({ scenes: { updated: [{ id: 'sc1', heading: 'LATER EDIT', _changed: 'heading' }] } }),
  );
  const before = await snapshot(projectId);
  expect(await push(owner, projectId, retried, { id })).toEqual(first);
  expect(await snapshot(projectId)).toEqual(before);

  const twice = pushId();
  const changes = tables({ scenes: { created: [scene('sc2')] } });
  const [a, b] = await Promise.all([
    push(owner, projectId, changes, { id: twice }),
    push(owner, projectId, changes, { id: twice, on: second }),
  ]);
  expect(a).toEqual(b);
  const applied = await server.db.pool.query(
    'SELECT timestamp FROM applied_pushes WHERE project_id = $1 AND push_id = $2',
    [projectId, twice],
  );
  expect(applied.rows).toEqual([{ timestamp: a.timestamp }]);
});

test.each(['update pushed first', 'delete pushed first'])(
  '[U5] one device deletes a shot while another edits it: delete wins (%s)',
  async (order) => {
    const projectId = await newProject([['first-ad@example.com', 'editor']]);
    await push(
      owner,
      projectId,
      tables({ scenes: { created: [scene('sc1')] }, shots: { created: [shot('sh1', 'sc1'), shot('sh2', 'sc1')] } }),
    );
    const laptop = new Device(owner, projectId);
    const tablet = new Device(editor, projectId);
    await laptop.sync();
    await tablet.sync();
    laptop.remove('sh1');
    tablet.edit('sh1', { label: 'EDITED OFFLINE' });
    if (order === 'update pushed first') {
      await tablet.sync(second);
      await laptop.sync();
    } else {
      await laptop.sync();
      await tablet.sync(second);
    }
    await tablet.sync();
    await laptop.sync();
    for (const device of [laptop, tablet]) expect([...device.records.keys()]).toEqual(['sh2']);
    expect((await pull(owner, projectId, null)).changes.shots!.created.map((s) => s.id)).toEqual(['sh2']);
    expect((await rows('shots', projectId)).find((r) => r.id === 'sh1').deleted_at).not.toBeNull();
  },
);

test('[U7][P6] access: non-members are FORBIDDEN, viewers pull but cannot push, missing or bad tokens are UNAUTHORIZED', async () => {
  const projectId = await newProject([['producer@example.com', 'viewer']]);
  await push(owner, projectId, tables({ scenes: { created: [scene('sc1')] } }));
  const before = await snapshot(projectId);
  // One at a time: a second call started early could fail before anyone awaits it (an unhandled rejection).
  for (const call of [
    () => pull(outsider, projectId, null),
    () => push(outsider, projectId, tables({ scenes: { deleted: ['sc1'] } })),
  ]) {
    expect(await failureOf(call())).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403 });
  }
  const viewed = await pull(viewer, projectId, null);
  expect(viewed.changes.scenes!.created.map((s) => s.id)).toEqual(['sc1']);
  const denied = await failureOf(
    push(viewer, projectId, tables({ scenes: { updated: [{ id: 'sc1', heading: 'VIEWER EDIT' }] } })),
  );
  expect(denied).toMatchObject({ code: 'FORBIDDEN' });
  expect(denied.message).toContain('viewer');
  expect(await failureOf(rpc(undefined).query('sync.pull', { projectId, lastPulledAt: null }))).toMatchObject({
    code: 'UNAUTHORIZED',
  });
  expect(
    await failureOf(
      rpc('not-a-token').mutation('sync.push', { projectId, pushId: pushId(), lastPulledAt: null, changes: {} }),
    ),
  ).toMatchObject({ code: 'UNAUTHORIZED' });
  expect(await snapshot(projectId)).toEqual(before);
});

test('[R6][U7] who is asking is checked before what is asked: a signed-out or non-member caller with a malformed request hears UNAUTHORIZED / FORBIDDEN', async () => {
  const projectId = await newProject([]);
  const malformedPush = { projectId, pushId: 42, changes: { props: 'nope' } };
  expect(await failureOf(rpc(undefined).mutation('sync.push', malformedPush))).toMatchObject({ code: 'UNAUTHORIZED' });
  expect(await failureOf(rpc(undefined).mutation('sync.push', { projectId: 'not a project id!' }))).toMatchObject({
    code: 'UNAUTHORIZED',
  });
  expect(await failureOf(rpc(outsider).mutation('sync.push', malformedPush))).toMatchObject({ code: 'FORBIDDEN' });
  expect(await failureOf(rpc(outsider).query('sync.pull', { projectId, lastPulledAt: 'yesterday' }))).toMatchObject({
    code: 'FORBIDDEN',
  });
  // A member gets the input problem named.
  const bad = await failureOf(rpc(owner).mutation('sync.push', malformedPush));
  expect(bad).toMatchObject({ code: 'BAD_REQUEST' });
  expect(bad.message).toContain('pushId');
});

test('[U7][P6] another project reusing the same ids is never changed or revealed', async () => {
  const mine = await newProject();
  const { id: theirs } = await server.createProject(outsider, 'Their film');
  await push(
    outsider,
    theirs,
    tables({
      scenes: { created: [scene('sc1', { heading: 'THEIR SECRET SET' })] },
      shots: { created: [shot('sh1', 'sc1')] },
    }),
  );
  const theirsBefore = await snapshot(theirs);
  await push(
    owner,
    mine,
    tables({
      scenes: { created: [scene('sc1', { heading: 'MINE' })], updated: [] },
      shots: { updated: [{ id: 'sh1', scene_id: 'sc1', label: 'MINE' }] },
    }),
  );
  await push(
    owner,
    mine,
    tables({
      shots: { deleted: ['sh1'] },
      scenes: { updated: [{ id: 'sc1', synopsis: 'mine', _changed: 'synopsis' }] },
    }),
  );
  expect(await snapshot(theirs)).toEqual(theirsBefore);
  const pulled = await pull(owner, mine, null);
  expect(JSON.stringify(pulled)).not.toContain('THEIR SECRET SET');
  expect(pulled.changes.scenes!.created.every((s) => s.project_id === mine)).toBe(true);
  expect((await pull(owner, mine, 0)).changes.shots!.deleted).toEqual(['sh1']);
  expect((await failureOf(pull(owner, theirs, null))).code).toBe('FORBIDDEN');
});

const badPushes: Array<[string, () => Record<string, unknown>, string, string]> = [
  [
    'unknown table',
    () => ({ changes: { props: { created: [], updated: [], deleted: [] } } }),
    'BAD_REQUEST',
    'unknown table "props"',
  ],
  [
    'unknown column',
    () => ({ changes: tables({ shots: { created: [{ id: 'sh1', colour: 'red' }] } }) }),
    'BAD_REQUEST',
    'shots has no column "colour" (record sh1)',
  ],
  [
    'unknown column in _changed',
    () => ({ changes: tables({ shots: { updated: [{ id: 'sh1', label: 'x', _changed: 'label,colour' }] } }) }),
    'BAD_REQUEST',
    'shots has no column "colour"',
  ],
  [
    'wrong type: number',
    () => ({ changes: tables({ shots: { created: [shot('sh1', 'sc1', { duration_s: '4s' })] } }) }),
    'BAD_REQUEST',
    'shots.duration_s must be a number or null (record sh1)',
  ],
  [
    'wrong type: boolean',
    () => ({ changes: tables({ shots: { created: [shot('sh1', 'sc1', { done: 'yes' })] } }) }),
    'BAD_REQUEST',
    'shots.done must be a boolean (record sh1)',
  ],
  [
    'wrong type: null string',
    () => ({ changes: tables({ scenes: { created: [scene('sc1', { heading: null })] } }) }),
    'BAD_REQUEST',
    'scenes.heading must be a string (record sc1)',
  ],
  [
    'text over the length limit',
    () => ({ changes: tables({ scenes: { created: [scene('sc9', { synopsis: 'x'.repeat(100_001) })] } }) }),
    'BAD_REQUEST',
    'scenes.synopsis',
  ],
  [
    'NUL in text',
    () => ({ changes: tables({ scenes: { created: [scene('sc9', { heading: 'INT.\u0000' })] } }) }),
    'BAD_REQUEST',
    'scenes.heading: must not contain NUL',
  ],
  [
    'malformed id',
    () => ({ changes: tables({ scenes: { created: [scene('../etc/passwd')] } }) }),
    'BAD_REQUEST',
    'scenes.id must be',
  ],
  [
    'malformed deleted id',
    () => ({ changes: tables({ scenes: { deleted: [{ id: 'sc1' } as unknown as string] } }) }),
    'BAD_REQUEST',
    'scenes.deleted',
  ],
  [
    'record not an object',
    () => ({ changes: tables({ scenes: { created: ['sc1' as unknown as RawRecord] } }) }),
    'BAD_REQUEST',
    'must be a record object',
  ],
  ['changes not an object', () => ({ changes: 'everything' }), 'BAD_REQUEST', 'changes must be an object'],
  ['empty pushId', () => ({ pushId: '' }), 'BAD_REQUEST', 'pushId'],
  ['malformed projectId', () => ({ projectId: 'a b' }), 'BAD_REQUEST', 'projectId'],
  ['negative lastPulledAt', () => ({ lastPulledAt: -5 }), 'BAD_REQUEST', 'lastPulledAt'],
  [
    '10,001 records',
    () => ({ changes: tables({ scenes: { deleted: Array.from({ length: 10_001 }, (_, i) => `sc${i}`) } }) }),
    'PAYLOAD_TOO_LARGE',
    'at most 10000 records',
  ],
];

test.each(badPushes)(
  '[U8] bad input: %s is refused with a message naming it, never 500, nothing written',
  async (_name, override, code, message) => {
    const projectId = await newProject();
    await push(
      owner,
      projectId,
      tables({ scenes: { created: [scene('sc1')] }, shots: { created: [shot('sh1', 'sc1')] } }),
    );
    const before = await snapshot(projectId);
    const pushesBefore = (await server.db.pool.query('SELECT count(*)::int AS n FROM applied_pushes')).rows[0].n;
    const input = {
      projectId,
      pushId: pushId(),
      lastPulledAt: null,
      changes: tables({ scenes: { deleted: ['sc1'] } }),
      ...override(),
    };
    const failure = await failureOf(rpc(owner).mutation('sync.push', input));
    expect(failure.code).toBe(code);
    expect(failure.httpStatus).not.toBe(500);
    expect(failure.message).toContain(message);
    expect(await snapshot(projectId)).toEqual(before);
    expect((await server.db.pool.query('SELECT count(*)::int AS n FROM applied_pushes')).rows[0].n).toBe(pushesBefore);
  },
);

test('[U8][P8][P11] bad pull input is BAD_REQUEST naming the field', async () => {
  const projectId = await newProject();
  for (const [input, field] of [
    [{ projectId, lastPulledAt: 'yesterday' }, 'lastPulledAt'],
    [{ projectId, lastPulledAt: 1.5 }, 'lastPulledAt'],
    [{ projectId: 42, lastPulledAt: null }, 'projectId'],
    [{ projectId, lastPulledAt: null, schemaVersion: schemaVersion + 1 }, 'schemaVersion'],
    [{ projectId, lastPulledAt: 5, schemaVersion, migration: { from: 1, tables: ['robots'], columns: [] } }, 'robots'],
    [{ projectId, lastPulledAt: 5, schemaVersion, migration: { from: 'one' } }, 'migration.from'],
  ] as const) {
    const failure = await failureOf(rpc(owner).query('sync.pull', input));
    expect(failure).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400 });
    expect(failure.message).toContain(field);
  }
});

test('[U10][U14] pushes batched over HTTP: a 10,000-record push and concurrent small pushes are each applied exactly once', async () => {
  const projectId = await newProject();
  const scenes = Array.from({ length: 50 }, (_, i) => scene(`sc${i}`));
  const shots = Array.from({ length: 9_950 }, (_, i) => shot(`sh${i}`, `sc${i % 50}`, { label: `${i}` }));
  const bulk = await push(owner, projectId, tables({ scenes: { created: scenes }, shots: { created: shots } }));
  const batched = rpc(owner, { batch: true });
  const small = Array.from({ length: 40 }, (_, i) => ({
    projectId,
    pushId: pushId(),
    lastPulledAt: bulk.timestamp,
    changes: tables({ shots: { updated: [{ id: `sh${i}`, description: `take ${i}`, _changed: 'description' }] } }),
  }));
  const results = (await Promise.all(small.map((input) => batched.mutation('sync.push', input)))) as PushResponse[];
  for (const r of results) expect(r.timestamp).toBeGreaterThan(bulk.timestamp);
  const pulled = await pull(owner, projectId, bulk.timestamp);
  expect(pulled.changes.shots!.updated.map((s) => s.description).sort()).toEqual(
    small.map((_, i) => `take ${i}`).sort(),
  );
  expect((await pull(owner, projectId, null)).changes.shots!.created).toHaveLength(9_950);
  const applied = await server.db.pool.query('SELECT count(*)::int AS n FROM applied_pushes WHERE project_id = $1', [
    projectId,
  ]);
  expect(applied.rows[0].n).toBe(41);
});
