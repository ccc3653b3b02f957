import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type TestDatabase, createTestDatabase } from '@clapper/db';
import { afterAll, beforeAll, expect, test } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

interface RunningServer {
  child: ChildProcess;
  url: string;
  output: () => string;
  waitForLine(pattern: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

// By default as `npm run server` ends up starting it: node with the tsx loader, one process,
// so the signal reaches main.ts directly.
async function spawnServer(
  env: Record<string, string>,
  command: [string, ...string[]] = [process.execPath, '--import', 'tsx', 'apps/server/src/main.ts'],
): Promise<RunningServer> {
  const [file, ...args] = command;
  const child = spawn(file, args, {
    cwd: repoRoot,
    env: { ...process.env, SMTP_URL: '', REDIS_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters: Array<{ pattern: RegExp; resolve: (m: RegExpMatchArray) => void }> = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of [...waiters]) {
      const match = output.match(waiter.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitForLine = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const match = output.match(pattern);
      if (match) return resolve(match);
      const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} in:\n${output}`)), 30_000);
      waiters.push({
        pattern,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
      void exited.then(() => setTimeout(() => reject(new Error(`server exited before ${pattern}:\n${output}`)), 50));
    });
  const [, port] = await waitForLine(/Clapper server listening on http:\/\/localhost:(\d+)/);
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, waitForLine, exited };
}

/** One tRPC call over plain HTTP; `T` is what the test expects the procedure to answer. */
async function call<T = unknown>(
  url: string,
  procedure: string,
  input: unknown,
  token?: string,
): Promise<{ status: number; data: T }> {
  const response = await fetch(`${url}/trpc/${procedure}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input),
  });
  const body = (await response.json()) as { result?: { data: unknown }; error?: unknown };
  return { status: response.status, data: (body.result?.data ?? body.error) as T };
}

test('[L1] SIGTERM: the server process finishes in-flight pushes, exits 0, and every acknowledged push is stored', async () => {
  const server = await spawnServer({ DATABASE_URL: db.url, PORT: '0' });
  try {
    // No SMTP: the code is printed on the server log, as a developer would read it.
    expect((await call(server.url, 'auth.requestCode', { email: 'director@example.com' })).data).toEqual({
      sent: true,
    });
    const [, code] = await server.waitForLine(/sign-in code for director@example\.com: (\d{6})/);
    const { data: session } = await call<{ token: string }>(server.url, 'auth.verifyCode', {
      email: 'director@example.com',
      code,
    });
    const token = session.token;
    const { data: project } = await call<{ id: string }>(server.url, 'projects.create', { name: 'Wrap' }, token);

    const acked: string[] = [];
    let sent = 0;
    let terminated = false;
    const pusher = async (lane: number) => {
      for (let i = 0; ; i += 1) {
        const id = `lane${lane}-scene${i}`;
        sent += 1;
        try {
          const result = await call(
            server.url,
            'sync.push',
            {
              projectId: project.id,
              pushId: id,
              lastPulledAt: null,
              changes: { scenes: { created: [{ id, heading: `INT. TAKE ${i}` }], updated: [], deleted: [] } },
            },
            token,
          );
          if (result.status !== 200) return;
          acked.push(id);
          if (acked.length === 20 && !terminated) {
            terminated = true;
            server.child.kill('SIGTERM');
          }
        } catch {
          return; // connection refused or closed: the server has stopped, so this push was not acknowledged.
        }
      }
    };
    await Promise.all([0, 1, 2, 3].map(pusher));
    expect(await server.exited, server.output()).toBe(0);
    expect(server.output()).toMatch(/SIGTERM: shutting down/);
    expect(acked.length).toBeGreaterThanOrEqual(20);
    const stored = await db.pool.query<{ id: string }>('SELECT id FROM scenes WHERE project_id = $1', [project.id]);
    const storedIds = new Set(stored.rows.map((r) => r.id));
    expect(acked.filter((id) => !storedIds.has(id))).toEqual([]);
    expect(sent).toBeGreaterThan(acked.length - 1);
  } finally {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
  }
});

test('[L2] `npm run server` (how `npm start` runs it) shuts down gracefully when npm gets SIGTERM', async () => {
  // Skips prestart (prisma generate) so this test doesn't rewrite the generated client under other runs.
  const server = await spawnServer({ DATABASE_URL: db.url, PORT: '0', npm_config_ignore_scripts: 'true' }, [
    'npm',
    'run',
    'server',
  ]);
  try {
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited, server.output()).toBe(0);
    expect(server.output()).toMatch(/SIGTERM: shutting down[\s\S]*stopped/);
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  } finally {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
  }
});

test('[L2] a bad configuration stops the process with a message naming the variable', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: db.url, PORT: 'eighty' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(code).toBe(1);
  expect(output).toMatch(/PORT/);
});
