// The real server process (apps/server/src/main.ts), killed and restarted under clients.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { type TestDatabase, createTestDatabase, repoRoot } from '@clapper/db';
import { requestSocketTicket } from '@clapper/schema';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { type SeededProject, connectClient, seedProject, storedDoc, synced, waitFor } from './collab-test-harness.ts';
import { scriptDocName } from './doc-name.ts';

let db: TestDatabase;
let project: SeededProject;
let child: ChildProcess | null = null;
const providers: WebsocketProvider[] = [];

/** Starts apps/server as its own process (one node process: SIGKILL hits the server itself). */
async function startServerProcess(): Promise<{ url: string; process: ChildProcess }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'apps/server/src/main.ts')], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', REDIS_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[^\s"]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1].replace('localhost', '127.0.0.1'));
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${output}`));
    });
  });
  return { url, process: proc };
}

async function stopServerProcess(proc: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill(signal);
  await exited;
  if (child === proc) child = null;
}

function client(url: string, name: string, token: string): WebsocketProvider {
  // The real server issues the tickets (auth.socketTicket), as it does for the web app.
  const provider = connectClient(url, name, token, undefined, (t) =>
    requestSocketTicket({ serverUrl: url, token: t, projectId: project.projectId }),
  );
  providers.push(provider);
  return provider;
}

beforeAll(async () => {
  db = await createTestDatabase();
  project = await seedProject(db.pool);
});

afterAll(async () => {
  for (const provider of providers) provider.destroy();
  if (child) await stopServerProcess(child, 'SIGKILL');
  await db?.drop();
});

test('[Y7] a script survives a clean server restart', async () => {
  const name = scriptDocName(project.projectId, 'clean-restart');
  const first = await startServerProcess();
  const a = client(first.url, name, project.tokens.owner);
  await synced(a);
  a.doc.getText('t').insert(0, 'FADE IN:\nINT. HANGAR - NIGHT');
  await waitFor(
    'the edit to be stored',
    async () => (await storedDoc(db.pool, project.projectId, name)).getText('t').length > 0,
  );
  a.destroy();
  await stopServerProcess(first.process, 'SIGTERM');

  const second = await startServerProcess();
  const b = client(second.url, name, project.tokens.editor);
  await synced(b);
  expect(b.doc.getText('t').toString()).toBe('FADE IN:\nINT. HANGAR - NIGHT');
  b.destroy();
  await stopServerProcess(second.process, 'SIGTERM');
});

test('[Y5] the server is killed with SIGKILL right after an edit reached another client: the edit is there after restart', async () => {
  const name = scriptDocName(project.projectId, 'sigkill');
  const first = await startServerProcess();
  const a = client(first.url, name, project.tokens.owner);
  const b = client(first.url, name, project.tokens.editor);
  await Promise.all([synced(a), synced(b)]);

  // a types steadily; the instant b has seen some of it, the server dies.
  let typed = 0;
  const typing = setInterval(() => {
    const text = a.doc.getText('t');
    text.insert(text.length, String(typed++ % 10));
  }, 2);
  await waitFor('b to see a burst of typing', () => b.doc.getText('t').length >= 50);
  first.process.kill('SIGKILL');
  const seenByB = b.doc.getText('t').toString();
  clearInterval(typing);
  await stopServerProcess(first.process, 'SIGKILL');
  a.destroy();
  b.destroy();

  const second = await startServerProcess();
  const c = client(second.url, name, project.tokens.viewer);
  await synced(c);
  // Everything b saw was stored before it was relayed.
  expect(c.doc.getText('t').toString().startsWith(seenByB)).toBe(true);
  expect(seenByB.length).toBeGreaterThanOrEqual(50);
  c.destroy();
  await stopServerProcess(second.process, 'SIGTERM');
});
