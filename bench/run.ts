// npm run bench: every benchmark, a table each, JSON under bench/results/latest/ (ignored).
import { writeFileSync } from 'node:fs';
import { resolveDatabase } from '@clapper/db';
import { benchResultPath } from './results-dir.ts';
import { printTable } from './stats.ts';
import { runSyncBench } from './sync.ts';

// Benchmarks create their databases where tests do: DATABASE_URL, else an embedded server.
const database = await resolveDatabase();
process.env.CLAPPER_TEST_ADMIN_URL = database.url;
const machine = { node: process.version, cpus: (await import('node:os')).cpus().length, at: new Date().toISOString() };

try {
  const only = process.argv[2];
  if (!only || only === 'sync') {
    const sync = await runSyncBench();
    printTable('Structured sync', sync.rows);
    writeFileSync(benchResultPath('sync'), `${JSON.stringify({ machine, ...sync.json }, null, 2)}\n`);
  }
  if (!only || only === 'collab') {
    const { runCollabBench } = await import('./collab.ts');
    const collab = await runCollabBench();
    printTable('Collaborative text (Yjs)', collab.rows);
    writeFileSync(benchResultPath('collab'), `${JSON.stringify({ machine, ...collab.json }, null, 2)}\n`);
  }
  if (!only || only === 'editor') {
    const { runEditorBench } = await import('./editor.ts');
    const editor = await runEditorBench();
    printTable('Screenplay editor at 120 pages (Chromium)', editor.rows);
    writeFileSync(benchResultPath('editor'), `${JSON.stringify({ machine, ...editor.json }, null, 2)}\n`);
  }
  // Only when asked for (`npm run bench board`): it builds the web app and runs Chromium for minutes.
  if (only === 'board') {
    const { runBoardBench } = await import('./board.ts');
    const board = await runBoardBench();
    printTable('The board at feature size (Chromium)', board.rows);
    writeFileSync(benchResultPath('board'), `${JSON.stringify({ machine, ...board.json }, null, 2)}\n`);
  }
  // Only when asked for: minutes of 1,000 sockets (`npm run bench -- devices`, `-- soak`).
  if (only === 'devices' || only === 'soak') {
    const { runDevicesBench, runSoakBench } = await import('./devices.ts');
    const report = only === 'devices' ? await runDevicesBench() : await runSoakBench();
    printTable(report.title, report.rows);
    writeFileSync(benchResultPath(only), `${JSON.stringify({ machine, ...report.json }, null, 2)}\n`);
  }
} finally {
  await database.stop();
}
process.exit(0);
