/**
 * A real Clapper server for the browser tests, in its own process: a fresh database,
 * a capturing mailer, and a small control endpoint the tests use to read sign-in codes
 * and to stop/restart the server on the same port (the "server is down" story).
 *
 * Prints one line `READY {"apiUrl":…,"controlUrl":…}` when listening.
 */
import { createServer } from 'node:http';
import path from 'node:path';
import { type TestServer, createCapturingMailer, startTestServer } from '@clapper/api';
import { type EmbeddedDatabase, createTestDatabase, repoRoot, startEmbeddedPostgres } from '@clapper/db';

const apiPort = Number(process.env.E2E_API_PORT ?? 0);
const host = '127.0.0.1';

async function main(): Promise<void> {
  let embedded: EmbeddedDatabase | null = null;
  if (!process.env.DATABASE_URL && !process.env.CLAPPER_TEST_ADMIN_URL) {
    embedded = await startEmbeddedPostgres({ dataDir: path.join(repoRoot, '.data', 'e2e-postgres'), port: 54_331 });
    process.env.CLAPPER_TEST_ADMIN_URL = embedded.url;
  }
  const db = await createTestDatabase();
  const mailer = createCapturingMailer();
  let server: TestServer | null = await startTestServer({ db, mailer, port: apiPort, host });
  const port = server.server.port;

  const control = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://control');
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    void (async () => {
      try {
        if (url.pathname === '/code') {
          return reply(200, { code: mailer.lastCode(url.searchParams.get('email') ?? '') ?? null });
        }
        if (url.pathname === '/stop' && req.method === 'POST') {
          await server?.close();
          server = null;
          return reply(200, { running: false });
        }
        if (url.pathname === '/start' && req.method === 'POST') {
          server ??= await startTestServer({ db, mailer, port, host });
          return reply(200, { running: true });
        }
        if (url.pathname === '/sign-in' && req.method === 'POST') {
          if (!server) return reply(503, { error: 'server stopped' });
          return reply(200, await server.signIn(url.searchParams.get('email') ?? ''));
        }
        return reply(404, { error: 'unknown control path' });
      } catch (error) {
        return reply(500, { error: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
  await new Promise<void>((resolve) => control.listen(0, host, resolve));
  const address = control.address();
  const controlPort = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(
    `READY ${JSON.stringify({ apiUrl: `http://${host}:${port}`, controlUrl: `http://${host}:${controlPort}` })}\n`,
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    control.close();
    await server?.close().catch(() => undefined);
    await db.drop().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  // The runner died without a signal: don't outlive it.
  process.stdin.on('end', () => void stop());
  process.stdin.resume();
}

main().catch((error: unknown) => {
  console.error('e2e server harness failed:', error);
  process.exit(1);
});
