// Several server instances on one machine with the embedded PostgreSQL default (DATABASE_URL
// unset), as a user gets by running `npm start` twice: real server processes, a real
// PostgreSQL in a temp data dir on a free port (EMBEDDED_PG_DIR / EMBEDDED_PG_PORT).
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type Server, type Socket, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmbeddedPortTakenError, startEmbeddedPostgres } from '@clapper/db';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let dir: string;
const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'clapper-instances-'));
  // As root, PostgreSQL runs as the postgres user, who must reach the data dir inside.
  chmodSync(dir, 0o755);
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

interface Instance {
  url: string;
  output: () => string;
  listening: Promise<void>;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

/** `npm run server` with DATABASE_URL unset: node + tsx on apps/server/src/main.ts. */
async function startInstance(dataDir: string, pgPort: number): Promise<Instance> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    SMTP_URL: '',
    REDIS_URL: '',
    EMBEDDED_PG_DIR: dataDir,
    EMBEDDED_PG_PORT: String(pgPort),
  };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening on')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => reject(new Error(`instance exited (${code}) before listening:\n${output}`)));
  });
  listening.catch(() => undefined);
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    listening,
    exited,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

function postmasterPid(dataDir: string): number {
  return Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

async function query(pgPort: number, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ host: '127.0.0.1', port: pgPort, user: 'postgres', database: 'postgres' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Two instances, one after the other, on a fresh data dir (`name`) and port; the postmaster the first started. */
async function twoInstances(name: string) {
  const dataDir = path.join(dir, name);
  const pgPort = await freePort();
  const first = await startInstance(dataDir, pgPort);
  await first.listening;
  const postmaster = postmasterPid(dataDir);
  const second = await startInstance(dataDir, pgPort);
  await second.listening;
  return { dataDir, pgPort, first, second, postmaster };
}

test('a second instance uses the running embedded PostgreSQL, and keeps it when the first stops', async () => {
  const { dataDir, pgPort, first, second, postmaster } = await twoInstances('shared');
  // One postmaster for the data dir, both instances on it.
  expect(postmasterPid(dataDir)).toBe(postmaster);
  for (const instance of [first, second]) {
    expect(await (await fetch(`${instance.url}/health`)).json()).toMatchObject({ db: 'ok' });
  }

  // The first leaving (as after Ctrl+C in its terminal) does not take the database with it.
  expect(await first.stop()).toBe(0);
  expect(alive(postmaster)).toBe(true);
  expect(await (await fetch(`${second.url}/health`)).json()).toMatchObject({ db: 'ok' });
  expect(await query(pgPort, 'SELECT 1 AS up')).toEqual([{ up: 1 }]);

  // The last one to leave shuts it down.
  expect(await second.stop()).toBe(0);
  expect(alive(postmaster)).toBe(false);
  await expect(query(pgPort, 'SELECT 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
}, 180_000);

test('the database outlives a first instance killed hard; the next one uses it', async () => {
  const { first, second, postmaster } = await twoInstances('killed');
  children[0]?.kill('SIGKILL');
  await first.exited;
  expect(await (await fetch(`${second.url}/health`)).json()).toMatchObject({ db: 'ok' });
  expect(await second.stop()).toBe(0);
  expect(alive(postmaster)).toBe(false);
}, 180_000);

test('a port taken by another program stops the instance with an error naming the port', async () => {
  const pgPort = await freePort();
  const sockets = new Set<Socket>();
  const squatter: Server = createServer((socket) => {
    sockets.add(socket);
    socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
  });
  await new Promise<void>((resolve) => squatter.listen(pgPort, '127.0.0.1', resolve));
  cleanups.push(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => squatter.close(() => resolve()));
  });

  const instance = await startInstance(path.join(dir, 'squatted'), pgPort);
  expect(await instance.exited).toBe(1);
  expect(instance.output()).toContain(`port ${pgPort} is in use by a program that is not PostgreSQL`);
  expect(instance.output()).toContain('DATABASE_URL');
}, 60_000);

test("another data dir's embedded PostgreSQL on the port is named, not used", async () => {
  const pgPort = await freePort();
  const other = await startEmbeddedPostgres({ dataDir: path.join(dir, 'other-checkout'), port: pgPort });
  cleanups.push(() => other.stop());
  const attempt = startEmbeddedPostgres({ dataDir: path.join(dir, 'this-checkout'), port: pgPort });
  await expect(attempt).rejects.toBeInstanceOf(EmbeddedPortTakenError);
  await expect(attempt).rejects.toThrow(path.join(dir, 'other-checkout'));
}, 120_000);

test('two first starts at once on a fresh data dir share one server', async () => {
  const dataDir = path.join(dir, 'race');
  const pgPort = await freePort();
  const [a, b] = await Promise.all([
    startEmbeddedPostgres({ dataDir, port: pgPort }),
    startEmbeddedPostgres({ dataDir, port: pgPort }),
  ]);
  const postmaster = postmasterPid(dataDir);
  await a.stop();
  expect(alive(postmaster)).toBe(true);
  expect(await query(pgPort, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
  await b.stop();
  expect(alive(postmaster)).toBe(false);
}, 120_000);
