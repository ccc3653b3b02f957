// npm run bench: every benchmark, a table each, JSON under bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveDatabase } from '@clapper/db';
import { printTable } from './stats.ts';
import { runSyncBench } from './sync.ts';

const resultsDir = path.join(path.dirname(new URL(import.meta.url).pathname), 'results');
mkdirSync(resultsDir, { recursive: true });

// Benchmarks create their databases where tests do: DATABASE_URL, else an embedded server.
const database = await resolveDatabase();
process.env.CLAPPER_TEST_ADMIN_URL = database.url;
const machine = { node: process.version, cpus: (await import('node:os')).cpus().length, at: new Date().toISOString() };

try {
  const only = process.argv[2];
  if (!only || only === 'sync') {
    const sync = await runSyncBench();
    printTable('Structured sync', sync.rows);
    writeFileSync(path.join(resultsDir, 'sync.json'), `${JSON.stringify({ machine, ...sync.json }, null, 2)}\n`);
  }
  if (!only || only === 'collab') {
    const { runCollabBench } = await import('./collab.ts');
    const collab = await runCollabBench();
    printTable('Collaborative text (Yjs)', collab.rows);
    writeFileSync(path.join(resultsDir, 'collab.json'), `${JSON.stringify({ machine, ...collab.json }, null, 2)}\n`);
  }
} finally {
  await database.stop();
}
process.exit(0);
