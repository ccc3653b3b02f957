import { type TestDatabase, createTestDatabase } from '@clapper/db';
import { pushLimits } from '@clapper/schema';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type CommitInfo, SyncError, createSyncService } from './index.ts';
import {
  type ParsingSyncService,
  changesOf,
  createProject,
  newId,
  parsing,
  sceneRaw,
  shotRaw,
} from './test-project.ts';

let db: TestDatabase;
let sync: ParsingSyncService;
const committed: Array<[string, number]> = [];

beforeAll(async () => {
  db = await createTestDatabase();
  sync = parsing(createSyncService({ pool: db.pool, onCommitted: (p, t) => committed.push([p, t]) }));
});
afterAll(async () => {
  await sync?.close();
  await db?.drop();
});

async function rowsOf(table: string, projectId: string) {
  const result = await db.pool.query(`SELECT * FROM ${table} WHERE project_id = $1 ORDER BY id`, [projectId]);
  return result.rows;
}

async function rejection(promise: Promise<unknown>): Promise<SyncError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SyncError);
  return error as SyncError;
}

test('[U1][U6] a push creates scenes and shots in one transaction, all stamped alike', async () => {
  const projectId = await createProject(db.pool);
  const before = Date.now();
  const { timestamp } = await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({
      scenes: { created: [sceneRaw('sc1')] },
      shots: { created: [shotRaw('sh1', 'sc1'), shotRaw('sh2', 'sc1')] },
    }),
  });
  expect(timestamp).toBeGreaterThanOrEqual(before);
  const shots = await rowsOf('shots', projectId);
  expect(shots.map((s) => [s.id, s.created_at, s.updated_at, s.deleted_at])).toEqual([
    ['sh1', timestamp, timestamp, null],
    ['sh2', timestamp, timestamp, null],
  ]);
  expect(shots[0]).toMatchObject({ scene_id: 'sc1', label: '1A', duration_s: 4.5, done: false });
  const clock = await db.pool.query('SELECT clock FROM projects WHERE id = $1', [projectId]);
  expect(clock.rows[0].clock).toBe(timestamp);
});

test('[U1][U8] a push with one bad record writes nothing and names the record', async () => {
  const projectId = await createProject(db.pool);
  const error = await rejection(
    sync.push({
      projectId,
      pushId: newId(),
      lastPulledAt: null,
      changes: changesOf({
        scenes: { created: [sceneRaw('sc1')] },
        shots: { created: [shotRaw('sh1', 'sc1', { duration_s: 'long' })] },
      }),
    }),
  );
  expect(error.code).toBe('BAD_REQUEST');
  expect(error.message).toContain('shots.duration_s must be a number or null (record sh1)');
  expect(await rowsOf('scenes', projectId)).toEqual([]);
});

test('[U2] an update changes only the columns in _changed; the rest keep their values', async () => {
  const projectId = await createProject(db.pool);
  await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({ scenes: { created: [sceneRaw('sc1')] }, shots: { created: [shotRaw('sh1', 'sc1')] } }),
  });
  const { timestamp } = await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({
      shots: {
        updated: [shotRaw('sh1', 'sc1', { label: 'STALE', lens: '50mm', _status: 'updated', _changed: 'lens' })],
      },
    }),
  });
  const [shot] = await rowsOf('shots', projectId);
  expect(shot).toMatchObject({ label: '1A', lens: '50mm', updated_at: timestamp });
});

test('[U2] without _changed every sent column is applied; a created id that exists changes only its _changed columns', async () => {
  const projectId = await createProject(db.pool);
  const first = await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({ scenes: { created: [sceneRaw('sc1'), sceneRaw('sc2')] } }),
  });
  await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({ scenes: { updated: [{ id: 'sc1', heading: 'EXT. ROOF - NIGHT' }] } }),
  });
  // Another device created sc1 too (a shared id) and chose its synopsis; the rest of its
  // raw is its blanks. A created sc2 without _changed (not WatermelonDB) writes every column sent.
  const created = await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({
      scenes: {
        created: [
          { id: 'sc1', heading: '', location: '', synopsis: 'They argue.', _status: 'created', _changed: 'synopsis' },
          { id: 'sc2', heading: 'INT. HALL - DAY' },
        ],
      },
    }),
  });
  const [scene1, scene2] = await rowsOf('scenes', projectId);
  expect(scene1).toMatchObject({
    id: 'sc1',
    heading: 'EXT. ROOF - NIGHT',
    synopsis: 'They argue.',
    location: 'Kitchen',
    created_at: first.timestamp,
    updated_at: created.timestamp,
  });
  expect(scene2).toMatchObject({ id: 'sc2', heading: 'INT. HALL - DAY', location: 'Kitchen' });
  // Nothing chosen: an existing row keeps every column.
  await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({
      scenes: { created: [{ ...sceneRaw('sc1'), heading: '', _status: 'created', _changed: '' }] },
    }),
  });
  expect((await rowsOf('scenes', projectId))[0]).toMatchObject({
    heading: 'EXT. ROOF - NIGHT',
    synopsis: 'They argue.',
  });
});

test('[U2] a created record with only some columns gets server defaults for the rest', async () => {
  const projectId = await createProject(db.pool);
  await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({ scenes: { created: [{ id: 'sc1', heading: 'INT. CAR' }] } }),
  });
  const [scene] = await rowsOf('scenes', projectId);
  expect(scene).toMatchObject({ heading: 'INT. CAR', number: '', synopsis: '', page_eighths: null, sort_key: '' });
});

test('[U3] two pushes change the same column: the later one wins', async () => {
  const projectId = await createProject(db.pool);
  await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({ scenes: { created: [sceneRaw('sc1')] } }),
  });
  await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({ scenes: { updated: [{ id: 'sc1', heading: 'FIRST', _changed: 'heading' }] } }),
  });
  await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({ scenes: { updated: [{ id: 'sc1', heading: 'SECOND', _changed: 'heading' }] } }),
  });
  expect((await rowsOf('scenes', projectId))[0].heading).toBe('SECOND');
});

test('[U4][U12] the same pushId twice is applied once and answers the first timestamp', async () => {
  const projectId = await createProject(db.pool);
  const pushId = newId();
  await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({ scenes: { created: [sceneRaw('sc1')] } }),
  });
  const first = await sync.push({
    projectId,
    pushId,
    lastPulledAt: null,
    changes: changesOf({ scenes: { updated: [{ id: 'sc1', heading: 'FROM RETRIED PUSH' }] } }),
  });
  await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({ scenes: { updated: [{ id: 'sc1', heading: 'LATER EDIT' }] } }),
  });
  const commitsBefore = committed.length;
  const clockBefore = (await db.pool.query('SELECT clock FROM projects WHERE id = $1', [projectId])).rows[0].clock;
  const again = await sync.push({
    projectId,
    pushId,
    lastPulledAt: null,
    changes: changesOf({ scenes: { updated: [{ id: 'sc1', heading: 'FROM RETRIED PUSH' }] } }),
  });
  expect(again).toEqual(first);
  expect((await rowsOf('scenes', projectId))[0].heading).toBe('LATER EDIT');
  expect((await db.pool.query('SELECT clock FROM projects WHERE id = $1', [projectId])).rows[0].clock).toBe(
    clockBefore,
  );
  expect(committed.length).toBe(commitsBefore);
});

test('[U4] the same pushId fired twice at once is applied once', async () => {
  const projectId = await createProject(db.pool);
  const pushId = newId();
  const push = () =>
    sync.push({
      projectId,
      pushId,
      lastPulledAt: null,
      changes: changesOf({ scenes: { created: [sceneRaw('sc1')] } }),
    });
  const [a, b] = await Promise.all([push(), push()]);
  expect(a).toEqual(b);
  const applied = await db.pool.query('SELECT timestamp FROM applied_pushes WHERE project_id = $1', [projectId]);
  expect(applied.rows).toEqual([{ timestamp: a.timestamp }]);
});

test('[U5] deleted ids are soft-deleted; a later update never resurrects them; unknown ids are a no-op', async () => {
  const projectId = await createProject(db.pool);
  await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({ scenes: { created: [sceneRaw('sc1'), sceneRaw('sc2')] } }),
  });
  const del = await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({ scenes: { deleted: ['sc1', 'never-existed'] } }),
  });
  await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({
      scenes: {
        updated: [{ id: 'sc1', heading: 'EDITED OFFLINE', _changed: 'heading' }],
        created: [sceneRaw('sc1', { heading: 'RECREATED' })],
      },
    }),
  });
  const scenes = await rowsOf('scenes', projectId);
  expect(scenes.map((s) => [s.id, s.heading, s.deleted_at, s.updated_at === del.timestamp])).toEqual([
    ['sc1', 'INT. KITCHEN - DAY', del.timestamp, true],
    ['sc2', 'INT. KITCHEN - DAY', null, false],
  ]);
});

test('[U6] stamps strictly increase from push to push', async () => {
  const projectId = await createProject(db.pool);
  const stamps: number[] = [];
  for (let i = 0; i < 20; i += 1) {
    const { timestamp } = await sync.push({
      projectId,
      pushId: newId(),
      lastPulledAt: null,
      changes: changesOf({ scenes: { created: [sceneRaw(`sc${i}`)] } }),
    });
    stamps.push(timestamp);
  }
  for (let i = 1; i < stamps.length; i += 1) expect(stamps[i]!).toBeGreaterThan(stamps[i - 1]!);
});

test('[U7] a push changes only its own project, whatever ids the other project reuses', async () => {
  const mine = await createProject(db.pool);
  const theirs = await createProject(db.pool);
  await sync.push({
    projectId: theirs,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({ scenes: { created: [sceneRaw('sc1', { heading: 'THEIRS' })] } }),
  });
  const theirsBefore = await rowsOf('scenes', theirs);
  await sync.push({
    projectId: mine,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({ scenes: { updated: [{ id: 'sc1', heading: 'MINE' }] } }),
  });
  await sync.push({
    projectId: mine,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({ scenes: { deleted: ['sc1'] } }),
  });
  expect(await rowsOf('scenes', theirs)).toEqual(theirsBefore);
  // The update of an id this project never had created it here, then the delete soft-deleted it here.
  expect((await rowsOf('scenes', mine)).map((s) => [s.id, s.heading, s.deleted_at !== null])).toEqual([
    ['sc1', 'MINE', true],
  ]);
});

test.each([
  [{ props: { created: [], updated: [], deleted: [] } }, 'unknown table "props"'],
  [changesOf({ shots: { created: [{ id: 'sh1', colour: 'red' }] } }), 'shots has no column "colour" (record sh1)'],
  [changesOf({ shots: { created: [{ id: 'sh1', done: 'yes' }] } }), 'shots.done must be a boolean (record sh1)'],
  [changesOf({ shots: { created: [{ id: 'bad id!' }] } }), 'shots.id must be'],
  [changesOf({ scenes: { created: [{ id: 'sc1', heading: 'A\u0000B' }] } }), 'scenes.heading: must not contain NUL'],
  [{ scenes: { created: 'nope' } }, 'changes.scenes.created'],
  [[1, 2], 'changes must be an object keyed by table name'],
])('[U8] bad input is BAD_REQUEST naming the problem and writes nothing (%#)', async (changes, message) => {
  const projectId = await createProject(db.pool);
  const error = await rejection(sync.push({ projectId, pushId: newId(), lastPulledAt: null, changes }));
  expect(error.code).toBe('BAD_REQUEST');
  expect(error.message).toContain(message);
  expect(await rowsOf('shots', projectId)).toEqual([]);
  expect(await rowsOf('scenes', projectId)).toEqual([]);
  expect(
    (await db.pool.query('SELECT count(*)::int AS n FROM applied_pushes WHERE project_id = $1', [projectId])).rows[0].n,
  ).toBe(0);
});

test('[U8] a malformed pushId is BAD_REQUEST', async () => {
  const projectId = await createProject(db.pool);
  for (const pushId of ['', 'x'.repeat(201), 42 as unknown as string]) {
    const error = await rejection(sync.push({ projectId, pushId, lastPulledAt: null, changes: {} }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('pushId');
  }
});

// Over 10 MB is the HTTP layer's limit (it reads the body): api's lean-trpc-handler.pg.test.ts.

test('[U9] shots may come before the scene they name in one push; order never matters', async () => {
  const projectId = await createProject(db.pool);
  await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: {
      shots: { created: [shotRaw('sh1', 'sc1')], updated: [], deleted: [] },
      scenes: { created: [sceneRaw('sc1')], updated: [], deleted: [] },
    },
  });
  expect(await rowsOf('shots', projectId)).toHaveLength(1);
});

test('[U9] a shot naming a scene that does not exist is BAD_REQUEST naming table, record and scene; nothing written', async () => {
  const projectId = await createProject(db.pool);
  const error = await rejection(
    sync.push({
      projectId,
      pushId: newId(),
      lastPulledAt: null,
      changes: changesOf({
        scenes: { created: [sceneRaw('sc1')] },
        shots: { created: [shotRaw('sh1', 'sc1'), shotRaw('sh2', 'ghost-scene')] },
      }),
    }),
  );
  expect(error.code).toBe('BAD_REQUEST');
  expect(error.message).toContain('shots.scene_id of record sh2 names scenes "ghost-scene"');
  expect(await rowsOf('scenes', projectId)).toEqual([]);
  expect(await rowsOf('shots', projectId)).toEqual([]);
  expect(
    (await db.pool.query('SELECT count(*)::int AS n FROM applied_pushes WHERE project_id = $1', [projectId])).rows[0].n,
  ).toBe(0);
});

test('[U9] a new shot sent without scene_id is BAD_REQUEST saying it needs a scene', async () => {
  const projectId = await createProject(db.pool);
  const error = await rejection(
    sync.push({
      projectId,
      pushId: newId(),
      lastPulledAt: null,
      changes: changesOf({ shots: { updated: [{ id: 'orphan', label: '9Z' }] } }),
    }),
  );
  expect(error.code).toBe('BAD_REQUEST');
  expect(error.message).toContain('shots.scene_id must name a scene of this project');
  expect(error.message).toContain('orphan');
  expect(await rowsOf('shots', projectId)).toEqual([]);
});

test('[U9][U7] a shot cannot point at a scene of another project', async () => {
  const theirs = await createProject(db.pool);
  const mine = await createProject(db.pool);
  await sync.push({
    projectId: theirs,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({ scenes: { created: [sceneRaw('their-scene')] } }),
  });
  const error = await rejection(
    sync.push({
      projectId: mine,
      pushId: newId(),
      lastPulledAt: null,
      changes: changesOf({ shots: { created: [shotRaw('sh1', 'their-scene')] } }),
    }),
  );
  expect(error.code).toBe('BAD_REQUEST');
  expect(error.message).toContain('their-scene');
});

test('[U11] _status, _changed and server-managed columns sent by a client are never stored', async () => {
  const projectId = await createProject(db.pool);
  const other = await createProject(db.pool);
  const { timestamp } = await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({
      scenes: {
        created: [
          sceneRaw('sc1', {
            _status: 'created',
            _changed: '',
            project_id: other,
            created_at: 1,
            updated_at: 2,
            deleted_at: 3,
          }),
        ],
      },
    }),
  });
  const [scene] = await rowsOf('scenes', projectId);
  expect(scene).toMatchObject({
    project_id: projectId,
    created_at: timestamp,
    updated_at: timestamp,
    deleted_at: null,
  });
  expect(await rowsOf('scenes', other)).toEqual([]);
});

test('[U12] onCommitted reports each committed push, never a rejected one', async () => {
  const projectId = await createProject(db.pool);
  const { timestamp } = await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({ scenes: { created: [sceneRaw('sc1')] } }),
  });
  expect(committed).toContainEqual([projectId, timestamp]);
  await rejection(
    sync.push({
      projectId,
      pushId: newId(),
      lastPulledAt: null,
      changes: changesOf({ shots: { created: [shotRaw('sh1', 'nope')] } }),
    }),
  );
  expect(committed.filter(([p]) => p === projectId)).toEqual([[projectId, timestamp]]);
});

test('[S11] a commit returns the rows it wrote only for a project whose nudge would carry them (wantsChanges)', async () => {
  const listened = await createProject(db.pool);
  const unheard = await createProject(db.pool);
  const commits = new Map<string, CommitInfo>();
  const service = parsing(
    createSyncService({
      pool: db.pool,
      onCommitted: (projectId, _timestamp, commit) => commits.set(projectId, commit),
      wantsChanges: (projectId) => projectId === listened,
    }),
  );
  try {
    for (const projectId of [listened, unheard]) {
      await service.push({
        projectId,
        pushId: newId(),
        lastPulledAt: null,
        changes: changesOf({ scenes: { created: [sceneRaw('sc1')] } }),
      });
    }
    expect(commits.get(listened)?.changes?.scenes?.updated.map((r) => r.id)).toEqual(['sc1']);
    // Nobody to nudge: the statement did not collect its rows, and the commit still counts them.
    expect(commits.get(unheard)).toMatchObject({ changes: null, records: 1 });
    expect((await rowsOf('scenes', unheard)).map((r) => r.id)).toEqual(['sc1']);
  } finally {
    await service.close();
  }
});

test('[U15] a push based on a stale pull is applied, not refused', async () => {
  const projectId = await createProject(db.pool);
  await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({ scenes: { created: [sceneRaw('sc1')] } }),
  });
  await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({ scenes: { updated: [{ id: 'sc1', heading: 'NEWER', _changed: 'heading' }] } }),
  });
  await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: 1,
    changes: changesOf({
      scenes: {
        updated: [
          { id: 'sc1', heading: 'NEWER', synopsis: 'from a device that pulled long ago', _changed: 'synopsis' },
        ],
      },
    }),
  });
  expect((await rowsOf('scenes', projectId))[0]).toMatchObject({
    heading: 'NEWER',
    synopsis: 'from a device that pulled long ago',
  });
});

test('[U13] a push to an unknown project is NOT_FOUND', async () => {
  const error = await rejection(
    sync.push({ projectId: 'no-such-project', pushId: newId(), lastPulledAt: null, changes: {} }),
  );
  expect(error.code).toBe('NOT_FOUND');
});

test('[U14] a 10,000-record push is applied; 10,001 records is PAYLOAD_TOO_LARGE', async () => {
  const projectId = await createProject(db.pool);
  const scenes = Array.from({ length: 100 }, (_, i) => sceneRaw(`sc${i}`));
  const shots = Array.from({ length: pushLimits.maxRecords - 100 }, (_, i) =>
    shotRaw(`sh${i}`, `sc${i % 100}`, { label: `${i}` }),
  );
  const { timestamp } = await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({ scenes: { created: scenes }, shots: { created: shots } }),
  });
  const count = await db.pool.query(
    'SELECT count(*)::int AS n, min(updated_at) AS lo, max(updated_at) AS hi FROM shots WHERE project_id = $1',
    [projectId],
  );
  expect(count.rows[0]).toEqual({ n: pushLimits.maxRecords - 100, lo: timestamp, hi: timestamp });

  const other = await createProject(db.pool);
  const error = await rejection(
    sync.push({
      projectId: other,
      pushId: newId(),
      lastPulledAt: null,
      changes: changesOf({
        scenes: { created: scenes },
        shots: { created: [...shots, shotRaw('one-too-many', 'sc0')] },
      }),
    }),
  );
  expect(error.code).toBe('PAYLOAD_TOO_LARGE');
  expect(error.message).toContain('at most 10000 records; this one has 10001');
  expect(await rowsOf('scenes', other)).toEqual([]);
});
