// Structured-sync benchmark (npm run bench):
//  (a) first pull of 10,000 shots + 1,000 scenes into a fresh WatermelonDB client, end to end;
//  (b) push throughput: 4 clients pushing single-record edits back to back;
//  (c) push-to-applied latency on 50 subscribed WatermelonDB clients, applying the changes the
//      nudge carries (C18), against a same-run baseline of the same clients pulling on every
//      nudge (as before issue 12.2), in alternating pairs (BENCH_SYNC_NUDGE_PAIRS=2, 20 rounds each);
//  (d) baseline: single-row UPDATE transactions straight into the same PostgreSQL.
// (b) and (d) run as alternating pairs after a warm-up, and (b)/(d) is the median of the
// pairs' ratios: a Node server's first seconds run on code V8 has not optimized yet (a
// running server is past them), and this machine's noise moves one 5 s window by ±15%.
//   BENCH_SYNC_PAIRS=3 BENCH_SYNC_SECONDS=4 BENCH_SYNC_WARMUP_SECONDS=5 to change that;
//   BENCH_SYNC_PROFILE=1: a CPU profile of (c)'s applying rounds (bench/results/latest/cpuprof/)
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { createProjectDatabase, createSyncEngine } from '@clapper/sync-client';
import { requestSocketTicket } from '@clapper/schema';
import { createTRPCUntypedClient, httpLink } from '@trpc/client';
import pg from 'pg';
import WebSocket from 'ws';
import { benchResultsDir } from './results-dir.ts';
import { type BenchRow, median, percentile, round } from './stats.ts';
import { windowProfiler } from './window-profile.ts';

interface BenchServer {
  url: string;
  token: string;
  projectId: string;
  smallProjectId: string;
  dbUrl: string;
  child: ChildProcess;
}

async function startBenchServer(): Promise<BenchServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/sync-bench-server.ts'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: process.env,
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited early (${code})`)));
  });
  return { ...(JSON.parse(line) as Omit<BenchServer, 'child'>), child };
}

function api(url: string, token: string) {
  return createTRPCUntypedClient({
    links: [httpLink({ url: `${url}/trpc`, headers: { authorization: `Bearer ${token}` } })],
  });
}

const id = (prefix: string, n: number) => `${prefix}${String(n).padStart(6, '0')}`;

async function seed(server: BenchServer): Promise<number> {
  const client = api(server.url, server.token);
  const scenes = Array.from({ length: 1_000 }, (_, n) => ({
    id: id('sc', n),
    number: String(n + 1),
    heading: `INT. LOCATION ${n} - DAY`,
    location: `Location ${n}`,
    time_of_day: 'DAY',
    synopsis: 'A scene to benchmark with.',
    page_eighths: 8,
    sort_key: id('a', n),
  }));
  const shots = Array.from({ length: 10_000 }, (_, n) => ({
    id: id('sh', n),
    scene_id: id('sc', Math.floor(n / 10)),
    sort_key: id('a', n % 10),
    label: `${Math.floor(n / 10) + 1}${'ABCDEFGHIJ'[n % 10]}`,
    size: 'MS',
    movement: 'Static',
    lens: '35mm',
    description: 'Coverage of the action from the eyeline.',
    duration_s: 5,
    done: false,
  }));
  const started = performance.now();
  await client.mutation('sync.push', {
    projectId: server.projectId,
    pushId: 'seed-scenes',
    lastPulledAt: null,
    changes: { scenes: { created: scenes, updated: [], deleted: [] } },
  });
  await client.mutation('sync.push', {
    projectId: server.projectId,
    pushId: 'seed-shots',
    lastPulledAt: null,
    changes: { shots: { created: shots, updated: [], deleted: [] } },
  });
  return performance.now() - started;
}

/** (a): a new device opens the project and pulls everything into its local database. */
async function firstPull(server: BenchServer, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const database = createProjectDatabase({ projectId: `${server.projectId}-${run}` });
    const engine = createSyncEngine({
      database,
      projectId: server.projectId,
      serverUrl: server.url,
      getToken: () => server.token,
      autoStart: false,
    });
    const started = performance.now();
    await engine.syncNow();
    times.push(performance.now() - started);
    const count = await database.get('shots').query().fetchCount();
    if (count !== 10_000) throw new Error(`first pull stored ${count} shots, expected 10000`);
    await engine.stop();
  }
  return times;
}

/**
 * A lean load generator for (b): one keep-alive HTTP/1.1 connection per device, writing
 * the exact tRPC request (`POST /trpc/sync.push`, plain JSON) and reading the answer's
 * status and length. The four devices share these 2 cores with the server they measure,
 * so their client should cost as little as the baseline's (a bare pg connection): Node's
 * http client alone would spend more CPU per push than the server's whole push path.
 */
function pushSender(server: BenchServer) {
  const url = new URL(server.url);
  const socket = net.connect({ host: url.hostname, port: Number(url.port), noDelay: true });
  const head = `POST /trpc/sync.push HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nAuthorization: Bearer ${server.token}\r\nConnection: keep-alive\r\n`;
  let buffered: Buffer = Buffer.alloc(0);
  let waiting: { resolve(): void; reject(error: Error): void } | null = null;
  const fail = (error: Error) => {
    waiting?.reject(error);
    waiting = null;
  };
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('push connection closed')));
  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    const end = buffered.indexOf('\r\n\r\n');
    if (end < 0) return;
    const headers = buffered.subarray(0, end).toString('latin1');
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(headers)?.[1] ?? Number.NaN);
    if (!Number.isFinite(length)) return fail(new Error(`push answer without content-length: ${headers}`));
    if (buffered.length < end + 4 + length) return;
    const status = Number(headers.slice(9, 12));
    buffered = buffered.subarray(end + 4 + length);
    const done = waiting;
    waiting = null;
    if (status === 200) done?.resolve();
    else done?.reject(new Error(`push answered HTTP ${status}`));
  });
  return {
    push: (input: unknown) =>
      new Promise<void>((resolve, reject) => {
        const body = JSON.stringify(input);
        waiting = { resolve, reject };
        socket.write(`${head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      }),
    close: () => socket.end(),
  };
}

let pushRun = 0;

/** (b): `clients` devices each push one-record edits back to back for `ms`; a push counts once acked. */
async function pushThroughput(server: BenchServer, clients: number, ms: number): Promise<number> {
  const deadline = performance.now() + ms;
  // Every push is new: a pushId seen before would be a cheaper retry.
  const run = pushRun++;
  let acked = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const sender = pushSender(server);
      for (let n = 0; performance.now() < deadline; n++) {
        await sender.push({
          projectId: server.projectId,
          pushId: `tp-${run}-${c}-${n}`,
          lastPulledAt: null,
          changes: {
            shots: {
              created: [],
              updated: [
                { id: id('sh', c * 100 + (n % 100)), label: `take ${n}`, _status: 'updated', _changed: 'label' },
              ],
              deleted: [],
            },
          },
        });
        acked++;
      }
      sender.close();
    }),
  );
  return acked / (ms / 1000);
}

/** (d): the same shape of work with nothing in between: single-row UPDATE transactions. */
async function rawUpdateRate(server: BenchServer, clients: number, ms: number): Promise<number> {
  const deadline = performance.now() + ms;
  let done = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const client = new pg.Client({ connectionString: server.dbUrl });
      await client.connect();
      for (let n = 0; performance.now() < deadline; n++) {
        await client.query('UPDATE shots SET label = $1 WHERE project_id = $2 AND id = $3', [
          `raw ${n}`,
          server.projectId,
          id('sh', 5_000 + c * 100 + (n % 100)),
        ]);
        done++;
      }
      await client.end();
    }),
  );
  return done / (ms / 1000);
}

/**
 * (b) against (d): a warm-up of each (not counted), then `pairs` back-to-back runs of
 * both, alternating which goes first. Each pair gives a ratio; the headline is their median.
 */
async function pushThroughputPairs(server: BenchServer) {
  const pairs = Number(process.env.BENCH_SYNC_PAIRS ?? 3);
  const ms = Number(process.env.BENCH_SYNC_SECONDS ?? 4) * 1000;
  const warmupMs = Number(process.env.BENCH_SYNC_WARMUP_SECONDS ?? 5) * 1000;
  await pushThroughput(server, 4, warmupMs);
  await rawUpdateRate(server, 4, Math.min(warmupMs, 1000));
  const results: { pushes: number; baseline: number; ratio: number }[] = [];
  for (let pair = 0; pair < pairs; pair++) {
    let pushes: number;
    let baseline: number;
    if (pair % 2 === 0) {
      baseline = await rawUpdateRate(server, 4, ms);
      pushes = await pushThroughput(server, 4, ms);
    } else {
      pushes = await pushThroughput(server, 4, ms);
      baseline = await rawUpdateRate(server, 4, ms);
    }
    results.push({ pushes, baseline, ratio: pushes / baseline });
  }
  return {
    pairs: results,
    pushes: median(results.map((r) => r.pushes)),
    baseline: median(results.map((r) => r.baseline)),
    ratio: median(results.map((r) => r.ratio)),
    method: { pairs, secondsEach: ms / 1000, warmupSeconds: warmupMs / 1000 },
  };
}

/** (c): one device edits; how long until each of `clients` subscribed devices has applied it. */
async function nudgeLatency(server: BenchServer, clients: number, rounds: number, applyNudgedChanges: boolean) {
  const projectId = server.smallProjectId;
  const run = `${applyNudgedChanges ? 'apply' : 'pull'}-${Date.now()}`;
  const writer = api(server.url, server.token);
  await writer.mutation('sync.push', {
    projectId,
    pushId: `nudge-seed-${run}`,
    lastPulledAt: null,
    changes: {
      scenes: { created: [{ id: 'scene1', heading: 'INT. STAGE - DAY', sort_key: 'a0' }], updated: [], deleted: [] },
      shots: {
        created: [{ id: 'shot1', scene_id: 'scene1', sort_key: 'a0', label: 'round -1' }],
        updated: [],
        deleted: [],
      },
    },
  });

  let appliedAt: (number | undefined)[] = [];
  let expected = '';
  const devices = await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const database = createProjectDatabase({ projectId: `${projectId}-${run}-device-${c}` });
      const engine = createSyncEngine({
        database,
        projectId,
        serverUrl: server.url,
        getToken: () => server.token,
        webSocket: WebSocket as never,
        applyNudgedChanges,
      });
      await engine.syncNow();
      const shot = await database.get('shots').find('shot1');
      // The moment the new value is in this device's local database.
      shot.observe().subscribe((record) => {
        if ((record as unknown as { label: string }).label === expected && appliedAt[c] === undefined) {
          appliedAt[c] = performance.now();
        }
      });
      return engine;
    }),
  );
  // Our own listener marks when the nudge reaches a client in this process.
  const ticket = await requestSocketTicket({ serverUrl: server.url, token: server.token });
  const listener = new WebSocket(`${server.url.replace(/^http/, 'ws')}/sync?ticket=${ticket}`);
  let nudgedAt = 0;
  await new Promise<void>((resolve) => {
    listener.on('open', () => listener.send(JSON.stringify({ type: 'subscribe', projectId })));
    listener.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string };
      if (message.type === 'subscribed') resolve();
      if (message.type === 'changed') nudgedAt = performance.now();
    });
  });

  const fromNudge: number[] = [];
  const fromPush: number[] = [];
  // BENCH_SYNC_PROFILE=1: a CPU profile of the rounds that apply the nudges' changes (this
  // process: the 50 devices), into bench/results/latest/cpuprof/.
  const profiler = applyNudgedChanges && process.env.BENCH_SYNC_PROFILE === '1' ? windowProfiler(250) : null;
  await profiler?.start();
  for (let round = 0; round < rounds; round++) {
    appliedAt = new Array(clients).fill(undefined);
    expected = `${run} round ${round}`;
    const sentAt = performance.now();
    await writer.mutation('sync.push', {
      projectId,
      pushId: `nudge-${run}-${round}`,
      lastPulledAt: null,
      changes: {
        shots: {
          created: [],
          updated: [{ id: 'shot1', label: expected, _status: 'updated', _changed: 'label' }],
          deleted: [],
        },
      },
    });
    const waitUntil = performance.now() + 5_000;
    while (appliedAt.some((t) => t === undefined) && performance.now() < waitUntil) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const missing = appliedAt.filter((t) => t === undefined).length;
    if (missing) throw new Error(`round ${round}: ${missing} of ${clients} devices never applied the edit`);
    for (const t of appliedAt as number[]) {
      fromNudge.push(t - nudgedAt);
      fromPush.push(t - sentAt);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (profiler) {
    const dir = path.join(benchResultsDir, 'cpuprof');
    mkdirSync(dir, { recursive: true });
    console.log(`(c) CPU profile: ${await profiler.stop(path.join(dir, `sync-c-${run}.cpuprofile`))}`);
  }
  listener.close();
  await Promise.all(devices.map((engine) => engine.stop()));
  return { fromNudge, fromPush };
}

export interface SyncBenchResult {
  rows: BenchRow[];
  json: Record<string, unknown>;
}

export async function runSyncBench(): Promise<SyncBenchResult> {
  const server = await startBenchServer();
  try {
    const seedMs = await seed(server);
    const pulls = await firstPull(server, 5);
    const throughput = await pushThroughputPairs(server);
    // Alternating pairs (baseline first, then the other way round), pooled per mode.
    const nudgePairs = Number(process.env.BENCH_SYNC_NUDGE_PAIRS ?? 2);
    const nudges = { fromNudge: [] as number[], fromPush: [] as number[] };
    const pulling = { fromNudge: [] as number[], fromPush: [] as number[] };
    for (let pair = 0; pair < nudgePairs; pair++) {
      for (const apply of pair % 2 === 0 ? [false, true] : [true, false]) {
        const measured = await nudgeLatency(server, 50, 20, apply);
        const into = apply ? nudges : pulling;
        into.fromNudge.push(...measured.fromNudge);
        into.fromPush.push(...measured.fromPush);
      }
    }

    const firstPullMedian = median(pulls);
    const rows: BenchRow[] = [
      {
        name: '(a) first pull 10k shots + 1k scenes, median of 5',
        value: firstPullMedian,
        unit: 'ms',
        target: '<= 2000 ms',
        pass: firstPullMedian <= 2000,
      },
      { name: '    seeding those 11k records (2 bulk pushes)', value: seedMs, unit: 'ms' },
      {
        name: `(b) acked pushes/s, 4 clients, median of ${throughput.pairs.length}`,
        value: throughput.pushes,
        unit: 'push/s',
        target: '>= 1000/s',
        pass: throughput.pushes >= 1000,
      },
      { name: `(d) baseline: raw single-row UPDATE tx/s, 4 conns, median`, value: throughput.baseline, unit: 'tx/s' },
      ...throughput.pairs.map((p, i) => ({
        name: `    pair ${i + 1}: ${round(p.pushes, 0)} push/s / ${round(p.baseline, 0)} tx/s`,
        value: p.ratio * 100,
        unit: '%',
      })),
      {
        name: `    (b) / (d), median of the pairs`,
        value: throughput.ratio * 100,
        unit: '%',
        target: '>= 50%',
        pass: throughput.ratio >= 0.5,
      },
      {
        name: '(c) push sent -> applied p50, 50 clients, changes in the nudge',
        value: percentile(nudges.fromPush, 50),
        unit: 'ms',
        target: '<= 10 ms',
        pass: percentile(nudges.fromPush, 50) <= 10,
      },
      {
        name: '(c) push sent -> applied p99, 50 clients, changes in the nudge',
        value: percentile(nudges.fromPush, 99),
        unit: 'ms',
        target: '<= 50 ms',
        pass: percentile(nudges.fromPush, 99) <= 50,
      },
      // Not nudge -> applied for the devices that apply: the bench's own listener socket
      // subscribed last, so it hears a nudge after they have applied it.
      {
        name: '    baseline, pulling on every nudge: push sent -> applied p50',
        value: percentile(pulling.fromPush, 50),
        unit: 'ms',
      },
      { name: '    baseline: push sent -> applied p99', value: percentile(pulling.fromPush, 99), unit: 'ms' },
      { name: '    baseline: nudge -> applied p50', value: percentile(pulling.fromNudge, 50), unit: 'ms' },
      { name: '    baseline: nudge -> applied p99', value: percentile(pulling.fromNudge, 99), unit: 'ms' },
    ];
    const json = {
      firstPullMs: { median: round(firstPullMedian), runs: pulls.map((t) => round(t)) },
      seedMs: round(seedMs),
      pushesPerSecond: round(throughput.pushes),
      baselineUpdatesPerSecond: round(throughput.baseline),
      pushToBaselineRatio: round(throughput.ratio, 3),
      throughputPairs: throughput.pairs.map((p) => ({
        pushesPerSecond: round(p.pushes),
        baselineUpdatesPerSecond: round(p.baseline),
        ratio: round(p.ratio, 3),
      })),
      throughputMethod: throughput.method,
      pushSentToAppliedMs: {
        p50: round(percentile(nudges.fromPush, 50)),
        p99: round(percentile(nudges.fromPush, 99)),
        samples: nudges.fromPush.length,
      },
      baselinePullingOnNudge: {
        nudgeToAppliedMs: {
          p50: round(percentile(pulling.fromNudge, 50)),
          p99: round(percentile(pulling.fromNudge, 99)),
        },
        pushSentToAppliedMs: {
          p50: round(percentile(pulling.fromPush, 50)),
          p99: round(percentile(pulling.fromPush, 99)),
        },
        samples: pulling.fromPush.length,
      },
      nudgeMethod: { pairs: nudgePairs, roundsEach: 20, clients: 50 },
    };
    return { rows, json };
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
  }
}
