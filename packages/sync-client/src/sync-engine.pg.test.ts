import { type TestServer, startTestServer } from '@clapper/api';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import {
  type Device,
  createDevice,
  createShot,
  deleteShot,
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

interface Crew {
  projectId: string;
  owner: { token: string };
  editor: { token: string };
  second: { token: string };
  viewer: { token: string };
}

/** A project with an owner, two editors and a viewer, each a separate signed-in user. */
async function crew(): Promise<Crew> {
  counter += 1;
  const tag = `${Date.now()}-${counter}`;
  const owner = await server.signIn(`owner-${tag}@example.com`);
  const project = await server.createProject(owner.token, `Feature ${tag}`);
  const member = async (name: string, role: 'editor' | 'viewer') => {
    const email = `${name}-${tag}@example.com`;
    const session = await server.signIn(email);
    await server.addMember(owner.token, project.id, email, role);
    return session;
  };
  return {
    projectId: project.id,
    owner,
    editor: await member('editor', 'editor'),
    second: await member('second', 'editor'),
    viewer: await member('viewer', 'viewer'),
  };
}

function device(
  name: string,
  team: Crew,
  token: string,
  extra: Parameters<typeof createDevice>[1] extends infer O ? Partial<O> : never = {},
): Device {
  const created = createDevice(name, { server, projectId: team.projectId, token, ...extra });
  devices.push(created);
  return created;
}

test('[C2][C3][C19] an edit on one device lands in the others through the nudge, with no polling', async () => {
  const team = await crew();
  const director = device('director', team, team.owner.token);
  const ad = device('ad', team, team.editor.token);
  const dop = device('dop', team, team.second.token);
  await Promise.all([settled(director), settled(ad), settled(dop)]);
  const pullsBefore = { ad: ad.traffic.pulls, dop: dop.traffic.pulls };

  const shotId = await createShot(director, { label: '1A' });

  // C2: the write alone starts a sync (nobody called syncNow).
  await waitFor(() => serverRecord(server, team.owner.token, team.projectId, 'shots', shotId), 5000, 'shot on server');
  for (const other of [ad, dop]) {
    const raw = await waitFor(() => localRecord(other, 'shots', shotId), 5000, `shot on ${other.name}`);
    expect(raw).toMatchObject({ label: '1A', lens: '35mm', _status: 'synced' });
  }
  // C3, C19: the nudge carried the edit, and it followed their last pulls: no pull at all, nothing on a timer.
  expect(ad.traffic.pulls).toBe(pullsBefore.ad);
  expect(dop.traffic.pulls).toBe(pullsBefore.dop);
  expect(ad.traffic.pushes).toBe(0);
  await settled(director);
  expect(director.engine.getStatus()).toMatchObject({ pending: 0, error: null, online: true });
});

test('[C22] a local edit is pushed before the device pulls, and a concurrent edit it had not pulled still converges', async () => {
  const team = await crew();
  const requests: string[] = [];
  const director = device('director', team, team.owner.token, {
    hook: (url, init, real) => {
      if (url.includes('sync.pull')) requests.push('pull');
      if (url.includes('sync.push')) requests.push('push');
      return real(url, init);
    },
  });
  const ad = device('ad', team, team.editor.token);
  const shotId = await createShot(director, { label: '4A', lens: '35mm' });
  await waitFor(() => localRecord(ad, 'shots', shotId), 5000, 'shot on ad');
  await settled(director);

  // Online: the edit's sync sends its push first; the pull comes after.
  requests.length = 0;
  await updateShot(director, shotId, { label: '4A online' });
  await settled(director);
  expect(requests[0]).toBe('push');
  await waitFor(async () => (await localRecord(ad, 'shots', shotId))?.label === '4A online', 5000, 'edit on ad');

  // The AD edits another column while the director is away; the director edits offline,
  // then comes back: it pushes over a pull it has not made, then pulls the AD's edit.
  await director.engine.stop();
  await updateShot(ad, shotId, { lens: '85mm' });
  await settled(ad);
  await updateShot(director, shotId, { label: '4A offline' });
  requests.length = 0;
  director.engine.start();
  await settled(director);
  expect(requests[0]).toBe('push');
  expect(requests).toContain('pull');
  for (const each of [director, ad]) {
    await waitFor(
      async () => {
        const raw = await localRecord(each, 'shots', shotId);
        return raw?.label === '4A offline' && raw.lens === '85mm' && raw._status === 'synced';
      },
      5000,
      `both edits on ${each.name}`,
    );
  }
  expect(await serverRecord(server, team.owner.token, team.projectId, 'shots', shotId)).toMatchObject({
    label: '4A offline',
    lens: '85mm',
  });
  expect(director.engine.getStatus()).toMatchObject({ pending: 0, error: null });
});

test('[C13] two devices edit different columns of one shot offline; both edits survive everywhere', async () => {
  const team = await crew();
  const director = device('director', team, team.owner.token);
  const ad = device('ad', team, team.editor.token);
  const dop = device('dop', team, team.second.token);
  const shotId = await createShot(director, { label: '2A', lens: '35mm' });
  await waitFor(() => localRecord(ad, 'shots', shotId), 5000, 'shot on ad');
  await waitFor(() => localRecord(dop, 'shots', shotId), 5000, 'shot on dop');

  await Promise.all([director.engine.stop(), ad.engine.stop()]);
  await updateShot(director, shotId, { label: '2A-revised' });
  await updateShot(ad, shotId, { lens: '85mm' });
  expect(director.engine.getStatus().online).toBe(false);

  director.engine.start();
  ad.engine.start();
  for (const each of [director, ad, dop]) {
    await waitFor(
      async () => {
        const raw = await localRecord(each, 'shots', shotId);
        return raw?.label === '2A-revised' && raw.lens === '85mm' && raw._status === 'synced';
      },
      10_000,
      `both edits on ${each.name}`,
    );
  }
  expect(await serverRecord(server, team.owner.token, team.projectId, 'shots', shotId)).toMatchObject({
    label: '2A-revised',
    lens: '85mm',
  });
});

test('[C14] two devices edit the same column offline; the later push wins everywhere', async () => {
  const team = await crew();
  const director = device('director', team, team.owner.token);
  const ad = device('ad', team, team.editor.token);
  const dop = device('dop', team, team.second.token);
  const shotId = await createShot(director, { label: '3A' });
  await waitFor(() => localRecord(ad, 'shots', shotId), 5000, 'shot on ad');
  await settled(director);

  await Promise.all([director.engine.stop(), ad.engine.stop()]);
  await updateShot(director, shotId, { label: 'from director' });
  await updateShot(ad, shotId, { label: 'from ad' });

  director.engine.start();
  await settled(director);
  ad.engine.start();
  await settled(ad);
  for (const each of [director, ad, dop]) {
    await waitFor(
      async () => (await localRecord(each, 'shots', shotId))?.label === 'from ad',
      10_000,
      `later label on ${each.name}`,
    );
  }
  expect(await serverRecord(server, team.owner.token, team.projectId, 'shots', shotId)).toMatchObject({
    label: 'from ad',
  });
});

test('[C15] a delete beats a concurrent update, whichever reaches the server first', async () => {
  const team = await crew();
  const director = device('director', team, team.owner.token);
  const ad = device('ad', team, team.editor.token);
  const dop = device('dop', team, team.second.token);
  const updatedFirst = await createShot(director, { label: '4A' });
  const deletedFirst = await createShot(director, { label: '4B' });
  await waitFor(() => localRecord(ad, 'shots', deletedFirst), 5000, 'shots on ad');
  await waitFor(() => localRecord(dop, 'shots', deletedFirst), 5000, 'shots on dop');

  await Promise.all([director.engine.stop(), ad.engine.stop()]);
  await deleteShot(director, updatedFirst);
  await deleteShot(director, deletedFirst);
  await updateShot(ad, updatedFirst, { label: '4A edited' });
  await updateShot(ad, deletedFirst, { label: '4B edited' });

  // The update of 4A reaches the server before its delete; the delete of 4B before its update.
  ad.engine.start();
  await settled(ad);
  director.engine.start();
  await settled(director);
  void ad.engine.syncNow();
  await settled(ad);

  for (const each of [director, ad, dop]) {
    for (const id of [updatedFirst, deletedFirst]) {
      await waitFor(
        async () => (await localRecord(each, 'shots', id)) === null,
        10_000,
        `shot ${id} gone on ${each.name}`,
      );
    }
  }
  expect(await serverRecord(server, team.owner.token, team.projectId, 'shots', updatedFirst)).toBeNull();
  expect(await serverRecord(server, team.owner.token, team.projectId, 'shots', deletedFirst)).toBeNull();
});

test('[C10][C11] a push whose answer was lost is retried with the same pushId, applied once, and the device does not diverge', async () => {
  const team = await crew();
  let dropNextPush = false;
  let offline = false;
  let droppedTimestamp: number | null = null;
  const director = device('director', team, team.owner.token, {
    // Slow retries: the test takes the device offline before the automatic retry.
    backoff: { minMs: 5000, maxMs: 5000 },
    hook: async (url, init, real) => {
      // After the lost answer the device is offline, so the nudge of its own (applied)
      // push cannot settle it before the AD's edit.
      if (offline) throw new TypeError('fetch failed (the test took the device offline)');
      const response = await real(url, init);
      if (dropNextPush && url.includes('sync.push')) {
        dropNextPush = false;
        offline = true;
        // The server has committed the push; only its answer never arrives.
        const body = (await response.json()) as { result: { data: { timestamp: number } } };
        droppedTimestamp = body.result.data.timestamp;
        throw new TypeError('fetch failed (the test dropped the response)');
      }
      return response;
    },
  });
  const ad = device('ad', team, team.editor.token);
  const shotId = await createShot(director, { label: '5A' });
  await waitFor(() => localRecord(ad, 'shots', shotId), 5000, 'shot on ad');
  await settled(director);

  dropNextPush = true;
  await updateShot(director, shotId, { label: 'director, lost answer' });
  await waitFor(() => director.engine.getStatus().error?.code === 'NETWORK', 5000, 'network error surfaced');
  await director.engine.stop();
  expect(droppedTimestamp).not.toBeNull();
  expect(await serverRecord(server, team.owner.token, team.projectId, 'shots', shotId)).toMatchObject({
    label: 'director, lost answer',
  });
  expect(director.engine.getStatus().pending).toBe(1);

  // Meanwhile the AD, who saw the director's (applied) edit, changes the same column.
  await waitFor(
    async () => (await localRecord(ad, 'shots', shotId))?.label === 'director, lost answer',
    5000,
    'ad sees lost push',
  );
  await updateShot(ad, shotId, { label: 'ad, after' });
  await settled(ad);

  const pushIdsBefore = director.traffic.pushIds.length;
  offline = false;
  director.engine.start();
  await settled(director);
  const retried = director.traffic.pushIds.slice(pushIdsBefore - 1);
  expect(retried[0]).toBe(retried[1]);
  // Applied once: the retry did not restamp it over the AD's later edit.
  expect(await serverRecord(server, team.owner.token, team.projectId, 'shots', shotId)).toMatchObject({
    label: 'ad, after',
  });
  expect(await localRecord(director, 'shots', shotId)).toMatchObject({ label: 'ad, after', _status: 'synced' });

  // A later, different push gets a new pushId.
  await updateShot(director, shotId, { lens: '50mm' });
  await waitFor(() => director.traffic.pushIds.length === pushIdsBefore + 2, 5000, 'next push');
  // Only the lost push was ever re-sent under its id (also by failed attempts while offline).
  const lostPushId = retried[0];
  const others = director.traffic.pushIds.filter((pushId) => pushId !== lostPushId);
  expect(new Set(others).size).toBe(others.length);
  expect(director.traffic.pushIds.at(-1)).not.toBe(lostPushId);
  await waitFor(async () => (await localRecord(ad, 'shots', shotId))?.lens === '50mm', 5000, 'lens on ad');
});

test('[C9] a viewer’s edits are refused; the error is surfaced without a retry loop, and pulls keep working', async () => {
  const team = await crew();
  const director = device('director', team, team.owner.token);
  const viewer = device('viewer', team, team.viewer.token);
  await Promise.all([settled(director), settled(viewer)]);

  await createShot(viewer, { label: 'viewer scribble' });
  await waitFor(() => viewer.engine.getStatus().error?.code === 'FORBIDDEN', 5000, 'FORBIDDEN surfaced');
  const status = viewer.engine.getStatus();
  expect(status).toMatchObject({ pending: 2, retryAttempt: 0, nextRetryAt: null, syncing: false });
  expect(viewer.traffic.pushes).toBe(1);

  const shotId = await createShot(director, { label: '6A' });
  await waitFor(() => localRecord(viewer, 'shots', shotId), 5000, 'director shot on viewer');
  await waitFor(() => !viewer.engine.getStatus().syncing, 5000);
  // One nudge, one sync, one more refused push: no loop.
  expect(viewer.traffic.pushes).toBe(2);
  expect(viewer.engine.getStatus().error?.code).toBe('FORBIDDEN');
  expect(viewer.engine.getStatus().nextRetryAt).toBeNull();
});

test('[C5] two engines on one database never run synchronize() at the same time', async () => {
  const team = await crew();
  const errors: string[] = [];
  const onLog = (entry: { error: Error | null }) => void (entry.error && errors.push(entry.error.message));
  const first = device('first', team, team.owner.token, { onLog });
  // The same database under a second engine, as a double-mounted React effect would do.
  const twin = device('twin', team, team.owner.token, { database: first.database, onLog });
  await createShot(first, { label: '8A' });
  await Promise.all([first.engine.syncNow(), twin.engine.syncNow(), first.engine.syncNow(), twin.engine.syncNow()]);
  await Promise.all([settled(first), settled(twin)]);
  expect(errors).toEqual([]);
  expect(first.traffic.pushes + twin.traffic.pushes).toBe(1);
});

test('[C8] an expired token stops syncing and surfaces UNAUTHORIZED', async () => {
  const team = await crew();
  const lost = device('lost', team, 'not-a-real-token');
  await waitFor(() => lost.engine.getStatus().error?.code === 'UNAUTHORIZED', 5000, 'UNAUTHORIZED surfaced');
  await createShot(lost, { label: 'offline work' });
  await waitFor(() => lost.engine.getStatus().pending === 2, 5000);
  expect(lost.traffic.pulls).toBe(1);
  expect(lost.engine.getStatus()).toMatchObject({ nextRetryAt: null, retryAttempt: 0 });
});

test('[C3][U10] two devices whose pushes the server commits together (one stamp, one nudge) each get the other’s edit, with nothing else to trigger a pull', async () => {
  const team = await crew();
  const ad = device('ad', team, team.editor.token);
  const dop = device('dop', team, team.second.token);
  await Promise.all([settled(ad), settled(dop)]);

  // An already-applied push, sent again while the project row is held, occupies the
  // server's push lane without committing anything, so it sends no nudge of its own.
  const owner = server.trpc(team.owner.token);
  const opener = {
    projectId: team.projectId,
    pushId: `opener-${Date.now()}`,
    lastPulledAt: null,
    changes: { scenes: { created: [{ id: 'sc-opener', heading: 'INT. STAGE - DAY' }], updated: [], deleted: [] } },
  };
  await owner.mutation('sync.push', opener);
  await waitFor(
    async () => (await localRecord(ad, 'scenes', 'sc-opener')) && (await localRecord(dop, 'scenes', 'sc-opener')),
    5000,
    'opener on both',
  );
  await Promise.all([settled(ad), settled(dop)]);

  const held = await server.db.pool.connect();
  try {
    await held.query('BEGIN');
    await held.query('SELECT clock FROM projects WHERE id = $1 FOR UPDATE', [team.projectId]);
    const retry = owner.mutation('sync.push', opener);
    const waitersOnLocks = async () =>
      (
        await server.db.pool.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
      ).rows[0].n as number;
    await waitFor(async () => (await waitersOnLocks()) >= 1, 5000, 'the retry to wait on the row');

    const pushesBefore = { ad: ad.traffic.pushes, dop: dop.traffic.pushes };
    const fromAd = await createShot(ad, { label: 'from the AD' });
    const fromDop = await createShot(dop, { label: 'from the DP' });
    await waitFor(
      () => ad.traffic.pushes > pushesBefore.ad && dop.traffic.pushes > pushesBefore.dop,
      5000,
      'both pushes sent',
    );
    // Both devices pulled before pushing, so the server's open requests are the retry, both
    // pushes (queued behind it) and the /metrics request that counts them.
    const inFlight = async () =>
      Number(/^clapper_http_requests_in_flight (\d+)$/m.exec(await (await fetch(`${server.url}/metrics`)).text())?.[1]);
    await waitFor(async () => (await inFlight()) >= 4, 5000, 'both pushes at the server');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await held.query('COMMIT');
    await retry;

    await waitFor(() => localRecord(ad, 'shots', fromDop), 5000, 'the DP’s shot on the AD’s device');
    await waitFor(() => localRecord(dop, 'shots', fromAd), 5000, 'the AD’s shot on the DP’s device');
  } finally {
    held.release();
  }
  // They were committed together: one stamp for both.
  const stamps = await server.db.pool.query('SELECT id, updated_at FROM shots WHERE project_id = $1', [team.projectId]);
  expect(new Set(stamps.rows.map((row) => row.updated_at)).size).toBe(1);
});
