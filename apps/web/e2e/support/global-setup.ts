/**
 * Starts what the browser tests drive: a real Clapper server (server-harness.ts, fresh
 * database) and the production web app (`next build --webpack` once, when the build is
 * missing or older than the sources, then `next start` on a free port). Shares their
 * URLs with the tests through CLAPPER_E2E.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { freePort } from './web-server.ts';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const repoRoot = path.resolve(webDir, '../..');
const nextBin = path.join(repoRoot, 'node_modules', 'next', 'dist', 'bin', 'next');

export interface E2eEnv {
  webUrl: string;
  apiUrl: string;
  controlUrl: string;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function buildIsStale(): boolean {
  const buildId = path.join(webDir, process.env.CLAPPER_NEXT_DIST || '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return true;
  if (process.env.E2E_SKIP_BUILD === '1') return false;
  const built = statSync(buildId).mtimeMs;
  const sources = [
    path.join(webDir, 'src'),
    ...['domain', 'schema', 'sync-client', 'collab'].map((p) => path.join(repoRoot, 'packages', p, 'src')),
  ];
  return sources.some((dir) => existsSync(dir) && newestMtime(dir) > built);
}

function waitForLine(child: ChildProcess, prefix: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for "${prefix}"`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith(prefix));
      if (line) {
        clearTimeout(timer);
        resolve(line.slice(prefix.length).trim());
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`process exited (${code}) before "${prefix}"`));
    });
  });
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const children: ChildProcess[] = [];
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
  if (buildIsStale()) {
    const build = spawnSync(process.execPath, [nextBin, 'build', '--webpack'], { cwd: webDir, env, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('next build failed');
  }

  const harness = spawn(process.execPath, ['--import', 'tsx', path.join(webDir, 'e2e/support/server-harness.ts')], {
    cwd: repoRoot,
    env: { ...env, E2E_API_PORT: String(await freePort()) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(harness);
  const { apiUrl, controlUrl } = JSON.parse(await waitForLine(harness, 'READY ', 120_000)) as E2eEnv;

  const webPort = await freePort();
  const web = spawn(process.execPath, [nextBin, 'start', '-p', String(webPort), '-H', '127.0.0.1'], {
    cwd: webDir,
    env: { ...env, SERVER_URL: apiUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(web);
  const webUrl = `http://127.0.0.1:${webPort}`;
  await waitForHttp(webUrl, 60_000);

  process.env.CLAPPER_E2E = JSON.stringify({ webUrl, apiUrl, controlUrl } satisfies E2eEnv);

  return async () => {
    for (const child of children.reverse()) {
      if (child.exitCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    }
  };
}
