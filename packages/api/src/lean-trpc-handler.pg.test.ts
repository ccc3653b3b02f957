import type { IncomingMessage, ServerResponse } from 'node:http';
import net from 'node:net';
import { pushLimits } from '@clapper/schema';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createRecordingLogger } from '@clapper/log';
import { type TestServer, startTestServer } from './test-server.ts';

/**
 * The lean path serves unbatched `sync.push` / `sync.pull`; a batch of one goes through
 * tRPC's standard adapter. Both must answer alike: same status, same JSON, same headers
 * a client reads.
 */
let server: TestServer;
let token: string;
let outsiderToken: string;
let projectId: string;
const { logger, lines } = createRecordingLogger('warn');

beforeAll(async () => {
  server = await startTestServer({ logger });
  token = (await server.signIn('ad@example.com')).token;
  outsiderToken = (await server.signIn('outsider@example.com')).token;
  projectId = (await server.createProject(token, 'Short Film')).id;
});
afterAll(async () => {
  await server?.close();
});

interface Answer {
  status: number;
  contentType: string | null;
  vary: string | null;
  body: unknown;
}

async function answerOf(response: Response, batched: boolean): Promise<Answer> {
  const body = (await response.json()) as unknown;
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    vary: response.headers.get('vary'),
    body: batched ? (body as unknown[])[0] : body,
  };
}

function headersFor(bearer: string | null): Record<string, string> {
  return { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) };
}

/** The same mutation unbatched (lean path) and as a batch of one (standard adapter). */
async function pushBothWays(body: string, bearer: string | null = token): Promise<[Answer, Answer]> {
  const lean = await fetch(`${server.url}/trpc/sync.push`, { method: 'POST', headers: headersFor(bearer), body });
  const standard = await fetch(`${server.url}/trpc/sync.push?batch=1`, {
    method: 'POST',
    headers: headersFor(bearer),
    body: `{"0":${body}}`,
  });
  return [await answerOf(lean, false), await answerOf(standard, true)];
}

async function pullBothWays(input: unknown, bearer: string | null = token): Promise<[Answer, Answer]> {
  const headers = bearer ? { authorization: `Bearer ${bearer}` } : undefined;
  const query = (value: unknown) => (input === undefined ? '' : `input=${encodeURIComponent(JSON.stringify(value))}`);
  const lean = await fetch(`${server.url}/trpc/sync.pull?${query(input)}`, { headers });
  const standard = await fetch(`${server.url}/trpc/sync.pull?batch=1&${query({ 0: input })}`, { headers });
  return [await answerOf(lean, false), await answerOf(standard, true)];
}

const push = (
  pushId: string,
  changes: unknown = {
    scenes: { created: [{ id: 'sc1', heading: 'EXT. PIER - NIGHT', sort_key: 'a0' }], updated: [], deleted: [] },
  },
) => JSON.stringify({ projectId, pushId, lastPulledAt: null, changes });

test('[E7] a push answers alike on both paths: the retry through the standard adapter gets the same timestamp', async () => {
  const [lean, standard] = await pushBothWays(push('same-push'));
  expect(lean.status).toBe(200);
  expect(lean.body).toEqual({ result: { data: { timestamp: expect.any(Number) } } });
  expect(standard).toEqual(lean);
});

test('[E7] a pull answers alike on both paths', async () => {
  const [lean, standard] = await pullBothWays({ projectId, lastPulledAt: null });
  expect(lean.status).toBe(200);
  expect(
    (lean.body as { result: { data: { changes: { scenes: { created: unknown[] } } } } }).result.data.changes.scenes
      .created,
  ).toHaveLength(1);
  expect(standard).toEqual(lean);
});

test('[E7][E2][R6] errors answer alike on both paths: signed out, not a member, bad input', async () => {
  const cases: Array<[string, Promise<[Answer, Answer]>, number]> = [
    ['push without a token', pushBothWays(push('p-1'), null), 401],
    ['push by a non-member', pushBothWays(push('p-2'), outsiderToken), 403],
    ['push with a bad table', pushBothWays(push('p-3', { props: { created: [], updated: [], deleted: [] } })), 400],
    [
      'push with a bad shape',
      pushBothWays(JSON.stringify({ projectId, pushId: '', lastPulledAt: -1, changes: null })),
      400,
    ],
    ['pull by a non-member', pullBothWays({ projectId, lastPulledAt: null }, outsiderToken), 403],
    ['pull with a bad lastPulledAt', pullBothWays({ projectId, lastPulledAt: 'yesterday' }), 400],
    ['pull with no input', pullBothWays(undefined), 400],
  ];
  for (const [name, answers, status] of cases) {
    const [lean, standard] = await answers;
    expect(lean.status, name).toBe(status);
    expect((lean.body as { error: { message: string } }).error.message.length, name).toBeGreaterThan(0);
    expect(standard, name).toEqual(lean);
  }
});

test('[E7][E3][U8] a push body over 10 MB is 413 PAYLOAD_TOO_LARGE naming the limit on the lean path, as on the standard one, and writes nothing', async () => {
  const created = Array.from({ length: 220 }, (_, i) => ({
    id: `huge-${i}`,
    heading: 'x'.repeat(50_000),
    sort_key: 'a0',
  }));
  const [lean, standard] = await pushBothWays(push('too-big', { scenes: { created, updated: [], deleted: [] } }));
  expect(lean.status).toBe(413);
  expect(lean.body).toMatchObject({
    error: {
      message: `a request body may be at most ${pushLimits.maxBytes} bytes`,
      data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413, path: 'sync.push' },
    },
  });
  expect(standard.status).toBe(413);
  expect(standard.body).toMatchObject({
    error: { message: `a request body may be at most ${pushLimits.maxBytes} bytes` },
  });
  const rows = await server.db.pool.query("SELECT count(*)::int AS n FROM scenes WHERE id LIKE 'huge-%'");
  expect(rows.rows[0].n).toBe(0);
});

test('[E7][E3] a body or query that is not JSON is 400 on the lean path, as on the standard one, and writes nothing', async () => {
  const appliedPushes = async () =>
    (await server.db.pool.query('SELECT count(*)::int AS n FROM applied_pushes')).rows[0].n as number;
  const before = await appliedPushes();
  const lean = await fetch(`${server.url}/trpc/sync.push`, {
    method: 'POST',
    headers: headersFor(token),
    body: '{"projectId": ',
  });
  const standard = await fetch(`${server.url}/trpc/sync.push?batch=1`, {
    method: 'POST',
    headers: headersFor(token),
    body: '{"0":{"projectId": ',
  });
  const pull = await fetch(`${server.url}/trpc/sync.pull?input=${encodeURIComponent('{nope')}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const standardPull = await fetch(`${server.url}/trpc/sync.pull?batch=1&input=${encodeURIComponent('{"0":{nope')}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  for (const [name, response] of [
    ['push', lean],
    ['batched push', standard],
    ['pull', pull],
    ['batched pull', standardPull],
  ] as const) {
    expect(response.status, name).toBe(400);
    const body = (await response.json()) as
      | { error: { message: string; data: { code: string } } }
      | Array<{ error: { message: string; data: { code: string } } }>;
    const { error } = Array.isArray(body) ? body[0]! : body;
    // JSON.parse's own words (its positions differ between the two bodies).
    expect(error.data.code, name).toBe('BAD_REQUEST');
    expect(error.message, name).toMatch(/JSON/);
  }
  expect(await appliedPushes()).toBe(before);
});

test('[E7] a device that drops its connection halfway through a push body is no server error, and writes nothing', async () => {
  const url = new URL(server.url);
  const body = push('cut-off', {
    scenes: { created: [{ id: 'half-sent', heading: 'INT. TUNNEL', sort_key: 'a0' }], updated: [], deleted: [] },
  });
  // Events of the server itself: it has the request, then it is done with it.
  const received = new Promise<ServerResponse>((resolve) =>
    server.server.http.once('request', (_req: IncomingMessage, res: ServerResponse) => resolve(res)),
  );
  const socket = net.connect({ host: url.hostname, port: Number(url.port) });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(
    `POST /trpc/sync.push HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 40)}`,
  );
  const res = await received;
  const done = new Promise<void>((resolve) => res.once('close', () => resolve()));
  socket.destroy();
  await done;
  // Whatever the handler does on the way out runs in the same turn of the event loop.
  await new Promise((resolve) => setImmediate(resolve));
  expect(lines.filter((line) => line.level === 'error').map((line) => line.msg)).toEqual([]);
  const rows = await server.db.pool.query("SELECT count(*)::int AS n FROM scenes WHERE id = 'half-sent'");
  expect(rows.rows[0].n).toBe(0);
  // The server goes on serving pushes.
  const [lean] = await pushBothWays(push('after-cut-off'));
  expect(lean.status).toBe(200);
});
