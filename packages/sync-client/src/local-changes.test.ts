import { type RecordOf, schemaVersion, tableNames } from '@clapper/schema';
import { expect, test } from 'vitest';
import { canonicalChanges, hashChanges } from './changes-hash.ts';
import { countPendingChanges, markChangesAsSynced, readLocalChanges } from './local-changes.ts';
import { createProjectDatabase } from './project-database.ts';
import { SyncStatusStore, initialSyncStatus } from './sync-status.ts';

function newDatabase() {
  return createProjectDatabase({ projectId: `local-${Math.random().toString(36).slice(2)}` });
}

async function addShot(database: ReturnType<typeof newDatabase>, label: string) {
  return database.write(() =>
    database.get<RecordOf<'shots'>>('shots').create((shot) => {
      shot.sceneId = 'scene1';
      shot.sortKey = 'a0';
      shot.label = label;
      shot.done = false;
    }),
  );
}

test('[C1] each project gets its own database on the derived schema', async () => {
  const first = newDatabase();
  const second = newDatabase();
  expect(first.schema.version).toBe(schemaVersion);
  expect(Object.keys(first.schema.tables).sort()).toEqual([...tableNames].sort());
  const shot = await addShot(first, '1A');
  expect((await first.get<RecordOf<'shots'>>('shots').find(shot.id)).label).toBe('1A');
  expect(await second.get('shots').query().fetchCount()).toBe(0);
});

test('[C10] local changes hash the same however they are ordered, and differently when anything changes', async () => {
  const database = newDatabase();
  await addShot(database, '1A');
  await addShot(database, '1B');
  const changes = await readLocalChanges(database);
  expect(changes.shots?.created).toHaveLength(2);
  expect(changes.shots?.created[0]).toMatchObject({ _status: 'created' });
  const reversed = { ...changes, shots: { ...changes.shots!, created: [...changes.shots!.created].reverse() } };
  expect(canonicalChanges(reversed)).toBe(canonicalChanges(changes));
  expect(await hashChanges(reversed)).toBe(await hashChanges(changes));
  const edited = structuredClone(changes);
  edited.shots!.created[0]!.label = 'other';
  expect(await hashChanges(edited)).not.toBe(await hashChanges(changes));
});

test('[C11] marking a push as synced skips records edited since it was read', async () => {
  const database = newDatabase();
  const kept = await addShot(database, '1A');
  const edited = await addShot(database, '1B');
  const doomed = await addShot(database, '1C');
  await markChangesAsSynced(database, await readLocalChanges(database));
  expect(await countPendingChanges(database)).toBe(0);

  await database.write(async () => {
    await kept.update((shot) => {
      shot.label = '1A new';
    });
    await edited.update((shot) => {
      shot.label = '1B new';
    });
    await doomed.markAsDeleted();
  });
  expect(await countPendingChanges(database)).toBe(3);
  const pushed = await readLocalChanges(database);
  expect(pushed.shots?.updated.map((raw) => raw._changed)).toEqual(['label', 'label']);
  expect(pushed.shots?.deleted).toEqual([doomed.id]);
  await database.write(() =>
    edited.update((shot) => {
      shot.label = '1B newer';
    }),
  );
  await markChangesAsSynced(database, pushed);
  expect(kept._raw._status).toBe('synced');
  expect(edited._raw._status).toBe('updated');
  expect(await database.adapter.getDeletedRecords('shots')).toEqual([]);
  expect(await countPendingChanges(database)).toBe(1);
});

test('[C16] the status store hands out one frozen snapshot until something changes', () => {
  const store = new SyncStatusStore();
  let notified = 0;
  const unsubscribe = store.subscribe(() => (notified += 1));
  const first = store.getStatus();
  expect(first).toEqual(initialSyncStatus);
  expect(Object.isFrozen(first)).toBe(true);
  store.update({ pending: 0, syncing: false });
  expect(store.getStatus()).toBe(first);
  expect(notified).toBe(0);
  store.update({ pending: 2 });
  const second = store.getStatus();
  expect(second).not.toBe(first);
  expect(second.pending).toBe(2);
  expect(notified).toBe(1);
  unsubscribe();
  store.update({ pending: 3 });
  expect(notified).toBe(1);
});
