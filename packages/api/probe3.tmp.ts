import { randomBytes } from 'node:crypto';
import { startTestServer } from '@clapper/api';
const server = await startTestServer({ poolSize: 10 });
const { token } = await server.signIn('probe@example.com');
const { id: projectId } = await server.createProject(token, 'probe');
const t = server.trpc(token);
for (let round = 0; round < 3; round++) {
  const times = { me: 0, pull: 0, push: 0 };
  const N = 50;
  for (let i = 0; i < N; i++) {
    let s = performance.now();
    await t.query('auth.me', undefined); times.me += performance.now() - s; s = performance.now();
    await t.query('sync.pull', { projectId, lastPulledAt: null }); times.pull += performance.now() - s; s = performance.now();
    await t.mutation('sync.push', { projectId, pushId: randomBytes(8).toString('hex'), lastPulledAt: null, changes: { scenes: { created: [], updated: [{ id: `sc1`, heading: `h${i}`, _changed: 'heading' }], deleted: [] } } });
    times.push += performance.now() - s;
  }
  console.log(Object.fromEntries(Object.entries(times).map(([k, v]) => [k, (v / N).toFixed(2) + 'ms'])));
}
await server.close();
