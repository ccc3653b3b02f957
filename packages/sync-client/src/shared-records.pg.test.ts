// Records two devices create under the same id (derived from what they are about), offline,
// with the second device's push landing after the first device edited the record again.
import { type TestServer, startTestServer } from '@clapper/api';
import type { Database } from '@nozbe/watermelondb';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { prepareCreateShared } from './shared-records.ts';
import { type Device, createDevice, localRecord, serverRecord, settled, waitFor } from './testing/devices.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

const blankSheet = (bannerId: string) => ({
  day_banner_id: bannerId,
  crew_call: '',
  shooting_call: '',
  locations: '',
  parking: '',
  hospital: '',
  weather: '',
  notes: '',
});

async function createSheet(database: Database, bannerId: string, chosen: Record<string, string>): Promise<void> {
  await database.write(() =>
    database.batch(
      prepareCreateShared(
        database.get('call_sheets'),
        bannerId,
        { ...blankSheet(bannerId), ...chosen },
        Object.keys(chosen),
      ),
    ),
  );
}

/** The script as the app made it before C21: a plain create under the project's id. */
async function createScriptPlainly(database: Database, projectId: string, title: string): Promise<void> {
  await database.write(async () => {
    await database.get('scripts').create((record) => {
      record._raw.id = projectId;
      (record as unknown as { title: string }).title = title;
    });
  });
}

async function update(device: Device, table: string, id: string, raw: Record<string, string>): Promise<void> {
  await device.database.write(async () => {
    const record = await device.database.get(table).find(id);
    await record.update((draft) => {
      for (const [column, value] of Object.entries(raw)) draft._setRaw(column, value);
    });
  });
}

test('[C21][U2] two devices create the same-id records offline; the later push never undoes the other’s acknowledged columns', async () => {
  const owner = await server.signIn('shared-ids@example.com');
  const project = await server.createProject(owner.token, 'Shared ids');
  const projectId = project.id;
  // B's push can be held on the wire after its pull, so A's edits land in between.
  let hold: { held: () => void; release: Promise<void> } | null = null;
  const a = createDevice('a', { server, projectId, token: owner.token });
  const b = createDevice('b', {
    server,
    projectId,
    token: owner.token,
    hook: async (url, init, real) => {
      if (hold && url.includes('sync.push')) {
        hold.held();
        await hold.release;
      }
      return real(url, init);
    },
  });
  await Promise.all([settled(a), settled(b)]);
  const bannerId = 'banner1';
  await a.database.write(() =>
    a.database.batch(
      a.database.get('day_banners').prepareCreateFromDirtyRaw({ id: bannerId, sort_key: 'a0', date: '', label: '' }),
    ),
  );
  await a.engine.syncNow();
  await b.engine.syncNow();

  // Offline, each device makes the day's call sheet (its id is the day break's) and the script.
  await Promise.all([a.engine.stop(), b.engine.stop()]);
  await createSheet(a.database, bannerId, { crew_call: '06:30' });
  await createSheet(b.database, bannerId, { weather: 'Rain' });
  await createScriptPlainly(a.database, projectId, 'Pilot');
  await createScriptPlainly(b.database, projectId, 'Pilot');
  a.engine.start();
  await a.engine.syncNow();

  // B pulls A's records, then its push waits while A edits both again (acknowledged).
  let release = (): void => undefined;
  const held = new Promise<void>((resolve) => {
    hold = { held: resolve, release: new Promise<void>((go) => (release = go)) };
  });
  b.engine.start();
  const bSync = b.engine.syncNow();
  await held;
  await update(a, 'call_sheets', bannerId, { crew_call: '06:45' });
  await update(a, 'scripts', projectId, { title: 'Pilot v2' });
  await a.engine.syncNow();
  hold = null;
  release();
  await bSync;
  await waitFor(async () => (await localRecord(b, 'scripts', projectId))?.title === 'Pilot v2', 10_000, 'B converged');
  await Promise.all([settled(a), settled(b)]);

  const sheet = { crew_call: '06:45', weather: 'Rain', locations: '' };
  expect(await serverRecord(server, owner.token, projectId, 'call_sheets', bannerId)).toMatchObject(sheet);
  expect(await serverRecord(server, owner.token, projectId, 'scripts', projectId)).toMatchObject({ title: 'Pilot v2' });
  for (const device of [a, b]) {
    expect(await localRecord(device, 'call_sheets', bannerId)).toMatchObject({ ...sheet, _status: 'synced' });
    expect(await localRecord(device, 'scripts', projectId)).toMatchObject({ title: 'Pilot v2', _status: 'synced' });
  }
  await Promise.all([a.engine.stop(), b.engine.stop()]);
});
