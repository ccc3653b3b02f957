// The parts the chaos suite breaks: a PostgreSQL and a Redis of its own (never the shared
// ones: other ports, a temp dir) and server instances as real processes (apps/server), each
// on a fixed port so that clients find it again after a restart.
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { type EmbeddedDatabase, repoRoot, startEmbeddedPostgres } from '@clapper/db';
import { type TestRedis, startTestRedis } from '@clapper/pubsub';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** A PostgreSQL in a temp dir that can be stopped and started again with its data. */
export class ChaosPostgres {
  private running: EmbeddedDatabase | null = null;

  private constructor(
    private readonly dir: string,
    readonly port: number,
  ) {}

  static async start(): Promise<ChaosPostgres> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'clapper-chaos-'));
    // As root, PostgreSQL runs as the postgres user, who must reach the data dir inside.
    chmodSync(dir, 0o755);
    const postgres = new ChaosPostgres(dir, await freePort());
    try {
      await postgres.up();
    } catch (error) {
      postgres.remove();
      throw error;
    }
    return postgres;
  }

  get url(): string {
    return `postgresql://postgres:postgres@127.0.0.1:${this.port}/postgres`;
  }

  async up(): Promise<void> {
    if (this.running) return;
    this.running = await startEmbeddedPostgres({ dataDir: path.join(this.dir, 'data'), port: this.port });
  }

  /** A fast shutdown (SIGINT): connections are cut, committed data stays. */
  async down(): Promise<void> {
    const running = this.running;
    this.running = null;
    await running?.stop();
  }

  async destroy(): Promise<void> {
    await this.down().catch(() => undefined);
    this.remove();
  }

  private remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** One `apps/server` process, restartable on its port. Sign-in codes come from its log. */
export class ServerInstance {
  private child: ChildProcess | null = null;
  private readonly codes = new Map<string, string>();
  /** Exits nobody asked for (a crash), each with the end of the log before it. */
  readonly crashes: string[] = [];

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== null;
  }

  async start(): Promise<void> {
    if (this.child) return;
    const proc = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'apps/server/src/main.ts')], {
      cwd: repoRoot,
      env: { ...process.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1', SMTP_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = proc;
    // However this process ends, the server does not outlive it.
    const killOnExit = () => proc.kill('SIGKILL');
    process.once('exit', killOnExit);
    proc.once('exit', () => process.off('exit', killOnExit));
    let tail = '';
    const listening = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name} did not start in 120 s:\n${tail}`)), 120_000);
      createInterface({ input: proc.stdout! }).on('line', (line) => {
        tail = `${tail}${line}\n`.slice(-4_000);
        // CHAOS_SERVER_LOG=<dir> keeps every instance's log, for a run that found something.
        if (process.env.CHAOS_SERVER_LOG)
          appendFileSync(path.join(process.env.CHAOS_SERVER_LOG, `${this.name.replace(' ', '-')}.log`), `${line}\n`);
        const code = /sign-in code for (\S+): (\d{6})/.exec(line);
        if (code?.[1] && code[2]) this.codes.set(code[1], code[2]);
        if (line.includes('listening on')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.stderr?.on('data', (chunk: Buffer) => {
        tail = `${tail}${chunk.toString()}`.slice(-4_000);
      });
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        // kill() lets go of the child first: still ours here means it ended by itself.
        if (this.child === proc) {
          this.child = null;
          this.crashes.push(`${this.name} exited by itself (${code ?? signal}); its log ended:\n${tail.slice(-1_500)}`);
        }
        reject(new Error(`${this.name} exited (${code ?? signal}) before listening:\n${tail}`));
      });
    });
    listening.catch(() => proc.kill('SIGKILL'));
    await listening;
  }

  /** SIGKILL: no shutdown, no drain. Resolves once the process is gone. */
  async kill(): Promise<void> {
    const proc = this.child;
    this.child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGKILL');
    await exited;
  }

  codeFor(email: string): string | undefined {
    return this.codes.get(email);
  }
}

/** PostgreSQL, Redis and the server instances, torn down together however the run ends. */
export class Cluster {
  private constructor(
    readonly postgres: ChaosPostgres,
    readonly redis: TestRedis,
    readonly servers: ServerInstance[],
  ) {}

  static async start(instances: number): Promise<Cluster> {
    const postgres = await ChaosPostgres.start();
    let redis: TestRedis | null = null;
    const servers: ServerInstance[] = [];
    try {
      redis = await startTestRedis();
      for (let i = 0; i < instances; i += 1) {
        const env = { DATABASE_URL: postgres.url, REDIS_URL: redis.url, LOG_LEVEL: 'info' };
        servers.push(new ServerInstance(`server ${String.fromCharCode(65 + i)}`, await freePort(), env));
      }
      // One at a time: each migrates the database first.
      for (const server of servers) await server.start();
      return new Cluster(postgres, redis, servers);
    } catch (error) {
      await Promise.all(servers.map((server) => server.kill()));
      await redis?.stop();
      await postgres.destroy();
      throw error;
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.kill()));
    await this.redis.stop();
    await this.postgres.destroy();
  }
}
