// What a Redis publish costs the publishing process, with and without ioredis's auto-pipelining
// (bench only; `REDIS_URL=... npx tsx bench/redis-publish.ts`). Publishes 100-byte messages,
// `perTask` of them in each macrotask (setImmediate), as the server does: one per stored Yjs
// batch, awareness flush or commit nudge, each from its own socket or timer callback. Prints
// CPU (user + system) per publish and the writes to the socket it took.
import { Redis } from 'ioredis';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const total = Number(process.env.BENCH_PUBLISHES ?? 20_000);
const payload = Buffer.alloc(100, 7);

async function run(autoPipelining: boolean, perTask: number): Promise<{ cpuUsPerPublish: number; writes: number }> {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, enableAutoPipelining: autoPipelining });
  await redis.ping();
  // Count the socket writes (each one a syscall on the server's loop).
  const stream = (redis as unknown as { stream: { write: (...a: unknown[]) => boolean } }).stream;
  let writes = 0;
  const write = stream.write.bind(stream);
  stream.write = (...a: unknown[]) => {
    writes += 1;
    return write(...a);
  };
  const cpu = process.cpuUsage();
  const pending: Array<Promise<unknown>> = [];
  for (let sent = 0; sent < total; sent += perTask) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (let i = 0; i < perTask; i += 1) pending.push(redis.publish(`clapper:bench:${i % 50}`, payload));
  }
  await Promise.all(pending);
  const used = process.cpuUsage(cpu);
  redis.disconnect();
  return { cpuUsPerPublish: Math.round(((used.user + used.system) / total) * 10) / 10, writes };
}

for (const perTask of (process.env.BENCH_PER_TASK ?? '1,2,10').split(',').map(Number)) {
  for (const autoPipelining of [false, true, false, true, false, true]) {
    const r = await run(autoPipelining, perTask);
    console.log(
      `${perTask} per task, auto-pipelining ${autoPipelining ? 'on ' : 'off'}: ${r.cpuUsPerPublish} µs CPU a publish, ${r.writes} socket writes for ${total}`,
    );
  }
}
