import { request } from 'node:http';
import { CLOSE } from '@clapper/schema';
import { expect, test } from 'vitest';
import { type TestServer, startTestServer } from './test-server.ts';
import { openTestSocket } from './ws-test-client.ts';

async function inFlight(server: TestServer): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('clapper_http_requests_in_flight '));
  // The /metrics request itself is in flight while it renders.
  return Number(line?.split(' ')[1] ?? 0) - 1;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('[L1] close() lets an in-flight push finish and answer, closes sockets with 1001, and refuses new work', async () => {
  const server = await startTestServer();
  let closed = false;
  try {
    const { token } = await server.signIn('director@example.com');
    const { id: projectId } = await server.createProject(token, 'Last day');
    const socket = await openTestSocket(await server.socketUrl('/sync', token));
    socket.send({ type: 'subscribe', projectId });
    await socket.next((m) => m.type === 'subscribed');

    const body = JSON.stringify({
      projectId,
      pushId: 'wrap-push',
      lastPulledAt: null,
      changes: {
        scenes: {
          created: Array.from({ length: 500 }, (_, i) => ({ id: `wrap-${i}`, heading: `INT. SET ${i}` })),
          updated: [],
          deleted: [],
        },
      },
    });
    const half = Math.floor(body.length / 2);
    let pendingRest: () => void = () => undefined;
    // Send the headers and half the body: the server has the request in hand but can't finish it yet.
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${server.url}/trpc/sync.push`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'content-length': Buffer.byteLength(body),
        },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.write(body.slice(0, half));
      pendingRest = () => req.end(body.slice(half));
    });
    await waitFor(async () => (await inFlight(server)) === 1);

    const closing = server.server.close().then(() => (closed = true));
    expect((await socket.closed()).code).toBe(CLOSE.GOING_AWAY);
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
    expect(closed).toBe(false);

    pendingRest();
    const answer = await response;
    expect(answer.status).toBe(200);
    const timestamp = (JSON.parse(answer.text) as { result: { data: { timestamp: number } } }).result.data.timestamp;
    expect(timestamp).toBeGreaterThan(0);
    await closing;
    const rows = await server.db.pool.query(
      "SELECT count(*)::int AS n FROM scenes WHERE project_id = $1 AND id LIKE 'wrap-%'",
      [projectId],
    );
    expect(rows.rows[0].n).toBe(500);
  } finally {
    await server.close();
  }
});

test('[L1] a server that cannot listen (port taken) fails to start with the reason; the running one is untouched', async () => {
  const first = await startTestServer();
  try {
    const port = Number(new URL(first.url).port);
    await expect(startTestServer({ db: first.db, port })).rejects.toThrow(/EADDRINUSE/);
    expect((await fetch(`${first.url}/health`)).status).toBe(200);
  } finally {
    await first.close();
  }
});
