// Many devices on one server instance (issue 12.4), as two benchmarks on one harness:
//   npm run bench -- devices : 1,000 connected devices (500 /sync subscribers, 500 /yjs
//     clients over 50 docs), 50 of them active (25 push shot edits, 25 type): server memory
//     per connection, server CPU, p50/p99 of both paths.
//   npm run bench -- soak    : the same load for 30 minutes with devices reconnecting, the
//     server's memory sampled every minute, then every client leaves and the docs unload.
// The server is a real instance in its own process (bench/devices-server.ts); the devices
// are the app's own clients spread over child processes (bench/devices-clients.ts). On a
// 2-core machine they all share the CPU with the server.
//   BENCH_DEVICES_SYNC=500 BENCH_DEVICES_YJS=500 BENCH_DEVICES_DOCS=50 BENCH_DEVICES_PUSHERS=25
//   BENCH_DEVICES_TYPISTS=25 BENCH_DEVICES_CPS=5 BENCH_DEVICES_PUSH_MS=1000 BENCH_DEVICES_PROCESSES=4
//   BENCH_DEVICES_STAMPS=1 (the typists also write a latency stamp per keystroke into the doc,
//   as the runs before 2026-12-02 04:30 did; see bench/yjs-typing.ts)
//   BENCH_DEVICES_SECONDS=60 (devices) BENCH_SOAK_MINUTES=30 BENCH_SOAK_SAMPLE_SECONDS=60
//   BENCH_SOAK_CHURN_SECONDS=20 BENCH_SOAK_CHURN=5 (devices of each kind per process per churn)
//   BENCH_CPU_PROFILE=1 (devices): CPU profiles of the server and of each client process over
//   the measured window (0.5 ms sampling) into bench/results/latest/cpuprof/; what ran in the
//   long tasks: `npx tsx bench/cpuprofile-stalls.ts <file>`.
//   BENCH_CPU_PROFILE=1 (soak): the server's CPU profile over the minute after the first
//   sample (reconnects included), bench/results/latest/cpuprof/soak-server.cpuprofile.
//   BENCH_HEAP_SNAPSHOTS=1: heap snapshots of the server (start, mid, after everyone left)
//   into bench/results/latest/, compared with `npx tsx bench/heap-compare.ts a b`.
//   BENCH_SERVER_NODE_ARGS="--trace-gc": extra node flags for the server process only
//   (BENCH_SERVER_PRELOAD: a library preloaded into it, e.g. jemalloc).
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTRPCUntypedClient, httpLink } from '@trpc/client';
import type {
  Collected,
  DeviceSpec,
  DevicesWorkerData,
  FromDevicesWorker,
  ToDevicesWorker,
} from './devices-clients.ts';
import type { DevicesSetup, ServerSample } from './devices-server.ts';
import type { DocHeap } from './doc-heap.ts';
import { type LoopStalls, describeStalls } from './loop-stalls.ts';
import type { QueryTiming } from './query-timing.ts';
import type { SideSummary } from './server-sends.ts';

/** The server's loop over a window, its PostgreSQL queries, and its side of each fan-out. */
type ServerLoop = LoopStalls & { queries: QueryTiming; sends: { sync: SideSummary; yjs: SideSummary } };
import { benchResultsDir } from './results-dir.ts';
import { type BenchRow, percentile, round } from './stats.ts';
import { wallNow } from './yjs-typing.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

export interface DevicesLoad {
  syncDevices: number;
  yjsDevices: number;
  docs: number;
  pushers: number;
  typists: number;
  charsPerSecond: number;
  pushIntervalMs: number;
  clientProcesses: number;
  /** The typists' keystrokes also push a `lat:` stamp each (BENCH_DEVICES_STAMPS=1), as before 2026-12-02 04:30. */
  stamps: boolean;
}

function loadFromEnv(): DevicesLoad {
  return {
    syncDevices: env('BENCH_DEVICES_SYNC', 500),
    yjsDevices: env('BENCH_DEVICES_YJS', 500),
    docs: env('BENCH_DEVICES_DOCS', 50),
    pushers: env('BENCH_DEVICES_PUSHERS', 25),
    typists: env('BENCH_DEVICES_TYPISTS', 25),
    charsPerSecond: env('BENCH_DEVICES_CPS', 5),
    pushIntervalMs: env('BENCH_DEVICES_PUSH_MS', 1000),
    clientProcesses: env('BENCH_DEVICES_PROCESSES', 4),
    stamps: process.env.BENCH_DEVICES_STAMPS === '1',
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);
const loadAverage = () => round(os.loadavg()[0] ?? 0, 2);
const benchStarted = Date.now();
const progress = (text: string) => console.log(`[devices +${round((Date.now() - benchStarted) / 1000, 0)} s] ${text}`);

function reply<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type: string }) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as T);
    };
    const onExit = (code: number | null) => reject(new Error(`child exited (${code}) while waiting for ${type}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

function ask<T>(child: ChildProcess, message: object, type: string): Promise<T> {
  const answer = reply<T>(child, type);
  child.send(message);
  return answer;
}

/** settledSample(): 11 samples 1 s apart (10 s) whose RSS spans at most 1 MB. */
const SETTLE_SAMPLES = 11;
const SETTLE_RSS_BYTES = 1024 * 1024;

interface Settled {
  sample: ServerSample;
  /** How long it took to settle; `settled` false: still moving after 45 s (the sample is the last one). */
  settleMs: number;
  settled: boolean;
}

/** The server instance under test and its IPC. */
class ServerProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly setup: DevicesSetup,
  ) {}

  static async start(): Promise<ServerProcess> {
    // BENCH_SERVER_PRELOAD: e.g. jemalloc's .so, to tell allocator retention from a leak.
    const preload = process.env.BENCH_SERVER_PRELOAD;
    const child = fork(path.join(here, 'devices-server.ts'), [], {
      execArgv: [
        '--import',
        'tsx',
        '--expose-gc',
        ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      ],
      env: preload ? { ...process.env, LD_PRELOAD: preload } : process.env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const setup = await reply<DevicesSetup>(child, 'ready');
    progress(`server up at ${setup.url}, ${setup.projects.length} projects seeded`);
    return new ServerProcess(child, setup);
  }

  /** With `gc`, after a full collection: heapUsed is what is live. */
  sample(gc = true, metrics = false): Promise<ServerSample> {
    return ask<ServerSample>(this.child, { type: 'stats', gc, metrics }, 'stats');
  }

  /**
   * A sample once the server's memory has settled: a full GC every second until RSS stayed
   * within 1 MB over the last 10 s (at most 45 s). Right after the seeding, or a burst of
   * connections, V8's memory reducer shrinks the young generation and pages are given back
   * seconds later (with no client, RSS fell 245 -> 196 -> 177 MB over 12 s after a GC'd
   * 245 MB sample), so an immediate sample's RSS is start-up memory not yet returned, and
   * connected-minus-idle came out negative.
   */
  async settledSample(): Promise<Settled> {
    const started = Date.now();
    const window: number[] = [];
    for (;;) {
      const sample = await this.sample(true);
      window.push(sample.rss);
      if (window.length > SETTLE_SAMPLES) window.shift();
      const settled = window.length === SETTLE_SAMPLES && Math.max(...window) - Math.min(...window) <= SETTLE_RSS_BYTES;
      if (settled || Date.now() - started > 45_000) return { sample, settleMs: Date.now() - started, settled };
      await sleep(1_000);
    }
  }

  /** The server's event loop since the last call: delay, stalls, GC pauses. */
  async stalls(): Promise<ServerLoop> {
    const { type: _, ...stalls } = await ask<ServerLoop & { type: string }>(this.child, { type: 'stalls' }, 'stalls');
    return stalls;
  }

  /** Starts a CPU profile of the server; with `file`, stops it and writes it there. */
  async profile(file?: string): Promise<string> {
    return (await ask<{ path: string }>(this.child, { type: 'profile', file }, 'profile')).path;
  }

  async snapshot(label: string): Promise<string> {
    return (await ask<{ path: string }>(this.child, { type: 'snapshot', label }, 'snapshot')).path;
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    await ask(this.child, { type: 'close' }, 'closed').catch(() => undefined);
  }
}

/** Who is who: projects, docs, and which devices are active. */
function deviceSpecs(setup: DevicesSetup, load: DevicesLoad): DeviceSpec[] {
  const projects = setup.projects;
  const specs: DeviceSpec[] = [];
  for (let g = 0; g < load.syncDevices; g++) {
    const project = projects[g % projects.length]!;
    const token = project.tokens[Math.floor(g / projects.length) % project.tokens.length]!;
    specs.push({ kind: 'sync', index: g, token, projectId: project.id, shotId: g < load.pushers ? `shot${g}` : null });
  }
  for (let g = 0; g < load.yjsDevices; g++) {
    const doc = g % load.docs;
    const project = projects[doc % projects.length]!;
    const token = project.tokens[Math.floor(g / load.docs) % project.tokens.length]!;
    specs.push({
      kind: 'yjs',
      index: g,
      token,
      docName: `project/${project.id}/script/devices${doc}`,
      types: g < load.typists,
    });
  }
  return specs;
}

/** Each pusher edits a shot of its own: create them (and their scene) first. */
async function seedShots(setup: DevicesSetup, specs: DeviceSpec[]): Promise<void> {
  for (const project of setup.projects) {
    const shots = specs.filter(
      (s): s is Extract<DeviceSpec, { kind: 'sync' }> =>
        s.kind === 'sync' && s.projectId === project.id && s.shotId !== null,
    );
    if (shots.length === 0) continue;
    const client = createTRPCUntypedClient({
      links: [httpLink({ url: `${setup.url}/trpc`, headers: { authorization: `Bearer ${project.tokens[0]}` } })],
    });
    await client.mutation('sync.push', {
      projectId: project.id,
      pushId: `devices-seed-${project.id}`,
      lastPulledAt: null,
      changes: {
        scenes: { created: [{ id: 'scene1', heading: 'INT. STAGE - DAY', sort_key: 'a0' }], updated: [], deleted: [] },
        shots: {
          created: shots.map((s, i) => ({ id: s.shotId, scene_id: 'scene1', sort_key: `a${i}`, label: 'seed' })),
          updated: [],
          deleted: [],
        },
      },
    });
  }
}

/** What the client processes measured, pooled; each process's own loop stalls. */
type Pooled = Omit<Collected, 'stalls'> & { stalls: LoopStalls[] };

class Clients {
  private closing: Promise<void> | null = null;
  private constructor(readonly workers: ChildProcess[]) {}

  static async start(url: string, specs: DeviceSpec[], load: DevicesLoad): Promise<Clients> {
    const workers: ChildProcess[] = [];
    for (let w = 0; w < load.clientProcesses; w++) {
      const config: DevicesWorkerData = {
        url,
        devices: specs.filter((_, i) => i % load.clientProcesses === w),
        charsPerSecond: load.charsPerSecond,
        pushIntervalMs: load.pushIntervalMs,
      };
      workers.push(
        fork(path.join(here, 'devices-clients.ts'), [], {
          execArgv: ['--import', 'tsx'],
          env: { ...process.env, BENCH_DEVICES_CONFIG: JSON.stringify(config) },
          serialization: 'advanced',
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        }),
      );
    }
    const clients = new Clients(workers);
    await clients.all(null, 'ready');
    return clients;
  }

  all<T>(message: ToDevicesWorker | null, type: FromDevicesWorker['type']): Promise<T[]> {
    const answers = Promise.all(this.workers.map((w) => reply<T>(w, type)));
    if (message) for (const w of this.workers) w.send(message);
    return answers;
  }

  async connect(kind: 'sync' | 'yjs'): Promise<number> {
    const started = performance.now();
    const answers = await this.all<{ ms: number; failedAttempts: number }>({ type: 'connect', kind }, 'connected');
    progress(
      `${kind}: per process ${answers.map((a) => round(a.ms, 0)).join(', ')} ms; failed attempts ${answers.map((a) => a.failedAttempts).join(', ')}`,
    );
    return performance.now() - started;
  }

  start(): void {
    for (const w of this.workers) w.send({ type: 'start' } satisfies ToDevicesWorker);
  }

  /** Answers to `collect` not yet pooled, and the processes asked and not yet answered. */
  private readonly received: Collected[] = [];
  private readonly asked = new Set<ChildProcess>();
  private listening = false;

  /**
   * What the processes measured since their last answer, pooled. With `waitMs`, waits at
   * most that long: a process too starved to answer in time is not asked again, and its
   * answer is pooled into a later collect (the soak's samples keep their schedule).
   */
  async collect(waitMs = Number.POSITIVE_INFINITY): Promise<Pooled & { answered: number; late: number }> {
    if (!this.listening) {
      this.listening = true;
      for (const w of this.workers)
        w.on('message', (message: FromDevicesWorker) => {
          if (message.type !== 'collected') return;
          this.asked.delete(w);
          const { type: _, ...collected } = message;
          this.received.push(collected);
        });
    }
    for (const w of this.workers) {
      if (this.asked.has(w) || !w.connected) continue;
      this.asked.add(w);
      w.send({ type: 'collect' } satisfies ToDevicesWorker);
    }
    const deadline = performance.now() + waitMs;
    while (this.asked.size > 0 && performance.now() < deadline) await sleep(Math.min(20, deadline - performance.now()));
    const parts = this.received.splice(0);
    type Series = 'syncMs' | 'yjsMs' | 'syncSentAt' | 'yjsSentAt' | 'pushAckMs';
    const cat = (key: Series) => Float64Array.from(parts.flatMap((p) => [...p[key]]));
    const sum = (key: Exclude<keyof Collected, Series | 'stalls'>) => parts.reduce((total, p) => total + p[key], 0);
    return {
      syncMs: cat('syncMs'),
      yjsMs: cat('yjsMs'),
      syncSentAt: cat('syncSentAt'),
      yjsSentAt: cat('yjsSentAt'),
      pushAckMs: cat('pushAckMs'),
      pushes: sum('pushes'),
      pushErrors: sum('pushErrors'),
      keystrokes: sum('keystrokes'),
      bareNudges: sum('bareNudges'),
      reconnects: sum('reconnects'),
      failedAttempts: sum('failedAttempts'),
      stalls: parts.map((p) => p.stalls),
      answered: parts.length,
      late: this.asked.size,
    };
  }

  /** Starts CPU profiles of the client processes; with `dir`, stops them and writes them there. */
  async profile(dir?: string): Promise<string[]> {
    const answers = await Promise.all(
      this.workers.map((w, i) =>
        ask<{ path: string }>(
          w,
          { type: 'profile', file: dir && path.join(dir, `clients-${i}.cpuprofile`) } satisfies ToDevicesWorker,
          'profile',
        ),
      ),
    );
    return answers.map((a) => a.path);
  }

  async churn(count: number): Promise<void> {
    await this.all({ type: 'churn', count }, 'churned');
  }

  close(): Promise<void> {
    this.closing ??= this.end();
    return this.closing;
  }

  private async end(): Promise<void> {
    const exited = this.workers.map((w) =>
      w.exitCode !== null ? Promise.resolve() : new Promise<void>((resolve) => w.once('exit', () => resolve())),
    );
    const live = this.workers.filter((w) => w.connected);
    await Promise.all(live.map((w) => ask(w, { type: 'close' }, 'closed'))).catch(() => undefined);
    await Promise.race([Promise.all(exited), sleep(10_000)]);
    for (const w of this.workers) if (w.exitCode === null) w.kill();
  }
}

/**
 * Latencies split by whether they were in flight (sent before a window's end, received after
 * its start) while the soak's own instrument ran: `outside` the others, `inside` their count.
 */
function outsideWindows(
  latencies: readonly number[],
  sentAt: readonly number[],
  windows: ReadonlyArray<{ from: number; to: number }>,
): { outside: number[]; inside: number } {
  const outside: number[] = [];
  latencies.forEach((ms, i) => {
    const sent = sentAt[i]!;
    if (!windows.some(({ from, to }) => sent < to && sent + ms > from)) outside.push(ms);
  });
  return { outside, inside: latencies.length - outside.length };
}

function latencySummary(values: ArrayLike<number>) {
  const list = Array.from(values);
  return { p50: round(percentile(list, 50)), p99: round(percentile(list, 99)), samples: list.length };
}

function memoryOf(sample: ServerSample) {
  return {
    rssMb: mb(sample.rss),
    heapUsedMb: mb(sample.heapUsed),
    heapTotalMb: mb(sample.heapTotal),
    externalMb: mb(sample.external),
    arrayBuffersMb: mb(sample.arrayBuffers),
    /** The server's loaded docs' bytes, as its /metrics reports them. */
    docBytesMb: mb(sample.yjsDocBytes),
    newSpaceMb: mb(sample.newSpace),
    /** Committed / live MB of each V8 space (heapTotal is the sum of the committed). */
    spacesMb: Object.fromEntries(
      Object.entries(sample.spaces ?? {}).map(([name, space]) => [name, [mb(space.size), mb(space.used)]]),
    ),
  };
}

/** The docs' own memory (held as the server holds them, in a fresh process) at a sample, and the server's memory net of it. */
function docsOf(sample: ServerSample, docs: DocHeap) {
  return {
    docs: docs.docs,
    docsStructs: docs.structs,
    docsEncodedMb: mb(docs.encodedBytes),
    docsHeapMb: mb(docs.heapBytes),
    docsArrayBuffersMb: mb(docs.arrayBufferBytes),
    /** The same docs as Y.Docs: what the server held before Y17. */
    docsAsYDocsHeapMb: mb(docs.yDocHeapBytes),
    heapNetMb: mb(sample.heapUsed - docs.heapBytes),
    rssNetMb: mb(sample.rss - docs.heapBytes - docs.arrayBufferBytes),
  };
}

function cpuPercent(before: ServerSample, after: ServerSample): number {
  const micros = after.cpu.user - before.cpu.user + (after.cpu.system - before.cpu.system);
  return round((micros / 1000 / (after.at - before.at)) * 100, 1);
}

/** The benchmark's docs alone on a fresh heap (bench/doc-heap.ts), read from the server's database. */
function docHeap(setup: DevicesSetup): Promise<DocHeap> {
  const child = fork(path.join(here, 'doc-heap.ts'), [], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: { ...process.env, BENCH_DOC_HEAP_DATABASE_URL: setup.databaseUrl },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // A sample without the figure (NaN) rather than a soak ended by a failed side process.
  return reply<DocHeap>(child, 'doc-heap').catch((error: unknown) => {
    progress(`doc heap not measured: ${(error as Error).message}`);
    return {
      docs: Number.NaN,
      heapBytes: Number.NaN,
      arrayBufferBytes: Number.NaN,
      yDocHeapBytes: Number.NaN,
      encodedBytes: Number.NaN,
      structs: Number.NaN,
    };
  });
}

/** Every client leaves; waits until the server holds no socket and no doc, then samples. */
async function leaveAndUnload(
  server: ServerProcess,
  clients: Clients,
): Promise<{ sample: ServerSample; waitedMs: number; settle: Settled }> {
  const started = Date.now();
  await clients.close();
  let sample = await server.sample(false, true);
  while ((sample.yjsDocsLoaded > 0 || sample.syncSockets > 0) && Date.now() - started < 120_000) {
    await sleep(500);
    sample = await server.sample(false, true);
  }
  const waitedMs = Date.now() - started;
  progress(`clients gone, docs unloaded after ${waitedMs} ms`);
  // A few seconds for what closes lazily (ping timers, pooled connections), then a settled sample
  // (full GCs until RSS holds still), as the idle one before the load was.
  await sleep(5_000);
  const settled = await server.settledSample();
  progress(`after leaving: ${describeSettled(settled)}`);
  return { sample: settled.sample, waitedMs, settle: settled };
}

interface Connected {
  server: ServerProcess;
  clients: Clients;
  load: DevicesLoad;
  base: ServerSample;
  afterSync: ServerSample;
  afterYjs: ServerSample;
  connectMs: { sync: number; yjs: number };
  /** How long each of the three samples took to settle (settledSample). */
  settle: { base: Settled; afterSync: Settled; afterYjs: Settled };
}

function describeSettled(s: Settled): string {
  return `rss ${mb(s.sample.rss)} MB, heap ${mb(s.sample.heapUsed)} MB (${s.settled ? 'settled' : 'NOT settled'} after ${round(s.settleMs / 1000, 1)} s)`;
}

async function connectAll(load: DevicesLoad): Promise<Connected> {
  const server = await ServerProcess.start();
  let clients: Clients | null = null;
  try {
    const specs = deviceSpecs(server.setup, load);
    await seedShots(server.setup, specs);
    clients = await Clients.start(server.setup.url, specs, load);
    // Each of the three samples settled the same way (settledSample), so their differences
    // are the connections' memory, not start-up or connect-burst memory still being given back.
    const base = await server.settledSample();
    progress(`base: ${describeSettled(base)}; connecting /sync devices`);
    const sync = await clients.connect('sync');
    await sleep(2_000);
    const afterSync = await server.settledSample();
    progress(`/sync connected in ${round(sync)} ms: ${describeSettled(afterSync)}; connecting /yjs devices`);
    const yjs = await clients.connect('yjs');
    await sleep(2_000);
    const afterYjs = await server.settledSample();
    progress(`/yjs connected in ${round(yjs)} ms: ${describeSettled(afterYjs)}`);
    return {
      server,
      clients,
      load,
      base: base.sample,
      afterSync: afterSync.sample,
      afterYjs: afterYjs.sample,
      connectMs: { sync: round(sync), yjs: round(yjs) },
      settle: { base, afterSync, afterYjs },
    };
  } catch (error) {
    await clients?.close();
    await server.close();
    throw error;
  }
}

/**
 * What each connection costs the server, from its own process.memoryUsage() after a forced
 * full GC: heapUsed (live JS objects) + external (what V8 is told lives outside its heap:
 * Buffers, ArrayBuffers, zlib contexts). The RSS deltas are kept in the JSON only: glibc's
 * malloc and V8's memory reducer give pages back on their own schedule, tens of MB at a time,
 * against ~20 MB that 1,000 connections add, so even between settled samples they came out
 * negative (a /yjs RSS delta of -27.7 KB per client in the first settled run, 06:12).
 */
function perConnection(c: Connected) {
  const per = (from: ServerSample, to: ServerSample, n: number, key: 'rss' | 'heapUsed' | 'external') =>
    round((to[key] - from[key]) / 1024 / n, 1);
  const live = (from: ServerSample, to: ServerSample, n: number) =>
    round((to.heapUsed + to.external - from.heapUsed - from.external) / 1024 / n, 1);
  return {
    syncKbLive: live(c.base, c.afterSync, c.load.syncDevices),
    yjsKbLive: live(c.afterSync, c.afterYjs, c.load.yjsDevices),
    allKbLive: live(c.base, c.afterYjs, c.load.syncDevices + c.load.yjsDevices),
    syncKbRss: per(c.base, c.afterSync, c.load.syncDevices, 'rss'),
    syncKbHeap: per(c.base, c.afterSync, c.load.syncDevices, 'heapUsed'),
    yjsKbRss: per(c.afterSync, c.afterYjs, c.load.yjsDevices, 'rss'),
    yjsKbHeap: per(c.afterSync, c.afterYjs, c.load.yjsDevices, 'heapUsed'),
    allKbRss: per(c.base, c.afterYjs, c.load.syncDevices + c.load.yjsDevices, 'rss'),
    allKbHeap: per(c.base, c.afterYjs, c.load.syncDevices + c.load.yjsDevices, 'heapUsed'),
  };
}

export interface DevicesReport {
  title: string;
  rows: BenchRow[];
  json: Record<string, unknown>;
}

/** `npm run bench -- devices` */
export async function runDevicesBench(): Promise<DevicesReport> {
  const load = loadFromEnv();
  const seconds = env('BENCH_DEVICES_SECONDS', 60);
  const profiling = process.env.BENCH_CPU_PROFILE === '1';
  const loadBefore = loadAverage();
  const c = await connectAll(load);
  const { server, clients } = c;
  try {
    clients.start();
    await sleep(5_000); // warm-up, not counted
    await clients.collect();
    await server.stalls();
    if (profiling) await Promise.all([server.profile(), clients.profile()]);
    const before = await server.sample(false);
    await sleep(seconds * 1000);
    const after = await server.sample(false);
    const serverLoop = await server.stalls();
    if (profiling) {
      const dir = path.join(benchResultsDir, 'cpuprof');
      mkdirSync(dir, { recursive: true });
      const files = [await server.profile(path.join(dir, 'server.cpuprofile')), ...(await clients.profile(dir))];
      progress(`CPU profiles of the window: ${files.join(', ')} (npx tsx bench/cpuprofile-stalls.ts <file>)`);
    }
    const measured = await clients.collect();
    progress(describeStalls('server', serverLoop));
    const q = serverLoop.queries;
    progress(
      `server's PostgreSQL queries: ${q.queries}, p50/p99/max ${q.p50Ms}/${q.p99Ms}/${q.maxMs} ms, ${q.over50ms} over 50 ms; pool wait p99/max ${q.poolWaitP99Ms}/${q.poolWaitMaxMs} ms; ${q.connectionsOpened} connections opened (longest ${q.connectMaxMs} ms); of them Yjs appends ${q.yjsAppends}, p50/p99/max ${q.yjsAppendP50Ms}/${q.yjsAppendP99Ms}/${q.yjsAppendMaxMs} ms; slowest: ${q.slowest
        .slice(0, 3)
        .map((s) => `${s.ms} ms ${s.sql.replace(/\s+/g, ' ').slice(0, 30)}`)
        .join('; ')}`,
    );
    measured.stalls.forEach((s, i) => progress(describeStalls(`client process ${i}`, s)));
    for (const [kind, side] of Object.entries(serverLoop.sends))
      progress(
        `server side of ${kind}: sent -> first write p50/p99 ${side.toFirstWriteP50Ms}/${side.toFirstWriteP99Ms} ms, fan-out p50/p99/max ${side.fanOutP50Ms}/${side.fanOutP99Ms}/${side.fanOutMaxMs} ms, sent -> last write p99 ${side.toLastWriteP99Ms} ms (${side.messages} messages)`,
      );
    const loadAfter = loadAverage();
    const per = perConnection(c);
    const sync = latencySummary(measured.syncMs);
    const yjs = latencySummary(measured.yjsMs);
    const pushAck = latencySummary(measured.pushAckMs);
    const cpu = cpuPercent(before, after);
    const left = await leaveAndUnload(server, clients);
    const devices = load.syncDevices + load.yjsDevices;
    const json = {
      load,
      seconds,
      contention: { cpus: os.cpus().length, loadAverageBefore: loadBefore, loadAverageAfter: loadAfter },
      connectMs: c.connectMs,
      memory: {
        base: memoryOf(c.base),
        afterSync: memoryOf(c.afterSync),
        afterYjs: memoryOf(c.afterYjs),
        underLoad: memoryOf(after),
        afterLeave: memoryOf(left.sample),
      },
      /**
       * Settled server samples (a full GC each second until RSS held within 1 MB for 10 s):
       * /sync = after the /sync devices connected minus idle, over 500; /yjs = after the /yjs
       * devices minus after /sync, over 500 (the 50 docs' load included); all = both over 1,000.
       * *KbLive: heapUsed + external (the rows); *KbHeap: heapUsed; *KbRss: RSS, allocator noise
       * at this size (perConnection).
       */
      perConnectionKb: per,
      settleMs: {
        base: c.settle.base.settleMs,
        afterSync: c.settle.afterSync.settleMs,
        afterYjs: c.settle.afterYjs.settleMs,
        afterLeave: left.settle.settleMs,
        allSettled: [c.settle.base, c.settle.afterSync, c.settle.afterYjs, left.settle].every((s) => s.settled),
      },
      serverCpuPercentOfACore: cpu,
      syncPushToNudgeChangesMs: sync,
      yjsUpdateRelayMs: yjs,
      pushAckMs: pushAck,
      pushesPerSecond: round(measured.pushes / seconds, 1),
      pushErrors: measured.pushErrors,
      keystrokesPerSecond: round(measured.keystrokes / seconds, 1),
      bareNudges: measured.bareNudges,
      unloadWaitMs: left.waitedMs,
      eventLoops: { server: serverLoop, clientProcesses: measured.stalls },
      targets: { syncP99Within100ms: sync.p99 <= 100, yjsP99Within100ms: yjs.p99 <= 100 },
    };
    const rows: BenchRow[] = [
      {
        name: `server RSS / heapUsed, no client (${c.settle.base.settled ? 'settled' : 'still moving after 45 s'})`,
        value: mb(c.base.rss),
        unit: 'MB',
        target: `heap ${mb(c.base.heapUsed)} MB`,
      },
      {
        name: `server RSS, ${devices} devices connected (${c.settle.afterYjs.settled ? 'settled' : 'still moving after 45 s'})`,
        value: mb(c.afterYjs.rss),
        unit: 'MB',
      },
      // Differences of settled samples (settledSample): the connections' memory once the
      // server holds still, not start-up memory still being returned.
      // The server's live memory (heapUsed + external after a full GC; perConnection), not RSS.
      {
        name: 'memory per /sync subscriber: heap + external after GC',
        value: per.syncKbLive,
        unit: 'KB',
        target: `heap ${per.syncKbHeap} KB`,
      },
      {
        name: 'memory per /yjs client, docs included: heap + external',
        value: per.yjsKbLive,
        unit: 'KB',
        target: `heap ${per.yjsKbHeap} KB`,
      },
      {
        name: 'memory per device, both kinds: heap + external',
        value: per.allKbLive,
        unit: 'KB',
        target: `heap ${per.allKbHeap} KB`,
      },
      { name: 'server CPU under load', value: cpu, unit: '% core' },
      {
        name: '/sync push sent -> changes at subscribers p50',
        value: sync.p50,
        unit: 'ms',
      },
      {
        name: `/sync push sent -> changes at subscribers p99 (${sync.samples})`,
        value: sync.p99,
        unit: 'ms',
        target: '<= 100 ms',
        pass: sync.p99 <= 100,
      },
      { name: '/yjs update sent -> received p50', value: yjs.p50, unit: 'ms' },
      {
        name: `/yjs update sent -> received p99 (${yjs.samples})`,
        value: yjs.p99,
        unit: 'ms',
        target: '<= 100 ms',
        pass: yjs.p99 <= 100,
      },
      { name: 'push acknowledged p50 / p99', value: pushAck.p50, unit: 'ms', target: `p99 ${pushAck.p99} ms` },
      {
        name: 'pushes/s, keystrokes/s',
        value: json.pushesPerSecond,
        unit: '/s',
        target: `${json.keystrokesPerSecond} keys/s`,
      },
      {
        name: 'server RSS after everyone left',
        value: mb(left.sample.rss),
        unit: 'MB',
        target: `heap ${mb(left.sample.heapUsed)} MB`,
      },
    ];
    const title = `Many devices: ${load.syncDevices} /sync + ${load.yjsDevices} /yjs over ${load.docs} docs, ${load.pushers} pushing every ${load.pushIntervalMs} ms, ${load.typists} typing ${load.charsPerSecond} chars/s, ${seconds} s (load average ${loadBefore} -> ${loadAfter} on ${os.cpus().length} cores, clients share them)`;
    return { title, rows, json };
  } finally {
    await clients.close();
    await server.close();
  }
}

/** `npm run bench -- soak` */
export async function runSoakBench(): Promise<DevicesReport> {
  const load = loadFromEnv();
  const minutes = env('BENCH_SOAK_MINUTES', 30);
  const sampleSeconds = env('BENCH_SOAK_SAMPLE_SECONDS', 60);
  const churnSeconds = env('BENCH_SOAK_CHURN_SECONDS', 20);
  const churnCount = env('BENCH_SOAK_CHURN', 5);
  const snapshots = process.env.BENCH_HEAP_SNAPSHOTS === '1';
  // The server's CPU over the second sample's window (minute 1 -> 2), reconnects included.
  const profiling = process.env.BENCH_CPU_PROFILE === '1';
  let profiledFile = '';
  const loadBefore = loadAverage();
  const c = await connectAll(load);
  const { server, clients } = c;
  const snapshotPaths: Record<string, string> = {};
  try {
    clients.start();
    await sleep(5_000);
    await clients.collect();
    if (snapshots) snapshotPaths.start = await server.snapshot('start');
    const startedAt = Date.now();
    const endAt = startedAt + minutes * 60_000;
    const samples: Array<Record<string, unknown>> = [];
    const first = await server.sample(true, true);
    const firstDocs = await docHeap(server.setup);
    let previous = first;
    await server.stalls();
    samples.push({ minute: 0, ...memoryOf(first), ...docsOf(first, firstDocs), loadAverage: loadAverage() });
    console.log(
      `soak: minute 0 rss ${mb(first.rss)} MB heap ${mb(first.heapUsed)} MB, of which the docs ${mb(firstDocs.heapBytes)} MB + ${mb(firstDocs.arrayBufferBytes)} MB of array buffers (${firstDocs.docs} docs, ${firstDocs.structs} structs, ${mb(firstDocs.encodedBytes)} MB encoded)`,
    );
    let nextSample = startedAt + sampleSeconds * 1000;
    let nextChurn = startedAt + churnSeconds * 1000;
    let tookMid = false;
    let churning = false;
    const allSync: number[] = [];
    const allYjs: number[] = [];
    const allSyncSentAt: number[] = [];
    const allYjsSentAt: number[] = [];
    // When the soak's own instrument ran: the forced full GC of each sample and the doc-heap
    // process beside it. A real server has neither; latencies in flight then are reported apart.
    const instrumentWindows: Array<{ from: number; to: number }> = [];
    let reconnects = 0;
    while (Date.now() < endAt) {
      const wake = Math.min(nextSample, nextChurn, endAt);
      await sleep(Math.max(0, wake - Date.now()));
      if (churnCount > 0 && Date.now() >= nextChurn) {
        nextChurn += churnSeconds * 1000;
        // Not awaited: on a starved machine reconnecting takes minutes, and the samples
        // must keep their minute. A churn still under way skips its next turn.
        if (!churning) {
          churning = true;
          // Clients closing under a churn end it: not a failure.
          void clients
            .churn(churnCount)
            .catch(() => undefined)
            .finally(() => {
              churning = false;
            });
        }
      }
      if (Date.now() >= nextSample || Date.now() >= endAt) {
        const scheduled = Math.min(nextSample, endAt);
        nextSample += sampleSeconds * 1000;
        // The server's memory first: the sample's point. The client processes get 10 s to
        // hand over their latencies; a starved one's arrive with a later sample.
        const instrumentFrom = wallNow();
        const sample = await server.sample(true, true);
        const docs = await docHeap(server.setup);
        instrumentWindows.push({ from: instrumentFrom, to: wallNow() });
        const serverLoop = await server.stalls();
        const measured = await clients.collect(10_000);
        reconnects += measured.reconnects;
        for (const v of measured.syncMs) allSync.push(v);
        for (const v of measured.yjsMs) allYjs.push(v);
        for (const v of measured.syncSentAt) allSyncSentAt.push(v);
        for (const v of measured.yjsSentAt) allYjsSentAt.push(v);
        const minute = round((sample.at - startedAt) / 60_000, 1);
        const row = {
          minute,
          /** How late the sample was taken (the server's answer included), seconds. */
          lateSeconds: round((sample.at - scheduled) / 1000, 1),
          ...memoryOf(sample),
          ...docsOf(sample, docs),
          serverLoop: {
            stalls: serverLoop.stalls,
            stalledMs: serverLoop.stalledMs,
            /** The sample's own full GC (the soak's instrument: a main-thread pause inside the minute's latencies). */
            forcedGcMs: sample.forcedGcMs,
            longestStallMs: serverLoop.longestStallMs,
            gcMaxMs: serverLoop.gc.maxMs,
            gcScavengeMs: serverLoop.gc.scavengeMs,
            gcMajors: serverLoop.gc.majors,
            gcMajorMs: serverLoop.gc.majorMs,
            poolWaitP99Ms: serverLoop.queries.poolWaitP99Ms,
            poolWaitMaxMs: serverLoop.queries.poolWaitMaxMs,
            /** Yjs compactions in the minute (they come due together for docs typed together). */
            compactions: sample.yjsCompactions - previous.yjsCompactions,
            queryP50Ms: serverLoop.queries.p50Ms,
            queryP99Ms: serverLoop.queries.p99Ms,
            queriesOver50ms: serverLoop.queries.over50ms,
            connectionsOpened: serverLoop.queries.connectionsOpened,
            /** Checkouts that found an idle client / opened a new one / queued behind held ones, and the queued ones' wait. */
            waits: {
              idle: serverLoop.queries.waitsIdle,
              new: serverLoop.queries.waitsNew,
              queued: serverLoop.queries.waitsQueued,
              queuedP99Ms: serverLoop.queries.queuedWaitP99Ms,
              queuedMaxMs: serverLoop.queries.queuedWaitMaxMs,
            },
            /** The longest waits for a connection: what the pool held then, and how much of each wait the loop was stalled. */
            slowWaits: serverLoop.queries.slowWaits,
            /** The Yjs INSERTs of the minute (each a commit; one per project batch since Y6's shared writes). */
            yjsAppends: serverLoop.queries.yjsAppends,
            yjsAppendP99Ms: serverLoop.queries.yjsAppendP99Ms,
            syncSentToFirstWriteP99Ms: serverLoop.sends.sync.toFirstWriteP99Ms,
            syncFanOutP99Ms: serverLoop.sends.sync.fanOutP99Ms,
            yjsSentToFirstWriteP99Ms: serverLoop.sends.yjs.toFirstWriteP99Ms,
          },
          clientProcessesAnswered: measured.answered,
          cpuPercent: cpuPercent(previous, sample),
          sync: latencySummary(measured.syncMs),
          yjs: latencySummary(measured.yjsMs),
          pushes: measured.pushes,
          pushErrors: measured.pushErrors,
          keystrokes: measured.keystrokes,
          reconnects: measured.reconnects,
          loadAverage: loadAverage(),
        };
        previous = sample;
        samples.push(row);
        console.log(
          `soak: minute ${minute} (${row.lateSeconds} s late) rss ${row.rssMb} MB heap ${row.heapUsedMb} MB, docs ${row.docsHeapMb} + ${row.docsArrayBuffersMb} MB (as Y.Docs ${row.docsAsYDocsHeapMb}), net ${row.heapNetMb} MB; ext ${row.externalMb} MB cpu ${row.cpuPercent}% sync p99 ${row.sync.p99} (server's first write ${row.serverLoop.syncSentToFirstWriteP99Ms}) yjs p99 ${row.yjs.p99} (${row.serverLoop.yjsSentToFirstWriteP99Ms}), queries p99 ${row.serverLoop.queryP99Ms} (pool wait p99 ${row.serverLoop.poolWaitP99Ms} max ${row.serverLoop.poolWaitMaxMs}), compactions ${row.serverLoop.compactions}, Yjs INSERTs ${row.serverLoop.yjsAppends} (p99 ${row.serverLoop.yjsAppendP99Ms} ms), checkouts idle/new/queued ${row.serverLoop.waits.idle}/${row.serverLoop.waits.new}/${row.serverLoop.waits.queued}, the sample's forced GC ${row.serverLoop.forcedGcMs} ms, GC scavenges ${row.serverLoop.gcScavengeMs} ms majors ${row.serverLoop.gcMajors} ${row.serverLoop.gcMajorMs} ms, server stalls ${row.serverLoop.stalls} (${row.serverLoop.stalledMs} ms, ${measured.answered} of ${load.clientProcesses} processes) load ${row.loadAverage}`,
        );
        for (const w of row.serverLoop.slowWaits.slice(0, 3)) {
          const by = new Map<string, number>();
          for (const h of w.holders) {
            const key = `${h.by} [${h.sql.replace(/\s+/g, ' ').slice(0, 40)}]`;
            by.set(key, (by.get(key) ?? 0) + 1);
          }
          console.log(
            `  pool wait ${w.ms} ms (${w.kind}, loop stalled ${w.stalledMs} ms of it; pool ${w.total} open, ${w.idle} idle, ${w.waiting} waiting)${w.holders.length ? `; held: ${[...by].map(([k, n]) => `${n}x ${k}`).join('; ')}; held for max ${Math.max(...w.holders.map((h) => h.heldMs))} ms` : ''}`,
          );
        }
        if (profiling && samples.length === 2) await server.profile();
        if (profiling && samples.length === 3) {
          const dir = path.join(benchResultsDir, 'cpuprof');
          mkdirSync(dir, { recursive: true });
          profiledFile = await server.profile(path.join(dir, 'soak-server.cpuprofile'));
          progress(`the server's CPU profile of minute ${samples.length - 2} -> ${minute}: ${profiledFile}`);
        }
        if (snapshots && !tookMid && Date.now() >= startedAt + (minutes * 60_000) / 2) {
          tookMid = true;
          snapshotPaths.mid = await server.snapshot('mid');
        }
      }
    }
    const last = await server.sample();
    const loadAfter = loadAverage();
    const left = await leaveAndUnload(server, clients);
    if (snapshots) snapshotPaths.afterLeave = await server.snapshot('after-leave');
    const memoryRows = samples as Array<{
      rssMb: number;
      heapUsedMb: number;
      externalMb: number;
      arrayBuffersMb: number;
      docsHeapMb: number;
      docsArrayBuffersMb: number;
      docsAsYDocsHeapMb: number;
      heapNetMb: number;
      rssNetMb: number;
      lateSeconds?: number;
    }>;
    // Net of the docs' own memory: first and last samples (the loop's last is at the end).
    const firstRow = memoryRows[0]!;
    const lastRow = memoryRows.at(-1)!;
    const netChange = (key: 'heapNetMb' | 'rssNetMb') =>
      round(((lastRow[key] - firstRow[key]) / firstRow[key]) * 100, 1);
    const heapNetChange = netChange('heapNetMb');
    const rssNetChange = netChange('rssNetMb');
    const latestSample = Math.max(0, ...memoryRows.map((r) => r.lateSeconds ?? 0));
    /** Percent change of `key` from the sample `fromRow` (minute 0 unless said) to `to`. */
    const change = (key: 'rssMb' | 'heapUsedMb' | 'externalMb', to: number, fromRow = memoryRows[0]!) => {
      const from = fromRow[key];
      return round(((to - from) / from) * 100, 1);
    };
    const max = (key: 'rssMb' | 'heapUsedMb') => Math.max(...memoryRows.map((r) => r[key]));
    const lastMemory = memoryOf(last);
    const leftMemory = memoryOf(left.sample);
    const sync = latencySummary(allSync);
    const yjs = latencySummary(allYjs);
    const syncApart = outsideWindows(allSync, allSyncSentAt, instrumentWindows);
    const yjsApart = outsideWindows(allYjs, allYjsSentAt, instrumentWindows);
    const syncOutside = latencySummary(syncApart.outside);
    const yjsOutside = latencySummary(yjsApart.outside);
    const rssChange = change('rssMb', lastMemory.rssMb);
    const heapChange = change('heapUsedMb', lastMemory.heapUsedMb);
    // Minute 0 is the settled sample of the connected devices before anyone types or pushes;
    // the first minute under the load adds its working set (typed docs, socket buffers, the
    // pool's connections). Drift over the run is measured from there.
    const underLoad = memoryRows[1] ?? memoryRows[0]!;
    const rssChangeUnderLoad = change('rssMb', lastMemory.rssMb, underLoad);
    const json = {
      load,
      minutes,
      sampleSeconds,
      churn: { everySeconds: churnSeconds, devicesOfEachKindPerProcess: churnCount, reconnects },
      contention: { cpus: os.cpus().length, loadAverageBefore: loadBefore, loadAverageAfter: loadAfter },
      memory: {
        base: memoryOf(c.base),
        connected: memoryOf(c.afterYjs),
        first: samples[0],
        last: lastMemory,
        maxRssMb: max('rssMb'),
        maxHeapUsedMb: max('heapUsedMb'),
        rssChangePercent: rssChange,
        rssChangeFromMinute1Percent: rssChangeUnderLoad,
        heapUsedChangePercent: heapChange,
        externalChangePercent: change('externalMb', lastMemory.externalMb),
        docsHeapFirstMb: firstRow.docsHeapMb,
        docsHeapLastMb: lastRow.docsHeapMb,
        docsArrayBuffersFirstMb: firstRow.docsArrayBuffersMb,
        docsArrayBuffersLastMb: lastRow.docsArrayBuffersMb,
        docsAsYDocsHeapLastMb: lastRow.docsAsYDocsHeapMb,
        heapNetOfDocsChangePercent: heapNetChange,
        rssNetOfDocsChangePercent: rssNetChange,
        afterLeave: leftMemory,
        afterLeaveVsBaseRssPercent: round(((left.sample.rss - c.base.rss) / c.base.rss) * 100, 1),
        afterLeaveVsBaseHeapPercent: round(((left.sample.heapUsed - c.base.heapUsed) / c.base.heapUsed) * 100, 1),
      },
      syncPushToNudgeChangesMs: sync,
      yjsUpdateRelayMs: yjs,
      /** The same, without what was in flight while the soak's own instrument ran. */
      outsideInstrument: {
        windowsMs: instrumentWindows.map(({ from, to }) => round(to - from)),
        sync: { ...syncOutside, inFlightDuringInstrument: syncApart.inside },
        yjs: { ...yjsOutside, inFlightDuringInstrument: yjsApart.inside },
      },
      samples,
      heapSnapshots: snapshotPaths,
      samplesLateByAtMostSeconds: latestSample,
      targets: {
        rssWithin10Percent: Math.abs(rssChange) <= 10,
        rssFromMinute1Within10Percent: Math.abs(rssChangeUnderLoad) <= 10,
        heapWithin10Percent: Math.abs(heapChange) <= 10,
        rssNetOfDocsWithin10Percent: Math.abs(rssNetChange) <= 10,
        heapNetOfDocsWithin10Percent: Math.abs(heapNetChange) <= 10,
      },
    };
    const rows: BenchRow[] = [
      { name: 'server RSS, no client', value: mb(c.base.rss), unit: 'MB', target: `heap ${mb(c.base.heapUsed)} MB` },
      {
        name: 'server RSS, minute 0 of the load',
        value: memoryRows[0]!.rssMb,
        unit: 'MB',
        target: `heap ${memoryRows[0]!.heapUsedMb} MB`,
      },
      {
        name: `server RSS, minute ${minutes}`,
        value: lastMemory.rssMb,
        unit: 'MB',
        target: `heap ${lastMemory.heapUsedMb} MB`,
      },
      {
        name: 'server RSS, max of the samples',
        value: max('rssMb'),
        unit: 'MB',
        target: `heap ${max('heapUsedMb')} MB`,
      },
      {
        name: 'RSS change, minute 0 (connected, before the load) -> last sample',
        value: rssChange,
        unit: '%',
        target: '±10%',
        pass: Math.abs(rssChange) <= 10,
      },
      {
        name: `RSS change, minute 1 (the load running: ${underLoad.rssMb} MB) -> last sample`,
        value: rssChangeUnderLoad,
        unit: '%',
        target: '±10%',
        pass: Math.abs(rssChangeUnderLoad) <= 10,
      },
      {
        name: 'heapUsed change (after GC)',
        value: heapChange,
        unit: '%',
        target: '±10%',
        pass: Math.abs(heapChange) <= 10,
      },
      {
        name: "the docs' own memory as the server holds them (heap + array buffers, a fresh copy), first -> last sample",
        value: round(lastRow.docsHeapMb + lastRow.docsArrayBuffersMb, 1),
        unit: 'MB',
        target: `from ${round(firstRow.docsHeapMb + firstRow.docsArrayBuffersMb, 1)} MB (as Y.Docs: ${lastRow.docsAsYDocsHeapMb} MB of heap)`,
      },
      {
        name: "RSS net of the docs' memory, change",
        value: rssNetChange,
        unit: '%',
        target: `±10% (${firstRow.rssNetMb} -> ${lastRow.rssNetMb} MB)`,
        pass: Math.abs(rssNetChange) <= 10,
      },
      {
        name: "heapUsed net of the docs' share of the heap, change",
        value: heapNetChange,
        unit: '%',
        target: `±10% (${firstRow.heapNetMb} -> ${lastRow.heapNetMb} MB)`,
        pass: Math.abs(heapNetChange) <= 10,
      },
      { name: 'latest sample, behind its schedule', value: latestSample, unit: 's' },
      {
        name: 'server RSS after everyone left, docs unloaded',
        value: leftMemory.rssMb,
        unit: 'MB',
        target: `heap ${leftMemory.heapUsedMb} MB`,
      },
      { name: '/sync push -> changes p50 / p99, whole run', value: sync.p50, unit: 'ms', target: `p99 ${sync.p99} ms` },
      { name: '/yjs update relay p50 / p99, whole run', value: yjs.p50, unit: 'ms', target: `p99 ${yjs.p99} ms` },
      {
        name: "/sync p50 / p99, outside the soak's own samples",
        value: syncOutside.p50,
        unit: 'ms',
        target: `p99 ${syncOutside.p99} ms (${syncApart.inside} in flight during them)`,
      },
      {
        name: "/yjs p50 / p99, outside the soak's own samples",
        value: yjsOutside.p50,
        unit: 'ms',
        target: `p99 ${yjsOutside.p99} ms (${yjsApart.inside} in flight during them)`,
      },
      { name: 'reconnects during the run', value: reconnects, unit: '' },
    ];
    const title = `Soak: ${load.syncDevices} /sync + ${load.yjsDevices} /yjs devices, ${load.pushers} pushing, ${load.typists} typing, ${minutes} min, ${churnCount * load.clientProcesses * 2} reconnects every ${churnSeconds} s (load average ${loadBefore} -> ${loadAfter} on ${os.cpus().length} cores)`;
    return { title, rows, json };
  } finally {
    await clients.close();
    await server.close();
  }
}
