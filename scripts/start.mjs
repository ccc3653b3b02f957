#!/usr/bin/env node
// `npm start`: the whole app on one machine. Builds the web app once (when apps/web/.next
// is missing), then runs the server (`npm run server`: embedded PostgreSQL under .data/
// when DATABASE_URL is unset, migrations, tRPC + WebSockets on PORT) and `next start` on
// WEB_PORT pointed at it. Ctrl+C / SIGTERM stop both.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webDir = path.join(root, 'apps', 'web');
const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const port = process.env.PORT || '4000';
const webPort = process.env.WEB_PORT || '3000';
const serverUrl = process.env.SERVER_URL || `http://localhost:${port}`;
const env = { ...process.env, PORT: port, WEB_PORT: webPort, SERVER_URL: serverUrl, NEXT_TELEMETRY_DISABLED: '1' };

if (!existsSync(path.join(webDir, process.env.CLAPPER_NEXT_DIST || '.next', 'BUILD_ID'))) {
  console.log('Building the web app (first start only)…');
  const build = spawnSync(process.execPath, [nextBin, 'build', '--webpack'], { cwd: webDir, env, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('The web app failed to build; see the output above.');
    process.exit(build.status ?? 1);
  }
}

const children = new Map();
let stopping = false;

function stopAll(signal) {
  if (stopping) return;
  stopping = true;
  for (const child of children.values()) if (child.exitCode === null) child.kill(signal);
  // A child that ignores the signal must not keep the terminal hostage.
  setTimeout(() => {
    for (const child of children.values()) if (child.exitCode === null) child.kill('SIGKILL');
    process.exit(1);
  }, 15_000).unref();
}

function run(name, command, args, options) {
  const child = spawn(command, args, { env, stdio: 'inherit', ...options });
  children.set(name, child);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping Clapper.`);
      process.exitCode = code ?? 1;
      stopAll('SIGTERM');
    }
    if (children.size === 0) process.exit(process.exitCode ?? 0);
  });
  return child;
}

async function waitFor(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      const response = await fetch(url);
      if (response.status < 500) return true;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return false;
}

process.on('SIGINT', () => stopAll('SIGINT'));
process.on('SIGTERM', () => stopAll('SIGTERM'));

run('server', npm, ['run', 'server'], { cwd: root });
run('web', process.execPath, [nextBin, 'start', '-p', webPort], { cwd: webDir });

const [serverUp, webUp] = await Promise.all([
  waitFor(`http://127.0.0.1:${port}/health`, 180_000),
  waitFor(`http://127.0.0.1:${webPort}/`, 120_000),
]);
if (serverUp && webUp) console.log(`\nClapper is running: open http://localhost:${webPort}\n`);
else if (!stopping) console.error('Clapper did not come up in time; see the logs above.');
