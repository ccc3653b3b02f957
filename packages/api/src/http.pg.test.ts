import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type TestServer, startTestServer } from './test-server.ts';

let server: TestServer;
let token: string;
let projectId: string;

beforeAll(async () => {
  server = await startTestServer();
  token = (await server.signIn('dp@example.com')).token;
  projectId = (await server.createProject(token, 'Music Video')).id;
});
afterAll(async () => {
  await server?.close();
});

function post(path: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
  });
}

async function sceneCount(): Promise<number> {
  const rows = await server.db.pool.query('SELECT count(*)::int AS n FROM scenes WHERE project_id = $1', [projectId]);
  return rows.rows[0].n as number;
}

test('[E3] malformed JSON is 400 with a tRPC error body, not 500', async () => {
  const response = await post('/trpc/sync.push', '{"projectId": ');
  expect(response.status).toBe(400);
  const body = (await response.json()) as { error: { data: { code: string } } };
  expect(body.error.data.code).toBe('BAD_REQUEST');
  expect(await sceneCount()).toBe(0);
});

test('[E3] wrong shapes are 400 naming the problem', async () => {
  for (const body of [
    '[]',
    '"push"',
    'null',
    '42',
    '{"projectId": 7}',
    JSON.stringify({ projectId, pushId: 'x', lastPulledAt: null, changes: 'all of them' }),
  ]) {
    const response = await post('/trpc/sync.push', body);
    expect(response.status, body).toBe(400);
    const json = (await response.json()) as { error: { message: string } };
    expect(json.error.message.length, body).toBeGreaterThan(0);
    expect(json.error.message).not.toMatch(/internal/i);
  }
  expect(await sceneCount()).toBe(0);
});

test('[E3] unknown procedures are 404, a mutation over GET is 405, unknown paths are 404', async () => {
  expect((await post('/trpc/sync.destroyEverything', '{}')).status).toBe(404);
  expect((await fetch(`${server.url}/trpc/sync.push`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(
    405,
  );
  expect((await fetch(`${server.url}/admin`)).status).toBe(404);
});

test('[E3] a body over 10 MB is 413 PAYLOAD_TOO_LARGE and changes nothing', async () => {
  const heading = 'x'.repeat(50_000);
  const created = Array.from({ length: 220 }, (_, i) => ({ id: `big-${i}`, heading }));
  const body = JSON.stringify({
    projectId,
    pushId: 'too-big',
    lastPulledAt: null,
    changes: { scenes: { created, updated: [], deleted: [] } },
  });
  expect(body.length).toBeGreaterThan(10 * 1024 * 1024);
  const response = await post('/trpc/sync.push', body);
  expect(response.status).toBe(413);
  const json = (await response.json()) as { error: { data: { code: string } } };
  expect(json.error.data.code).toBe('PAYLOAD_TOO_LARGE');
  expect(await sceneCount()).toBe(0);
});

test('[E3] an oversized header block is 431, not a crash', async () => {
  const response = await fetch(`${server.url}/health`, { headers: { 'x-junk': 'y'.repeat(64 * 1024) } }).catch(
    (error: Error) => error,
  );
  if (response instanceof Error) throw response;
  expect(response.status).toBe(431);
  expect((await fetch(`${server.url}/health`)).status).toBe(200);
});

test('[E3] a client still sending its oversized headers when the 431 leaves gets the 431, not a reset', async () => {
  // The parser reports the overflow again for each later chunk; the server must not then drop
  // the connection with the client's data unread, which resets it and loses the answer.
  const socket = connect({ port: Number(new URL(server.url).port), host: '127.0.0.1', allowHalfOpen: true });
  const closed = new Promise((resolve) => socket.once('close', resolve));
  const writeErrors: string[] = [];
  let answer = '';
  socket.on('error', (error) => writeErrors.push(String(error)));
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
  socket.pause(); // a busy client: it reads its answer only after writing its request
  socket.write(`GET /health HTTP/1.1\r\nHost: x\r\nX-Junk: ${'y'.repeat(20_000)}`);
  for (let chunk = 0; chunk < 3; chunk += 1) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.write('y'.repeat(100_000));
  }
  socket.resume();
  await new Promise((resolve) => setTimeout(resolve, 200));
  socket.end();
  await closed;
  expect(writeErrors).toEqual([]);
  expect(answer).toMatch(/^HTTP\/1\.1 431 /);
});

test('[E3] a batch answers each call on its own', async () => {
  const response = await fetch(`${server.url}/trpc/auth.me,projects.list?batch=1&input=${encodeURIComponent('{}')}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  const [me, list] = (await response.json()) as Array<{ result: { data: unknown } }>;
  expect(me?.result.data).toMatchObject({ email: 'dp@example.com' });
  expect(list?.result.data).toEqual([{ id: projectId, name: 'Music Video', role: 'owner' }]);
});

test('[E3] a batch of more than 100 calls is 400, not 500', async () => {
  const paths = Array.from({ length: 101 }, () => 'auth.me').join(',');
  const response = await fetch(`${server.url}/trpc/${paths}?batch=1&input=${encodeURIComponent('{}')}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(400);
});

test('[E3] no input of any shape, to any procedure, gets a 5xx', async () => {
  const mutations = ['auth.requestCode', 'auth.verifyCode', 'projects.create', 'projects.addMember', 'sync.push'];
  const queries = ['auth.me', 'projects.list', 'sync.pull'];
  // Inputs shaped like the real ones (so validation goes deep), mixed with arbitrary JSON.
  const nearlyValid = fc.record(
    {
      email: fc.oneof(fc.emailAddress(), fc.string()),
      code: fc.oneof(fc.stringMatching(/^\d{6}$/), fc.string()),
      name: fc.string(),
      projectId: fc.oneof(fc.constant(projectId), fc.string()),
      role: fc.oneof(fc.constantFrom('owner', 'editor', 'viewer'), fc.string()),
      pushId: fc.string(),
      lastPulledAt: fc.oneof(fc.constant(null), fc.integer(), fc.double()),
      changes: fc.jsonValue(),
    },
    { requiredKeys: [] },
  );
  await fc.assert(
    fc.asyncProperty(fc.boolean(), fc.nat(), fc.oneof(fc.jsonValue(), nearlyValid), async (isMutation, pick, input) => {
      const list = isMutation ? mutations : queries;
      const procedure = list[pick % list.length] ?? 'auth.me';
      const response = isMutation
        ? await post(`/trpc/${procedure}`, JSON.stringify(input) ?? 'null')
        : await fetch(`${server.url}/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input) ?? 'null')}`, {
            headers: { authorization: `Bearer ${token}` },
          });
      await response.arrayBuffer();
      expect(response.status, `${procedure} ${JSON.stringify(input)}`).toBeLessThan(500);
    }),
    { numRuns: 150 },
  );
});

test('[E4] CORS preflight is answered 204 and responses allow any origin', async () => {
  const preflight = await fetch(`${server.url}/trpc/sync.push`, {
    method: 'OPTIONS',
    headers: {
      origin: 'http://localhost:3000',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/);
  expect(preflight.headers.get('access-control-allow-methods')).toMatch(/POST/);
  const health = await fetch(`${server.url}/health`, { headers: { origin: 'http://localhost:3000' } });
  expect(health.headers.get('access-control-allow-origin')).toBe('*');
});

test('[E5] /health is 200 ok while the database answers', async () => {
  const response = await fetch(`${server.url}/health`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok', db: 'ok' });
});

test('[E5] /health is 503 db down when the database is gone, and the server keeps answering', async () => {
  const doomed = await startTestServer();
  try {
    expect((await fetch(`${doomed.url}/health`)).status).toBe(200);
    await doomed.db.drop();
    const response = await fetch(`${doomed.url}/health`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ db: 'down' });
    // A procedure that needs the database says "try again" (503), not a bug (500), and the process lives on.
    const me = await fetch(`${doomed.url}/trpc/auth.me`, { headers: { authorization: 'Bearer whatever' } });
    expect(me.status).toBe(503);
    expect(((await me.json()) as { error: { data: { code: string } } }).error.data.code).toBe('SERVICE_UNAVAILABLE');
    expect((await fetch(`${doomed.url}/health`)).status).toBe(503);
  } finally {
    await doomed.close();
  }
});

const sampleLine =
  /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.]+(e[+-]?[0-9]+)?|\+Inf|NaN)$/;

test('[E6] /metrics is Prometheus text with request, sync and socket figures', async () => {
  await server.client(token).sync.push.mutate({
    projectId,
    pushId: `metrics-${Date.now()}`,
    lastPulledAt: null,
    changes: { scenes: { created: [{ id: 'm1' }, { id: 'm2' }], updated: [], deleted: ['m3'] } },
  });
  await server.client(token).sync.pull.query({ projectId, lastPulledAt: null });
  const response = await fetch(`${server.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  const lines = text.trimEnd().split('\n');
  for (const line of lines) {
    // Blank lines (between metrics) are allowed by the format and ignored by scrapers.
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    expect(line).toMatch(sampleLine);
  }
  for (const name of [
    'clapper_http_requests_total',
    'clapper_http_request_duration_seconds',
    'clapper_sync_pulls_total',
    'clapper_sync_pushes_total',
    'clapper_sync_push_records_total',
    'clapper_nudges_sent_total',
    'clapper_ws_connections',
    'process_uptime_seconds',
  ]) {
    expect(text).toContain(`# TYPE ${name} `);
  }
  expect(text).toMatch(/^clapper_sync_pushes_total\{outcome="ok"\} [1-9]/m);
  expect(text).toMatch(/^clapper_sync_push_records_total 3$/m);
  expect(text).toMatch(/^clapper_http_requests_total\{method="POST",route="\/trpc",status="200"\} [1-9]/m);
  // Histogram buckets are cumulative and end in +Inf == count.
  const buckets = lines.filter(
    (l) => l.startsWith('clapper_http_request_duration_seconds_bucket{') && l.includes('route="/trpc"'),
  );
  expect(buckets.at(-1)).toContain('le="+Inf"');
  const counts = buckets.map((l) => Number(l.split(' ')[1]));
  expect(counts).toEqual([...counts].sort((a, b) => a - b));
  const count = lines.find((l) => l.startsWith('clapper_http_request_duration_seconds_count{route="/trpc"}'));
  expect(Number(count?.split(' ')[1])).toBe(counts.at(-1));
});
