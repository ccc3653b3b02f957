import { type TestServer, startTestServer } from '@clapper/api';
import type { RecordOf } from '@clapper/schema';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Device, createDevice, createShot, settled } from './testing/devices.ts';

let server: TestServer;
let owner: { token: string };
const members: { email: string; token: string }[] = [];

beforeAll(async () => {
  server = await startTestServer();
  owner = await server.signIn('converge-owner@example.com');
  for (const name of ['converge-ad', 'converge-dop']) {
    const email = `${name}@example.com`;
    members.push({ email, ...(await server.signIn(email)) });
  }
});

afterAll(async () => {
  await server.close();
});

const columns = ['label', 'lens', 'description'] as const;

type Op =
  | { kind: 'edit'; device: number; shot: number; column: (typeof columns)[number]; value: string }
  | { kind: 'delete'; device: number; shot: number }
  | { kind: 'create'; device: number; value: string }
  | { kind: 'toggle'; device: number }
  /** The server applies this device's next push, but its answer is lost. */
  | { kind: 'lose-answer'; device: number }
  /** Let the network run for a while: part of the generated schedule, not a wait for a result. */
  | { kind: 'pause'; ms: number };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      device: fc.nat(2),
      shot: fc.nat(5),
      column: fc.constantFrom(...columns),
      value: fc.string({ maxLength: 6 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), device: fc.nat(2), shot: fc.nat(5) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      device: fc.nat(2),
      value: fc.string({ maxLength: 6 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('toggle' as const), device: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('lose-answer' as const), device: fc.nat(2) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('pause' as const), ms: fc.integer({ min: 10, max: 120 }) }) },
);

async function liveShots(device: Device): Promise<RecordOf<'shots'>[]> {
  const shots = await device.database.get<RecordOf<'shots'>>('shots').query().fetch();
  return shots.sort((a, b) => (a.id < b.id ? -1 : 1));
}

async function apply(devices: Device[], offline: boolean[], loseAnswer: boolean[], op: Op): Promise<void> {
  if (op.kind === 'pause') {
    await new Promise((resolve) => setTimeout(resolve, op.ms));
    return;
  }
  const device = devices[op.device]!;
  switch (op.kind) {
    case 'lose-answer':
      loseAnswer[op.device] = true;
      return;
    case 'toggle': {
      offline[op.device] = !offline[op.device];
      if (offline[op.device]) await device.engine.stop();
      else device.engine.start();
      return;
    }
    case 'create':
      await createShot(device, { label: op.value });
      return;
    case 'edit':
    case 'delete': {
      const shots = await liveShots(device);
      const shot = shots[op.shot % Math.max(1, shots.length)];
      if (!shot) return;
      await device.database.write(async () => {
        if (op.kind === 'delete') await shot.markAsDeleted();
        else
          await shot.update((record) => {
            record[op.column] = op.value;
          });
      });
      return;
    }
  }
}

async function snapshot(device: Device): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const shot of await liveShots(device))
    out[shot.id] = { label: shot.label, lens: shot.lens, description: shot.description };
  return out;
}

async function serverSnapshot(projectId: string): Promise<Record<string, unknown>> {
  const response = (await server.trpc(owner.token).query('sync.pull', { projectId, lastPulledAt: null })) as {
    changes: { shots: { created: Record<string, unknown>[] } };
  };
  const out: Record<string, unknown> = {};
  for (const raw of response.changes.shots.created)
    out[raw.id as string] = { label: raw.label, lens: raw.lens, description: raw.description };
  return out;
}

test('[C11][C13][C14][C15] devices that edit, delete, create, go offline and lose push answers in any interleaving converge on the server state', async () => {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(opArbitrary, { minLength: 4, maxLength: 20 }), async (ops) => {
      run += 1;
      const project = await server.createProject(owner.token, `Converge ${run}`);
      for (const member of members) await server.addMember(owner.token, project.id, member.email, 'editor');
      const tokens = [owner.token, ...members.map((member) => member.token)];
      const loseAnswer = tokens.map(() => false);
      const devices = tokens.map((token, index) =>
        createDevice(`device${index}`, {
          server,
          projectId: project.id,
          token,
          // Retries slower than a pause: other devices' pushes can land in between.
          backoff: { minMs: 300, maxMs: 600 },
          hook: async (url, init, real) => {
            const response = await real(url, init);
            if (loseAnswer[index] && url.includes('sync.push') && response.ok) {
              loseAnswer[index] = false;
              await response.text();
              throw new TypeError('fetch failed (answer lost by the test)');
            }
            return response;
          },
        }),
      );
      const offline = devices.map(() => false);
      try {
        await Promise.all(devices.map((device) => settled(device)));
        for (let index = 0; index < 3; index += 1) await createShot(devices[0]!, { label: `seed ${index}` });
        for (const op of ops) await apply(devices, offline, loseAnswer, op);
        loseAnswer.fill(false);

        for (const [index, device] of devices.entries()) if (offline[index]) device.engine.start();
        await Promise.all(devices.map((device) => settled(device, 20_000)));
        // A last round so every device has pulled every other device's final push.
        for (const device of devices) await device.engine.syncNow();
        await Promise.all(devices.map((device) => settled(device, 20_000)));

        const expected = await serverSnapshot(project.id);
        for (const device of devices) expect(await snapshot(device)).toEqual(expected);
      } finally {
        await Promise.all(devices.map((device) => device.engine.stop()));
      }
    }),
    { numRuns: 12 },
  );
}, 240_000);
