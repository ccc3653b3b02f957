import { randomBytes } from 'node:crypto';
import { startTestServer } from '@clapper/api';
const server = await startTestServer({ poolSize: Number(process.env.POOL ?? 10) });
const { token } = await server.signIn('probe@example.com');
const { id: projectId } = await server.createProject(token, 'probe');
const clients = Number(process.argv[2] ?? 4);
const trpcs = Array.from({ length: clients }, () => server.trpc(token));
for (let round = 0; round < 3; round++) {
  let acked = 0;
  const stamps = new Set<number>();
  const end = Date.now() + 2000;
  const started = performance.now();
  await Promise.all(trpcs.map(async (t, c) => {
    let i = 0;
    while (Date.now() < end) {
      const r = (await t.mutation('sync.push', { projectId, pushId: randomBytes(8).toString('hex'), lastPulledAt: null, changes: { scenes: { created: [], updated: [{ id: `sc${c}`, heading: `c${c}-${i++}`, _changed: 'heading' }], deleted: [] } } })) as { timestamp: number };
      stamps.add(r.timestamp);
      acked++;
    }
  }));
  const secs = (performance.now() - started) / 1000;
  console.log(`HTTP ${clients} clients: ${(acked / secs).toFixed(0)} pushes/s, ${(acked / stamps.size).toFixed(2)} pushes/txn`);
}
await server.close();
