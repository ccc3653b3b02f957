/**
 * A web server the test owns: `next start` of a production build of this app (by default
 * the one under test) that the test can stop and start again on the same origin, e.g. to
 * take the network away for real or to deploy another build in its place.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const nextBin = path.resolve(webDir, '../../node_modules/next/dist/bin/next');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export class WebServer {
  private child: ChildProcess | null = null;
  /** `distDir`: the build's directory under apps/web (next.config.mjs reads CLAPPER_NEXT_DIST). */
  constructor(
    readonly port: number,
    private readonly apiUrl: string,
    private readonly distDir?: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, [nextBin, 'start', '-p', String(this.port), '-H', '127.0.0.1'], {
      cwd: webDir,
      env: {
        ...process.env,
        NEXT_TELEMETRY_DISABLED: '1',
        SERVER_URL: this.apiUrl,
        ...(this.distDir ? { CLAPPER_NEXT_DIST: this.distDir } : {}),
      },
      stdio: 'ignore',
    });
    this.child = child;
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode})`);
      try {
        if ((await fetch(this.url)).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${this.url} did not answer within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}
