import { type TestDatabase, createPool, createTestDatabase } from '@clapper/db';
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as Y from 'yjs';
import { DocStore } from './doc-store.ts';
import { createSnapshotMerger, mergeSnapshotParts } from './snapshot-merger.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

/** One keystroke from its own client: `mark` lands in the text once applied. */
function keystroke(mark: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('marks').set(mark, true);
  return Y.encodeStateAsUpdate(doc);
}

function marksOf(updates: Uint8Array[]): Set<string> {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return new Set(doc.getMap('marks').keys());
}

test('[Y11] appends, compactions (two "instances" at once) and loads interleave without a committed update going missing', async () => {
  const projectId = 'p_store';
  const docName = `project/${projectId}/script/race`;
  const merger = createSnapshotMerger();
  const instanceA = new DocStore(db.pool);
  // The server's configuration: compaction's CPU work on a worker thread.
  const instanceB = new DocStore(db.pool, merger);
  const committed: string[] = [];
  let writing = true;

  const writers = [0, 1, 2].map(async (writer) => {
    for (let i = 0; i < 60; i += 1) {
      const mark = `${writer}:${i}`;
      await (writer % 2 === 0 ? instanceA : instanceB).append(projectId, docName, keystroke(mark));
      committed.push(mark);
    }
  });
  const compactors = [instanceA, instanceB].map(async (store) => {
    while (writing) await store.compact(projectId, docName);
  });
  const loaders = [instanceA, instanceB].map(async (store) => {
    let checks = 0;
    while (writing) {
      const before = [...committed];
      const loaded = marksOf((await store.load(projectId, docName)).updates);
      for (const mark of before) expect(loaded.has(mark), `load missed ${mark}`).toBe(true);
      checks += 1;
    }
    return checks;
  });

  await Promise.all(writers);
  writing = false;
  await Promise.all(compactors);
  const checks = await Promise.all(loaders);
  expect(checks.every((n) => n > 0)).toBe(true);

  const final = await instanceA.compact(projectId, docName);
  expect(final.bytesAfter).toBeGreaterThan(0);
  const loaded = await instanceB.load(projectId, docName);
  expect(loaded.log.rows).toBe(0);
  expect(marksOf(loaded.updates).size).toBe(180);
  await merger.close();
});

test('[Y11] the worker-thread merge gives exactly the inline result', async () => {
  const doc = new Y.Doc();
  const parts: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => parts.push(update));
  const text = doc.getText('t');
  for (let i = 0; i < 400; i += 1) {
    text.insert(Math.floor(text.length / 2), `w${i} `);
    if (i % 4 === 0) text.delete(0, 3);
  }
  const merger = createSnapshotMerger();
  try {
    const offThread = await merger.merge(parts);
    expect(Buffer.from(offThread).equals(Buffer.from(mergeSnapshotParts(parts)))).toBe(true);
    const check = new Y.Doc();
    Y.applyUpdate(check, offThread);
    expect(check.getText('t').toString()).toBe(text.toString());
  } finally {
    await merger.close();
  }
});

test('[Y11] seq comes from a sequence: two instances appending to one doc never collide', async () => {
  const projectId = 'p_seq';
  const docName = `project/${projectId}/note/shots/s1`;
  const stores = [new DocStore(db.pool), new DocStore(db.pool)];
  await Promise.all(
    Array.from({ length: 100 }, (_, i) => (stores[i % 2] as DocStore).append(projectId, docName, keystroke(`m${i}`))),
  );
  const loaded = await stores[0]?.load(projectId, docName);
  expect(loaded?.log.rows).toBe(100);
  expect(marksOf(loaded?.updates ?? []).size).toBe(100);
});

test("[Y6] a project's docs typed at once share their writes: one pooled connection per project, every row stored", async () => {
  // Its own pool, with room for one connection per doc, counting those checked out at once.
  const pool = createPool(db.url, 40);
  let held = 0;
  let mostHeld = 0;
  const inserts: number[] = [];
  pool.on('acquire', () => {
    held += 1;
    mostHeld = Math.max(mostHeld, held);
  });
  pool.on('release', () => {
    held -= 1;
  });
  const store = new DocStore(pool);
  const projects = ['p_share_a', 'p_share_b'];
  const docs = Array.from({ length: 15 }, (_, i) => `note/shots/s${i}`);
  try {
    // Count the rows each INSERT carried (pg.Pool#query goes through Client#query).
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        const config = args[0] as { text?: string; values?: unknown[] };
        if (config?.text?.startsWith('INSERT INTO yjs_updates')) inserts.push(((config.values?.length ?? 2) - 2) / 2);
        return query(...args);
      };
    });
    // Every doc of both projects writes at once, three rounds (each doc's next write after its last committed, Y6).
    await Promise.all(
      projects.flatMap((projectId) =>
        docs.map(async (doc) => {
          for (let round = 0; round < 3; round += 1)
            await store.append(projectId, `project/${projectId}/${doc}`, keystroke(`${doc}:${round}`));
        }),
      ),
    );
    expect(mostHeld).toBeLessThanOrEqual(projects.length);
    // 90 rows in far fewer statements: the first of each project alone, the rest together.
    expect(inserts.reduce((sum, n) => sum + n, 0)).toBe(90);
    expect(inserts.length).toBeLessThan(20);
    for (const projectId of projects) {
      for (const doc of docs) {
        const loaded = await store.load(projectId, `project/${projectId}/${doc}`);
        expect(loaded.log.rows).toBe(3);
        expect(marksOf(loaded.updates)).toEqual(new Set([0, 1, 2].map((round) => `${doc}:${round}`)));
      }
    }
  } finally {
    await pool.end();
  }
});

test('[Y6] a row that cannot be stored fails only its own append, not the others written with it', async () => {
  const store = new DocStore(db.pool);
  const projectId = 'p_share_bad';
  const first = store.append(projectId, `project/${projectId}/note/a`, keystroke('first'));
  // Queued behind the first, so written together: a doc name PostgreSQL refuses (a NUL byte) among good ones.
  const good = [1, 2, 3].map((i) => store.append(projectId, `project/${projectId}/note/g${i}`, keystroke(`g${i}`)));
  const bad = store.append(projectId, `project/${projectId}/note/\u0000bad`, keystroke('bad'));
  await first;
  await Promise.all(good);
  await expect(bad).rejects.toThrow();
  for (const i of [1, 2, 3]) {
    const loaded = await store.load(projectId, `project/${projectId}/note/g${i}`);
    expect(marksOf(loaded.updates)).toEqual(new Set([`g${i}`]));
  }
});
