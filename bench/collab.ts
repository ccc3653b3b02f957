// Collaborative editing under load: 20 clients on one script doc, each typing ~50
// characters/s for 30 s, against Clapper's collab server (auth, PostgreSQL group commit,
// compaction) and, in the same run, a stock in-memory y-websocket relay as the baseline.
// This machine's noise moves a single p99 by ±50%, so the load runs as several pairs
// (Clapper and baseline back to back, alternating which goes first) and the headline ratio
// is the median of the pairs' p99 ratios.
//   npx tsx bench/collab.ts        (DATABASE_URL, or an embedded PostgreSQL is started)
//   BENCH_COLLAB_SECONDS=10 BENCH_COLLAB_CLIENTS=20 BENCH_COLLAB_CPS=50 BENCH_COLLAB_PAIRS=3 to change the load
import { type ChildProcess, fork } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DocStore } from '@clapper/collab';
import { type Pool, createTestDatabase, resolveDatabase } from '@clapper/db';
import * as Y from 'yjs';
import type { ClientsWorkerData, FromWorker, ToWorker } from './collab-clients.ts';
import { benchResultPath } from './results-dir.ts';
import { type BenchRow, median, percentile, printTable, round } from './stats.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface LoadConfig {
  clients: number;
  charsPerSecond: number;
  seconds: number;
  /** Every n-th client measures relay latency on what it receives (all of them type and receive). */
  observeEvery: number;
  /** Processes the clients are spread over. */
  clientProcesses: number;
  /** Clapper/baseline pairs run back to back. */
  pairs: number;
}

interface ServerStats {
  cpu: NodeJS.CpuUsage;
  metrics: {
    rowsWritten: number;
    bytesWritten: number;
    compactions: number;
    storeToRelayMs?: { p50: number; p99: number };
  };
}

interface RunResult {
  latencies: number[];
  keystrokes: number;
  serverCpuPercent: number;
  rowsWrittenPerSecond: number;
  bytesWrittenPerSecond: number;
  wallSeconds: number;
  finalText: string;
  storeToRelayMs: { p50: number; p99: number };
  /** Y.encodeStateAsUpdate of a client's doc at the end. */
  clientStateBytes: number;
  converged: boolean;
}

function startServer(
  mode: 'clapper' | 'baseline',
  databaseUrl?: string,
): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(path.join(here, 'collab-server.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_MODE: mode, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { type: string; port: number }) => resolve({ child, port: message.port }));
    child.once('exit', (code) => reject(new Error(`${mode} bench server exited with ${code}`)));
  });
}

function ask<T>(child: ChildProcess, type: 'stats' | 'close', reply: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (message: { type: string }) => {
      if (message.type !== reply) return;
      child.off('message', onMessage);
      resolve(message as T);
    };
    child.on('message', onMessage);
    child.send({ type });
  });
}

type Worker = ChildProcess;

function fromWorker<T extends FromWorker['type']>(worker: Worker, type: T): Promise<Extract<FromWorker, { type: T }>> {
  return new Promise((resolve) => {
    const onMessage = (message: FromWorker) => {
      if (message.type !== type) return;
      worker.off('message', onMessage);
      resolve(message as Extract<FromWorker, { type: T }>);
    };
    worker.on('message', onMessage);
  });
}

async function all<T extends FromWorker['type']>(
  workers: Worker[],
  send: ToWorker | null,
  reply: T,
): Promise<Extract<FromWorker, { type: T }>[]> {
  const replies = Promise.all(workers.map((worker) => fromWorker(worker, reply)));
  if (send) for (const worker of workers) worker.send(send);
  return replies;
}

/** The typists run in child processes (see collab-clients.ts); this process only coordinates. */
async function runLoad(
  url: string,
  docName: string,
  tokens: string[],
  load: LoadConfig,
  server: ChildProcess,
): Promise<RunResult> {
  const threads = Math.max(1, Math.min(load.clientProcesses, tokens.length));
  const workers: Worker[] = [];
  for (let t = 0; t < threads; t += 1) {
    const first = Math.floor((t * tokens.length) / threads);
    const last = Math.floor(((t + 1) * tokens.length) / threads);
    const workerData: ClientsWorkerData = {
      url,
      docName,
      tokens: tokens.slice(first, last),
      firstIndex: first,
      totalClients: tokens.length,
      charsPerSecond: load.charsPerSecond,
      observeEvery: load.observeEvery,
    };
    workers.push(
      fork(path.join(here, 'collab-clients.ts'), [], {
        execArgv: [
          '--import',
          'tsx',
          ...(process.env.BENCH_COLLAB_PROFILE
            ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_COLLAB_PROFILE}`]
            : []),
        ],
        env: { ...process.env, BENCH_CLIENTS_CONFIG: JSON.stringify(workerData) },
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
  }
  try {
    await all(workers, null, 'synced');
    for (const worker of workers) worker.send({ type: 'type' } satisfies ToWorker);
    await sleep(1000); // warm-up
    const before = await ask<ServerStats>(server, 'stats', 'stats');
    const started = performance.now();
    for (const worker of workers) worker.send({ type: 'measure', on: true } satisfies ToWorker);
    await sleep(load.seconds * 1000);
    const measured = await all(workers, { type: 'measure', on: false }, 'measured');
    const wallSeconds = (performance.now() - started) / 1000;
    const after = await ask<ServerStats>(server, 'stats', 'stats');
    for (const worker of workers) worker.send({ type: 'stop' } satisfies ToWorker);

    let texts: string[] = [];
    let stateBytes = 0;
    const deadline = Date.now() + 30_000;
    do {
      await sleep(200);
      const replies = await all(workers, { type: 'texts' }, 'texts');
      texts = replies.flatMap((reply) => reply.texts);
      stateBytes = replies[0]?.stateBytes ?? 0;
    } while (new Set(texts).size > 1 && Date.now() < deadline);
    await all(workers, { type: 'close' }, 'closed');

    const latencies: number[] = [];
    for (const reply of measured) for (const value of reply.latencies) latencies.push(value);
    const cpuMicros = after.cpu.user - before.cpu.user + (after.cpu.system - before.cpu.system);
    return {
      latencies,
      keystrokes: measured.reduce((sum, reply) => sum + reply.keystrokes, 0),
      serverCpuPercent: (cpuMicros / 1e6 / wallSeconds) * 100,
      rowsWrittenPerSecond: (after.metrics.rowsWritten - before.metrics.rowsWritten) / wallSeconds,
      bytesWrittenPerSecond: (after.metrics.bytesWritten - before.metrics.bytesWritten) / wallSeconds,
      wallSeconds,
      finalText: texts[0] ?? '',
      clientStateBytes: stateBytes,
      storeToRelayMs: after.metrics.storeToRelayMs ?? { p50: 0, p99: 0 },
      converged: new Set(texts).size === 1,
    };
  } finally {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.exitCode !== null || worker.signalCode !== null) return resolve();
            const timer = setTimeout(() => worker.kill(), 5_000);
            worker.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
          }),
      ),
    );
  }
}

/** Several runs as one: latencies and counts pooled, rates averaged over the total time. */
function pooled(runs: RunResult[]): RunResult {
  const wallSeconds = runs.reduce((sum, run) => sum + run.wallSeconds, 0);
  const weighted = (value: (run: RunResult) => number) =>
    runs.reduce((sum, run) => sum + value(run) * run.wallSeconds, 0) / wallSeconds;
  const last = runs[runs.length - 1]!;
  return {
    ...last,
    latencies: runs.flatMap((run) => run.latencies),
    keystrokes: runs.reduce((sum, run) => sum + run.keystrokes, 0),
    wallSeconds,
    serverCpuPercent: weighted((run) => run.serverCpuPercent),
    rowsWrittenPerSecond: weighted((run) => run.rowsWrittenPerSecond),
    bytesWrittenPerSecond: weighted((run) => run.bytesWrittenPerSecond),
    storeToRelayMs: {
      p50: median(runs.map((run) => run.storeToRelayMs.p50)),
      p99: median(runs.map((run) => run.storeToRelayMs.p99)),
    },
    converged: runs.every((run) => run.converged),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function seedTokens(pool: Pool, projectId: string, count: number): Promise<string[]> {
  const now = Date.now();
  await pool.query('INSERT INTO projects (id, name, created_at) VALUES ($1, $2, $3)', [projectId, 'Bench', now]);
  const tokens: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const userId = `bench_${i}_${randomBytes(4).toString('hex')}`;
    const token = randomBytes(24).toString('base64url');
    await pool.query('INSERT INTO users (id, email, name, created_at) VALUES ($1, $2, $3, $4)', [
      userId,
      `${userId}@bench.test`,
      `Typist ${i}`,
      now,
    ]);
    await pool.query('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
      createHash('sha256').update(token).digest('hex'),
      userId,
      now,
      now + 3_600_000,
    ]);
    await pool.query('INSERT INTO project_members (project_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)', [
      projectId,
      userId,
      'editor',
      now,
    ]);
    tokens.push(token);
  }
  return tokens;
}

export interface CollabBenchResult {
  load: LoadConfig;
  /** 1-minute load average before and after: this machine's 2 cores are shared, read the latencies with it. */
  contention: { cpus: number; loadAverageBefore: number; loadAverageAfter: number };
  clapper: Record<string, number | boolean>;
  baseline: Record<string, number | boolean>;
  ratios: Record<string, number>;
  targets: Record<string, boolean>;
  pairs: PairSummary[];
}

export interface PairSummary {
  pair: number;
  first: 'clapper' | 'baseline';
  clapperP50Ms: number;
  clapperP99Ms: number;
  baselineP50Ms: number;
  baselineP99Ms: number;
  p99Ratio: number;
  storedMatchesClients: boolean;
}

export interface CollabBenchOptions extends Partial<LoadConfig> {
  /** PostgreSQL server to create the bench database on; default DATABASE_URL or an embedded one. */
  adminUrl?: string;
}

export interface CollabBenchReport {
  rows: BenchRow[];
  title: string;
  json: CollabBenchResult;
}

/** Runs the load as `pairs` Clapper/stock-relay pairs and returns the table rows and the JSON. */
export async function runCollabBench(options: CollabBenchOptions = {}): Promise<CollabBenchReport> {
  const { adminUrl, ...overrides } = options;
  const load: LoadConfig = {
    clients: Number(process.env.BENCH_COLLAB_CLIENTS ?? 20),
    charsPerSecond: Number(process.env.BENCH_COLLAB_CPS ?? 50),
    seconds: Number(process.env.BENCH_COLLAB_SECONDS ?? 30),
    observeEvery: Number(process.env.BENCH_COLLAB_OBSERVE_EVERY ?? 4),
    clientProcesses: Number(process.env.BENCH_COLLAB_PROCESSES ?? 4),
    pairs: Number(process.env.BENCH_COLLAB_PAIRS ?? 3),
    ...overrides,
  };
  // bench/run.ts has already resolved a server (CLAPPER_TEST_ADMIN_URL); alone, resolve one.
  const given = adminUrl ?? process.env.CLAPPER_TEST_ADMIN_URL ?? process.env.DATABASE_URL;
  const admin = given ? { url: given, stop: async () => undefined } : await resolveDatabase();
  // createTestDatabase reads its server from the environment; point it at ours for this call only.
  const saved = { DATABASE_URL: process.env.DATABASE_URL, CLAPPER_TEST_ADMIN_URL: process.env.CLAPPER_TEST_ADMIN_URL };
  process.env.DATABASE_URL = admin.url;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  try {
    db = await createTestDatabase();
  } catch (error) {
    await admin.stop();
    throw error;
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  try {
    const loadBefore = os.loadavg()[0] ?? 0;
    const projectId = `bench_${randomBytes(4).toString('hex')}`;
    const tokens = await seedTokens(db.pool, projectId, load.clients);

    /** One Clapper run on a fresh doc: the load, then unload (which compacts) and a check of what is stored. */
    async function clapperRun(docName: string) {
      const server = await startServer('clapper', db.url);
      const run = await runLoad(`ws://127.0.0.1:${server.port}`, docName, tokens, load, server.child);
      const closed = await ask<{ metrics: ServerStats['metrics'] }>(server.child, 'close', 'closed');
      const stored = await new DocStore(db.pool).storedBytes(projectId, docName);
      const reloaded = new Y.Doc();
      const rows = await db.pool.query<{ data: Buffer }>(
        'SELECT data FROM yjs_snapshots WHERE project_id = $1 AND doc_name = $2 UNION ALL SELECT data FROM yjs_updates WHERE project_id = $1 AND doc_name = $2',
        [projectId, docName],
      );
      for (const row of rows.rows) Y.applyUpdate(reloaded, new Uint8Array(row.data));
      return { run, closed, stored, storedMatches: reloaded.getText('script').toString() === run.finalText };
    }
    async function baselineRun(docName: string) {
      const server = await startServer('baseline');
      const run = await runLoad(`ws://127.0.0.1:${server.port}`, docName, tokens, load, server.child);
      await ask(server.child, 'close', 'closed');
      return run;
    }

    const pairs: Array<{ clapper: Awaited<ReturnType<typeof clapperRun>>; baseline: RunResult }> = [];
    for (let pair = 0; pair < load.pairs; pair += 1) {
      const docName = `project/${projectId}/script/pair${pair}`;
      // Alternate the order, so a drift in the machine's load doesn't favour one side.
      if (pair % 2 === 0) {
        const clapperResult = await clapperRun(docName);
        pairs.push({ clapper: clapperResult, baseline: await baselineRun(docName) });
      } else {
        const baselineResult = await baselineRun(docName);
        pairs.push({ clapper: await clapperRun(docName), baseline: baselineResult });
      }
    }
    const last = pairs[pairs.length - 1]!.clapper;
    const { closed, stored } = last;
    const clapper = pooled(pairs.map((p) => p.clapper.run));
    const baseline = pooled(pairs.map((p) => p.baseline));
    const pairRatios = pairs.map((p) => percentile(p.clapper.run.latencies, 99) / percentile(p.baseline.latencies, 99));
    const medianPairRatio = median(pairRatios);

    const summary = (run: RunResult) => ({
      keystrokesPerSecond: round(run.keystrokes / run.wallSeconds, 1),
      samples: run.latencies.length,
      p50Ms: round(percentile(run.latencies, 50), 2),
      p99Ms: round(percentile(run.latencies, 99), 2),
      maxMs: round(percentile(run.latencies, 100), 2),
      serverCpuPercent: round(run.serverCpuPercent, 1),
      converged: run.converged,
    });
    const result: CollabBenchResult = {
      load,
      contention: {
        cpus: os.cpus().length,
        loadAverageBefore: round(loadBefore, 2),
        loadAverageAfter: round(os.loadavg()[0] ?? 0, 2),
      },
      clapper: {
        ...summary(clapper),
        serverStoreToRelayP50Ms: round(clapper.storeToRelayMs.p50, 2),
        serverStoreToRelayP99Ms: round(clapper.storeToRelayMs.p99, 2),
        pgRowsWrittenPerSecond: round(clapper.rowsWrittenPerSecond, 1),
        pgBytesWrittenPerSecond: round(clapper.bytesWrittenPerSecond, 0),
        logBytesWrittenTotal: closed.metrics.bytesWritten,
        storedBytesAfterCompaction: stored.snapshot + stored.log,
        clientStateBytes: clapper.clientStateBytes,
        logRowsAfterCompaction: stored.logRows,
        finalTextChars: clapper.finalText.length,
        storedMatchesClients: pairs.every((p) => p.clapper.storedMatches),
      },
      baseline: summary(baseline),
      ratios: {
        p50VsBaseline: round(percentile(clapper.latencies, 50) / percentile(baseline.latencies, 50), 2),
        p99VsBaseline: round(medianPairRatio, 2),
        p99VsBaselinePooled: round(percentile(clapper.latencies, 99) / percentile(baseline.latencies, 99), 2),
        cpuVsBaseline: round(clapper.serverCpuPercent / baseline.serverCpuPercent, 2),
        keystrokesPerRow: round(clapper.keystrokes / clapper.wallSeconds / clapper.rowsWrittenPerSecond, 2),
      },
      targets: {
        p99Within50Ms: percentile(clapper.latencies, 99) <= 50,
        p99Within1_5xBaseline: medianPairRatio <= 1.5,
      },
      pairs: pairs.map((p, i) => ({
        pair: i,
        first: i % 2 === 0 ? ('clapper' as const) : ('baseline' as const),
        clapperP50Ms: round(percentile(p.clapper.run.latencies, 50), 2),
        clapperP99Ms: round(percentile(p.clapper.run.latencies, 99), 2),
        baselineP50Ms: round(percentile(p.baseline.latencies, 50), 2),
        baselineP99Ms: round(percentile(p.baseline.latencies, 99), 2),
        p99Ratio: round(pairRatios[i]!, 2),
        storedMatchesClients: p.clapper.storedMatches,
      })),
    };

    const rows_: BenchRow[] = [
      {
        name: 'keystrokes/s (all clients)',
        value: result.clapper.keystrokesPerSecond as number,
        unit: '/s',
        target: `${load.clients}×${load.charsPerSecond}`,
      },
      { name: 'relay latency p50 (clapper)', value: result.clapper.p50Ms as number, unit: 'ms' },
      { name: 'relay latency p50 (baseline)', value: result.baseline.p50Ms as number, unit: 'ms' },
      {
        name: 'relay latency p99 (clapper)',
        value: result.clapper.p99Ms as number,
        unit: 'ms',
        target: '≤ 50 ms',
        pass: result.targets.p99Within50Ms,
      },
      { name: 'relay latency p99 (baseline)', value: result.baseline.p99Ms as number, unit: 'ms' },
      ...result.pairs.map((p) => ({
        name: `  pair ${p.pair + 1} (${p.first} first): p99 ${p.clapperP99Ms} / ${p.baselineP99Ms} ms`,
        value: p.p99Ratio,
        unit: '×',
      })),
      {
        name: `p99 clapper / baseline, median of ${load.pairs} pairs`,
        value: result.ratios.p99VsBaseline as number,
        unit: '×',
        target: '≤ 1.5×',
        pass: result.targets.p99Within1_5xBaseline,
      },
      {
        name: 'p99 clapper / baseline, all samples pooled',
        value: result.ratios.p99VsBaselinePooled as number,
        unit: '×',
      },
      { name: 'server arrival→relay p50 (store)', value: result.clapper.serverStoreToRelayP50Ms as number, unit: 'ms' },
      { name: 'server arrival→relay p99 (store)', value: result.clapper.serverStoreToRelayP99Ms as number, unit: 'ms' },
      { name: 'server CPU (clapper)', value: result.clapper.serverCpuPercent as number, unit: '% core' },
      { name: 'server CPU (baseline)', value: result.baseline.serverCpuPercent as number, unit: '% core' },
      { name: 'PostgreSQL rows written/s', value: result.clapper.pgRowsWrittenPerSecond as number, unit: 'rows/s' },
      { name: 'keystrokes per row (group commit)', value: result.ratios.keystrokesPerRow as number, unit: '×' },
      { name: 'log bytes written (whole run)', value: result.clapper.logBytesWrittenTotal as number, unit: 'bytes' },
      {
        name: 'bytes stored after compaction',
        value: result.clapper.storedBytesAfterCompaction as number,
        unit: 'bytes',
      },
      { name: "a client's own Yjs state (floor)", value: result.clapper.clientStateBytes as number, unit: 'bytes' },
      { name: 'final script length', value: result.clapper.finalTextChars as number, unit: 'chars' },
    ];
    const title = `Collab: ${load.clients} clients × ${load.charsPerSecond} chars/s × ${load.seconds} s on one doc, ${load.pairs} pairs (converged: clapper ${clapper.converged}, baseline ${baseline.converged}; stored = clients: ${pairs.every((p) => p.clapper.storedMatches)}; load average ${result.contention.loadAverageBefore} -> ${result.contention.loadAverageAfter} on ${result.contention.cpus} cores)`;
    return { rows: rows_, title, json: result };
  } finally {
    await db.drop();
    await admin.stop();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runCollabBench().then(
    async (report) => {
      printTable(report.title, report.rows);
      await writeFile(benchResultPath('collab'), `${JSON.stringify(report.json, null, 2)}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
