import { request } from 'node:http';
import type { inferRouterInputs } from '@trpc/server';
import fc from 'fast-check';
import WebSocket from 'ws';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { AppRouter } from './router.ts';
import { type TestServer, startTestServer } from './test-server.ts';

/**
 * Fuzz: deeply nested and oversized input, on every tRPC procedure and both sockets,
 * against a real server. Whatever is sent, the answer is a 4xx (or, on a socket, an error
 * message or a close with a code), never a 5xx, and the server goes on serving pushes.
 */
type Inputs = inferRouterInputs<AppRouter>;
type Procedure = { [R in keyof Inputs & string]: `${R}.${keyof Inputs[R] & string}` }[keyof Inputs & string];

// Every procedure of the router (the type makes a missing one a compile error), by method.
const procedures: Record<Procedure, 'query' | 'mutation'> = {
  'auth.requestCode': 'mutation',
  'auth.verifyCode': 'mutation',
  'auth.me': 'query',
  'auth.setName': 'mutation',
  'auth.socketTicket': 'mutation',
  'projects.create': 'mutation',
  'projects.list': 'query',
  'projects.addMember': 'mutation',
  'projects.members': 'query',
  'projects.setRole': 'mutation',
  'projects.removeMember': 'mutation',
  'projects.rename': 'mutation',
  'projects.delete': 'mutation',
  'sync.pull': 'query',
  'sync.push': 'mutation',
};

let server: TestServer;
let token: string;
let projectId: string;
/** The project named in fuzzed input: a call that happens to be valid may rename or delete it. */
let fuzzedProjectId: string;

beforeAll(async () => {
  server = await startTestServer();
  token = (await server.signIn('fuzz@example.com')).token;
  projectId = (await server.createProject(token, 'Kept')).id;
  fuzzedProjectId = (await server.createProject(token, 'Fuzzed')).id;
});
afterAll(async () => {
  await server?.close();
});

/** JSON text nesting `depth` arrays (or objects) around `inner`: JSON.stringify can't build these. */
function nested(depth: number, shape: 'array' | 'object', inner = '1'): string {
  return shape === 'array'
    ? `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}${inner}${'}'.repeat(depth)}`;
}

/** Where the hostile value goes: the whole input, or one field of an otherwise good push. */
const placements = [
  'input',
  'projectId',
  'pushId',
  'lastPulledAt',
  'changes',
  'column',
  'deleted',
  'created',
  'email',
  'name',
  'migration',
] as const;

function inputText(placement: (typeof placements)[number], value: string, project = fuzzedProjectId): string {
  if (placement === 'input') return value;
  const fields: Record<string, string> = {
    projectId: JSON.stringify(project),
    pushId: '"fuzz"',
    lastPulledAt: 'null',
    changes: '{"scenes":{"created":[],"updated":[],"deleted":[]}}',
    email: '"fuzz@example.com"',
    name: '"Fuzz"',
  };
  if (placement === 'column')
    fields.changes = `{"scenes":{"created":[{"id":"s1","heading":${value}}],"updated":[],"deleted":[]}}`;
  else if (placement === 'deleted') fields.changes = `{"scenes":{"created":[],"updated":[],"deleted":[${value}]}}`;
  else if (placement === 'created') fields.changes = `{"scenes":{"created":${value},"updated":[],"deleted":[]}}`;
  else fields[placement] = value;
  return `{${Object.entries(fields)
    .map(([k, v]) => `${JSON.stringify(k)}:${v}`)
    .join(',')}}`;
}

/** One call on a fresh connection (no keep-alive races); resolves with the status as soon as it arrives. */
function call(procedure: Procedure, input: string, batched = false): Promise<number> {
  const url = new URL(server.url);
  const type = procedures[procedure];
  const body = batched ? `{"0":${input}}` : input;
  const query =
    type === 'query' ? `?${batched ? 'batch=1&' : ''}input=${encodeURIComponent(body)}` : batched ? '?batch=1' : '';
  return new Promise((resolve, reject) => {
    const req = request({
      host: url.hostname,
      port: url.port,
      method: type === 'query' ? 'GET' : 'POST',
      path: `/trpc/${procedure}${query}`,
      agent: false,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
    req.once('response', (res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      req.destroy();
    });
    req.once('error', reject);
    if (type === 'mutation') req.end(body);
    else req.end();
  });
}

async function stillServing(): Promise<void> {
  expect((await fetch(`${server.url}/health`)).status).toBe(200);
  const pushed = await server
    .trpc(token)
    .mutation('sync.push', { projectId, pushId: `alive-${Math.random()}`, lastPulledAt: null, changes: {} });
  expect(pushed).toMatchObject({ timestamp: expect.any(Number) });
}

test('[E3][U8] deeply nested input, anywhere in the request, to every procedure, batched or not, is a 4xx, never a 5xx', async () => {
  const arbitrary = fc.record({
    procedure: fc.constantFrom(...(Object.keys(procedures) as Procedure[])),
    placement: fc.constantFrom(...placements),
    depth: fc.constantFrom(1_000, 5_000, 20_000, 200_000),
    shape: fc.constantFrom('array' as const, 'object' as const),
    batched: fc.boolean(),
  });
  await fc.assert(
    fc.asyncProperty(arbitrary, async ({ procedure, placement, depth, shape, batched }) => {
      const status = await call(procedure, inputText(placement, nested(depth, shape)), batched);
      expect(status).toBeGreaterThanOrEqual(200);
      expect(status).toBeLessThan(500);
    }),
    { numRuns: 60 },
  );
  // The case found by the attack run: a member's push nesting 5,000+ arrays in `changes` or a column.
  for (const placement of ['changes', 'column', 'deleted', 'created'] as const) {
    expect(await call('sync.push', inputText(placement, nested(100_000, 'array'), projectId))).toBe(400);
  }
  await stillServing();
});

test('[E3] an oversized body or query to every procedure is a 4xx, never a 5xx', async () => {
  const big = JSON.stringify('x'.repeat(11 * 1024 * 1024));
  for (const procedure of Object.keys(procedures) as Procedure[]) {
    const status = await call(procedure, inputText('name', big));
    // Queries carry input in the URL: an oversized request line is 431/414/400, a body 413.
    expect(status, procedure).toBeGreaterThanOrEqual(400);
    expect(status, procedure).toBeLessThan(500);
  }
  await stillServing();
});

interface Closed {
  code: number;
}

/** Sends each message on one socket; resolves with the replies, or how the server closed it. */
function exchange(
  url: string,
  messages: Array<string | Buffer>,
): Promise<{ replies: string[]; closed: Closed | null }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const replies: string[] = [];
    let settled = false;
    const finish = (closed: Closed | null) => {
      if (settled) return;
      settled = true;
      resolve({ replies, closed });
      ws.terminate();
    };
    ws.on('error', () => undefined);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.on('message', (data, isBinary) => replies.push(isBinary ? '<binary>' : data.toString()));
    ws.once('close', (code) => finish({ code }));
    ws.once('open', () => {
      for (const message of messages) ws.send(message);
      // A ping answered after the messages means the server read them all and lives on.
      ws.ping();
      ws.once('pong', () => setImmediate(() => finish(null)));
    });
  });
}

test('[S4][E3] deeply nested and oversized /sync messages get an error or a close with a code; the server lives on', async () => {
  // A fresh single-use ticket per connection (A8).
  const url = () => server.socketUrl('/sync', token);
  const deep = [
    nested(200_000, 'array'),
    `{"type":"subscribe","projectId":${nested(200_000, 'array', '"x"')}}`,
    nested(100_000, 'object'),
  ];
  const { replies, closed } = await exchange(await url(), deep);
  if (closed) expect(closed.code).not.toBe(1006);
  else expect(replies.filter((r) => JSON.parse(r).code === 'BAD_REQUEST')).toHaveLength(deep.length);
  const oversized = await exchange(await url(), [`{"type":"subscribe","projectId":"${'x'.repeat(2 * 1024 * 1024)}"}`]);
  expect(oversized.closed?.code).toBe(1009);
  await stillServing();
});

test('[E3] deeply nested, random and oversized /yjs messages get a close with a code, or are ignored; the server lives on', async () => {
  // A fresh single-use ticket per connection (A8).
  const url = () => server.socketUrl(`/yjs/project/${projectId}/script/fuzzed`, token);
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.uint8Array({ minLength: 1, maxLength: 64 }), { minLength: 1, maxLength: 5 }),
      async (frames) => {
        const { closed } = await exchange(
          await url(),
          frames.map((f) => Buffer.from(f)),
        );
        if (closed) expect(closed.code).not.toBe(1006);
      },
    ),
    { numRuns: 20 },
  );
  const deep = await exchange(await url(), [nested(200_000, 'array'), Buffer.from(nested(200_000, 'object'))]);
  if (deep.closed) expect(deep.closed.code).not.toBe(1006);
  const oversized = await exchange(await url(), [Buffer.alloc(17 * 1024 * 1024, 1)]);
  expect(oversized.closed?.code).toBe(1009);
  await stillServing();
});
