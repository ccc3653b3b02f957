// Child process for bench/devices.ts: one real Clapper server instance (tRPC, /sync, /yjs,
// Redis pub/sub when REDIS_URL is set) over a fresh database, alone in its process so its
// memory and CPU are its own. Run with --expose-gc: a memory sample asks for a full GC
// first, so heapUsed counts what is live, not what a collection has yet to find.
//   IPC in:  {type:'stats', gc?: boolean, metrics?: boolean} | {type:'stalls'} | {type:'profile', file?}
//            | {type:'snapshot', label} | {type:'close'}
//   IPC out: {type:'ready', ...DevicesSetup} | {type:'stats', ...ServerSample} | {type:'stalls', ...LoopStalls}
//            | {type:'profile', path} | {type:'snapshot', path} | {type:'closed'}
import path from 'node:path';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { startTestServer } from '@clapper/api';
import { watchLoopStalls } from './loop-stalls.ts';
import { timeQueries } from './query-timing.ts';
import { watchServerSends } from './server-sends.ts';
import { windowProfiler } from './window-profile.ts';
import { benchResultsDir } from './results-dir.ts';

export interface DevicesSetup {
  url: string;
  /** The server's own database (dropped when it closes). */
  databaseUrl: string;
  /** Per project: its id and the session tokens of its members (the first one owns it). */
  projects: Array<{ id: string; tokens: string[] }>;
}

export interface ServerSample {
  at: number;
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** How long this sample's forced full GC paused the server's loop, ms (0 without one). */
  forcedGcMs: number;
  /** The young generation's committed size (V8's new_space; part of heapTotal). */
  newSpace: number;
  /** Every V8 heap space's committed size (heapTotal is their sum) and what is live in it, bytes. */
  spaces: Record<string, { size: number; used: number }>;
  /** process.cpuUsage(): microseconds of user and system time since the process started. */
  cpu: NodeJS.CpuUsage;
  /** Read from the server's own /metrics. */
  yjsDocsLoaded: number;
  /** Encoded bytes those docs hold (Y17). */
  yjsDocBytes: number;
  syncSockets: number;
  /** Yjs snapshot compactions since the server started (its /metrics). */
  yjsCompactions: number;
}

const projectCount = Number(process.env.BENCH_DEVICES_PROJECTS ?? 10);
const usersPerProject = Number(process.env.BENCH_DEVICES_USERS_PER_PROJECT ?? 10);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc || !process.send) throw new Error('devices-server is forked by bench/devices.ts with --expose-gc');

// Before the server makes its pool: every query of the server is timed (bench only).
const queries = timeQueries();
// And every message it fans out: when it wrote what the clients sent (bench only).
const sends = watchServerSends();

// 1,000 sockets from one address and ~10 per user: past the production caps (500 per
// address, 50 per user), which guard a real instance against one client, not a bench.
const server = await startTestServer({
  poolSize: 20,
  redisUrl: process.env.REDIS_URL,
  limits: { maxSocketsPerUser: 10_000, maxSocketsPerAddress: 10_000, maxConnections: 10_000 },
});

const projects: DevicesSetup['projects'] = [];
for (let p = 0; p < projectCount; p++) {
  const tokens: string[] = [];
  for (let u = 0; u < usersPerProject; u++) {
    const email = `devices-${p}-${u}@bench.test`;
    tokens.push((await server.signIn(email)).token);
  }
  const owner = tokens[0] as string;
  const project = await server.createProject(owner, `Devices bench ${p}`);
  for (let u = 1; u < usersPerProject; u++) {
    await server.addMember(owner, project.id, `devices-${p}-${u}@bench.test`, 'editor');
  }
  projects.push({ id: project.id, tokens });
}

async function sample(collect: boolean, withMetrics: boolean): Promise<ServerSample> {
  const gcStarted = performance.now();
  if (collect) gc?.();
  const forcedGcMs = Math.round((performance.now() - gcStarted) * 10) / 10;
  const memory = process.memoryUsage();
  // Before the /metrics fetch below: what it allocates must not be counted.
  const spaces = getHeapSpaceStatistics();
  // Over HTTP, so it waits behind whatever the server has queued: only when asked.
  const metrics = withMetrics ? await (await fetch(`${server.url}/metrics`)).text() : '';
  const gauge = (pattern: RegExp) => Number(pattern.exec(metrics)?.[1] ?? Number.NaN);
  return {
    at: Date.now(),
    rss: memory.rss,
    heapTotal: memory.heapTotal,
    heapUsed: memory.heapUsed,
    external: memory.external,
    arrayBuffers: memory.arrayBuffers,
    forcedGcMs,
    newSpace: spaces.find((space) => space.space_name === 'new_space')?.space_size ?? 0,
    spaces: Object.fromEntries(
      spaces.map((space) => [space.space_name, { size: space.space_size, used: space.space_used_size }]),
    ),
    cpu: process.cpuUsage(),
    yjsDocsLoaded: gauge(/^clapper_yjs_docs_loaded (\S+)$/m),
    yjsDocBytes: gauge(/^clapper_yjs_doc_bytes (\S+)$/m),
    syncSockets: gauge(/^clapper_ws_connections\{path="sync"\} (\S+)$/m),
    yjsCompactions: gauge(/^clapper_yjs_compactions_total (\S+)$/m),
  };
}

// Where the loop was away (event-loop delay, stalls over 50 ms, GC pauses), per window.
const loop = watchLoopStalls();

const profiler = windowProfiler();

process.on('message', (message: { type: string; gc?: boolean; metrics?: boolean; label?: string; file?: string }) => {
  if (message.type === 'profile') {
    const done = message.file ? profiler.stop(message.file) : profiler.start().then(() => '');
    void done.then((file) => process.send?.({ type: 'profile', path: file }));
  } else if (message.type === 'stalls') {
    process.send?.({ type: 'stalls', ...loop.take(), queries: queries.take(), sends: sends.take() });
  } else if (message.type === 'stats') {
    void sample(message.gc === true, message.metrics === true).then((stats) =>
      process.send?.({ type: 'stats', ...stats }),
    );
  } else if (message.type === 'snapshot') {
    gc?.();
    const file = writeHeapSnapshot(path.join(benchResultsDir, `devices-${message.label ?? 'heap'}.heapsnapshot`));
    process.send?.({ type: 'snapshot', path: file });
  } else if (message.type === 'close') {
    void server.close().then(() => process.send?.({ type: 'closed' }, () => process.exit(0)));
  }
});
// The bench process died: close (which drops the database), then go.
process.on('disconnect', () => {
  setTimeout(() => process.exit(0), 10_000).unref();
  void server.close().finally(() => process.exit(0));
});
process.send({ type: 'ready', url: server.url, databaseUrl: server.db.url, projects } satisfies DevicesSetup & {
  type: string;
});
