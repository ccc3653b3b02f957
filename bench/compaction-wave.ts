// A wave of Yjs compactions on one instance, and what the rest of the instance's database
// work waits meanwhile (issue 12.4's soak: docs typed together come due for compaction
// together, ~every 7 minutes for the soak's 25 typed docs).
//   npx tsx bench/compaction-wave.ts   (DATABASE_URL: where its database is created)
//   BENCH_WAVE_DOCS=25 BENCH_WAVE_ROWS=2000 BENCH_WAVE_POOL=20 BENCH_WAVE_ROUNDS=3
// A real server (pool of 20, as in the soak); each doc's log is seeded with ROWS rows of
// one keystroke each (as typed one at a time), a client opens every doc, then each types
// one character at the same moment: every doc's log passes the threshold at once and
// compacts. Meanwhile a probe asks for socket tickets one after the other (`auth.socketTicket`,
// one INSERT through the same pool, as every reconnecting device does) and times each, until
// every compaction is done. Prints the probe's p50 / p99 / max and the wave's length.
import os from 'node:os';
import { startTestServer } from '@clapper/api';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { percentile, round } from './stats.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const docs = env('BENCH_WAVE_DOCS', 25);
const rows = env('BENCH_WAVE_ROWS', 2000);
const rounds = env('BENCH_WAVE_ROUNDS', 3);

const server = await startTestServer({ poolSize: env('BENCH_WAVE_POOL', 20) });
const metric = async (name: string) => {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
};

try {
  const { token } = await server.signIn('wave@bench.test');
  const project = await server.createProject(token, 'Compaction wave');
  for (let wave = 0; wave < rounds; wave++) {
    const names = Array.from({ length: docs }, (_, i) => `project/${project.id}/script/wave${wave}x${i}`);
    // Each doc's log: `rows` keystrokes, one row each.
    for (const name of names) {
      const doc = new Y.Doc();
      const updates: Buffer[] = [];
      doc.on('update', (update: Uint8Array) => updates.push(Buffer.from(update)));
      for (let i = 0; i < rows; i++) doc.getText('t').insert(i, 'x');
      await server.db.pool.query(
        `INSERT INTO yjs_updates (project_id, doc_name, data, created_at) SELECT $1, $2, unnest($3::bytea[]), $4`,
        [project.id, name, updates, Date.now()],
      );
      doc.destroy();
    }
    const providers = await Promise.all(
      names.map(async (name) => {
        const ticket = await server.ticket(token, project.id);
        const provider = new WebsocketProvider(`${server.wsUrl}/yjs`, name, new Y.Doc(), {
          WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
          params: { ticket },
          disableBc: true,
        });
        await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
        return provider;
      }),
    );
    const before = await metric('clapper_yjs_compactions_total');
    const load = round(os.loadavg()[0] ?? 0, 2);
    const started = performance.now();
    for (const provider of providers) provider.doc.getText('t').insert(0, 'y');
    const waits: number[] = [];
    let done = false;
    const watcher = (async () => {
      while ((await metric('clapper_yjs_compactions_total')) < before + docs)
        await new Promise((r) => setTimeout(r, 50));
      done = true;
    })();
    while (!done) {
      const at = performance.now();
      await server.ticket(token, project.id);
      waits.push(performance.now() - at);
    }
    await watcher;
    const waveMs = performance.now() - started;
    console.log(
      `wave ${wave + 1}: ${docs} docs of ${rows} log rows compacted in ${round(waveMs, 0)} ms; ` +
        `a socket ticket meanwhile (${waits.length}): p50 ${round(percentile(waits, 50), 1)} / p99 ${round(percentile(waits, 99), 1)} / max ${round(Math.max(...waits), 1)} ms ` +
        `(load ${load} -> ${round(os.loadavg()[0] ?? 0, 2)})`,
    );
    for (const provider of providers) provider.destroy();
    while ((await metric('clapper_yjs_docs_loaded')) > 0) await new Promise((r) => setTimeout(r, 100));
  }
} finally {
  await server.close();
}
process.exit(0);
