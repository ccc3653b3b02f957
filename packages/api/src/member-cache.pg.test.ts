import { afterAll, beforeAll, expect, test } from 'vitest';
import { type TestServer, startTestServer } from './test-server.ts';

/**
 * R7 end to end: grants are cached per instance, and a role change reaches every
 * instance's cache (at once here, through Redis there, within the TTL at worst).
 */
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

let first: TestServer;
let second: TestServer;
let isolated: TestServer;
let owner: string;

beforeAll(async () => {
  first = await startTestServer({ redisUrl });
  second = await startTestServer({ redisUrl, db: first.db, mailer: first.mailer });
  // No Redis: it never hears of role changes made elsewhere, so only its short TTL helps.
  isolated = await startTestServer({ db: first.db, mailer: first.mailer, memberCacheTtlMs: 300 });
  owner = (await first.signIn('producer@example.com')).token;
});
afterAll(async () => {
  await isolated?.close();
  await second?.close();
  await first?.close();
});

let pushes = 0;
function push(server: TestServer, token: string, projectId: string) {
  pushes += 1;
  return server.client(token).sync.push.mutate({
    projectId,
    pushId: `member-cache-${pushes}`,
    lastPulledAt: null,
    changes: {
      scenes: { created: [{ id: `scene-${pushes}`, heading: 'INT. OFFICE - DAY' }], updated: [], deleted: [] },
    },
  });
}

async function refusal(attempt: Promise<unknown>): Promise<string | null> {
  try {
    await attempt;
    return null;
  } catch (error) {
    return (error as { data?: { code?: string } }).data?.code ?? String(error);
  }
}

async function editorOnNewProject(email: string) {
  const projectId = (await first.createProject(owner, `Project for ${email}`)).id;
  await first.addMember(owner, projectId, email, 'editor');
  const token = (await first.signIn(email)).token;
  return { projectId, token };
}

test('[R7][R4] an editor made viewer is refused on the next push by the same instance', async () => {
  const { projectId, token } = await editorOnNewProject('ac1@example.com');
  await push(first, token, projectId);
  await push(first, token, projectId);
  await first.addMember(owner, projectId, 'ac1@example.com', 'viewer');
  expect(await refusal(push(first, token, projectId))).toBe('FORBIDDEN');
  // Still a member: pulls go on.
  await expect(first.client(token).sync.pull.query({ projectId, lastPulledAt: null })).resolves.toBeDefined();
});

test('[R7][S5] a role change on one instance reaches the cache of another through Redis', async () => {
  const { projectId, token } = await editorOnNewProject('ac2@example.com');
  await push(second, token, projectId);
  await first.addMember(owner, projectId, 'ac2@example.com', 'viewer');
  const deadline = Date.now() + 2_000;
  let answer: string | null = null;
  while (Date.now() < deadline && (answer = await refusal(push(second, token, projectId))) === null) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(answer).toBe('FORBIDDEN');
});

test('[R7] an instance that never hears of the change acts on the old role for at most its TTL', async () => {
  const { projectId, token } = await editorOnNewProject('ac3@example.com');
  await push(isolated, token, projectId);
  await first.addMember(owner, projectId, 'ac3@example.com', 'viewer');
  const changedAt = Date.now();
  let answer: string | null = null;
  while ((answer = await refusal(push(isolated, token, projectId))) === null && Date.now() - changedAt < 3_000) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(answer).toBe('FORBIDDEN');
  // The TTL plus slack for a slow machine; without the TTL it would never be refused.
  expect(Date.now() - changedAt).toBeLessThan(300 + 1_200);
});

test('[R7] a new member is let in at once: refusals are never cached', async () => {
  const projectId = (await first.createProject(owner, 'Late hire')).id;
  const token = (await first.signIn('ac4@example.com')).token;
  expect(await refusal(push(second, token, projectId))).toBe('FORBIDDEN');
  await first.addMember(owner, projectId, 'ac4@example.com', 'editor');
  expect(await refusal(push(second, token, projectId))).toBeNull();
});
