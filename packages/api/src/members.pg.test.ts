import { CLOSE } from '@clapper/schema';
import WebSocket from 'ws';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type TestServer, startTestServer } from './test-server.ts';
import { failureOf } from './trpc-test-errors.ts';
import { type TestSocket, openTestSocket, upgradeStatus } from './ws-test-client.ts';

// Two real instances over one database and the machine's Redis. Memberships are trusted
// for a minute here (R7's TTL is 5 s in production), so a removal that takes effect on the
// other instance at once can only have travelled through the access-change event.
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

let a: TestServer;
let b: TestServer;
type Person = { token: string; user: { id: string } };
let owner: Person;
let editor: Person;
let viewer: Person;
let stranger: Person;

beforeAll(async () => {
  a = await startTestServer({ redisUrl, memberCacheTtlMs: 60_000 });
  b = await startTestServer({ redisUrl, memberCacheTtlMs: 60_000, db: a.db, mailer: a.mailer });
  owner = await a.signIn('director@example.com');
  editor = await a.signIn('ad@example.com');
  viewer = await a.signIn('producer@example.com');
  stranger = await a.signIn('stranger@example.com');
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

async function projectWithCrew(name: string): Promise<string> {
  const { id } = await a.createProject(owner.token, name);
  await a.addMember(owner.token, id, 'ad@example.com', 'editor');
  await a.addMember(owner.token, id, 'producer@example.com', 'viewer');
  return id;
}

let pushes = 0;
function scenePush(projectId: string, heading: string) {
  pushes += 1;
  return {
    projectId,
    pushId: `members-${pushes}-${Date.now()}`,
    lastPulledAt: null,
    changes: { scenes: { created: [{ id: `scene-${pushes}`, heading }], updated: [], deleted: [] } },
  };
}

/** A raw /yjs socket (the server speaks first; we only watch how it ends). */
async function openYjs(
  server: TestServer,
  projectId: string,
  token: string,
): Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string }> }> {
  const ws = new WebSocket(await server.socketUrl(`/yjs/project/${projectId}/script/main`, token));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('message', () => resolve());
    ws.once('error', reject);
  });
  return { ws, closed };
}

async function subscribed(server: TestServer, token: string, projectId: string): Promise<TestSocket> {
  const socket = await openTestSocket(await server.socketUrl('/sync', token));
  socket.send({ type: 'subscribe', projectId });
  await socket.next((m) => m.type === 'subscribed');
  return socket;
}

test('[R8] any member lists the members with their roles; a stranger is FORBIDDEN', async () => {
  const projectId = await projectWithCrew('Members');
  const expected = [
    { userId: owner.user.id, email: 'director@example.com', name: 'director', role: 'owner' },
    { userId: editor.user.id, email: 'ad@example.com', name: 'ad', role: 'editor' },
    { userId: viewer.user.id, email: 'producer@example.com', name: 'producer', role: 'viewer' },
  ];
  expect(await a.client(owner.token).projects.members.query({ projectId })).toEqual(expected);
  expect(await b.client(viewer.token).projects.members.query({ projectId })).toEqual(expected);
  expect((await failureOf(a.client(stranger.token).projects.members.query({ projectId }))).code).toBe('FORBIDDEN');
});

test('[R8] only an owner changes roles or removes others; anyone may leave; the last owner can neither leave nor be downgraded', async () => {
  const projectId = await projectWithCrew('Roles');
  const api = (who: Person) => a.client(who.token).projects;

  for (const who of [editor, viewer, stranger]) {
    expect((await failureOf(api(who).setRole.mutate({ projectId, userId: viewer.user.id, role: 'editor' }))).code).toBe(
      'FORBIDDEN',
    );
    expect((await failureOf(api(who).removeMember.mutate({ projectId, userId: owner.user.id }))).code).toBe(
      'FORBIDDEN',
    );
  }
  const lastOwnerDown = await failureOf(
    api(owner).setRole.mutate({ projectId, userId: owner.user.id, role: 'editor' }),
  );
  expect(lastOwnerDown).toMatchObject({ code: 'BAD_REQUEST' });
  expect(lastOwnerDown.message).toMatch(/needs an owner/);
  const lastOwnerLeaves = await failureOf(api(owner).removeMember.mutate({ projectId, userId: owner.user.id }));
  expect(lastOwnerLeaves.message).toMatch(/you cannot leave: a project needs an owner/);
  expect((await failureOf(api(owner).removeMember.mutate({ projectId, userId: stranger.user.id }))).code).toBe(
    'NOT_FOUND',
  );

  await api(owner).setRole.mutate({ projectId, userId: viewer.user.id, role: 'editor' });
  await api(viewer).removeMember.mutate({ projectId, userId: viewer.user.id }); // leaving
  // A second owner lets the first one step down.
  await api(owner).setRole.mutate({ projectId, userId: editor.user.id, role: 'owner' });
  await api(owner).setRole.mutate({ projectId, userId: owner.user.id, role: 'viewer' });
  const rows = await a.db.pool.query('SELECT user_id, role FROM project_members WHERE project_id = $1 ORDER BY role', [
    projectId,
  ]);
  expect(rows.rows).toEqual([
    { user_id: editor.user.id, role: 'owner' },
    { user_id: owner.user.id, role: 'viewer' },
  ]);
  expect(await api(viewer).list.query()).not.toContainEqual(expect.objectContaining({ id: projectId }));
});

test('[R8] two owners demoting each other at once leave one owner', async () => {
  const projectId = await projectWithCrew('Coup');
  await a.client(owner.token).projects.setRole.mutate({ projectId, userId: editor.user.id, role: 'owner' });
  const results = await Promise.allSettled([
    a.client(owner.token).projects.setRole.mutate({ projectId, userId: editor.user.id, role: 'editor' }),
    b.client(editor.token).projects.setRole.mutate({ projectId, userId: owner.user.id, role: 'editor' }),
  ]);
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  const owners = await a.db.pool.query("SELECT 1 FROM project_members WHERE project_id = $1 AND role = 'owner'", [
    projectId,
  ]);
  expect(owners.rowCount).toBe(1);
});

test('[R9] a member removed on instance A loses every open socket and push on instance B at once', async () => {
  const projectId = await projectWithCrew('Removal');
  // Everything the editor has open is on B, with B's membership cache warm.
  await b.client(editor.token).sync.push.mutate(scenePush(projectId, 'INT. BEFORE'));
  const nudges = await subscribed(b, editor.token, projectId);
  const yjs = await openYjs(b, projectId, editor.token);
  const ownerNudges = await subscribed(b, owner.token, projectId);

  await a.client(owner.token).projects.removeMember.mutate({ projectId, userId: editor.user.id });

  expect(await nudges.next((m) => m.type === 'error')).toMatchObject({ type: 'error', code: 'FORBIDDEN', projectId });
  expect(await yjs.closed).toMatchObject({ code: CLOSE.ACCESS_REVOKED });
  // B heard the event (above), so its cached grant is gone: the push is refused, not stored.
  const push = await failureOf(b.client(editor.token).sync.push.mutate(scenePush(projectId, 'INT. AFTER')));
  expect(push.code).toBe('FORBIDDEN');
  expect(
    (await a.db.pool.query("SELECT 1 FROM scenes WHERE project_id = $1 AND heading = 'INT. AFTER'", [projectId]))
      .rowCount,
  ).toBe(0);
  expect(await upgradeStatus(await b.socketUrl(`/yjs/project/${projectId}/script/main`, editor.token))).toBe(403);

  // The owner's next push nudges the owner's socket, not the removed editor's.
  const { timestamp } = await a.client(owner.token).sync.push.mutate(scenePush(projectId, 'INT. OWNER'));
  await ownerNudges.next((m) => m.type === 'changed' && m.timestamp === timestamp);
  expect(nudges.received.filter((m) => m.type === 'changed')).toEqual([]);
  nudges.close();
  ownerNudges.close();
});

test('[R9] a member downgraded to viewer on A can no longer push on B; their Yjs socket reconnects read-only', async () => {
  const projectId = await projectWithCrew('Downgrade');
  await b.client(editor.token).sync.push.mutate(scenePush(projectId, 'INT. EDITOR'));
  const nudges = await subscribed(b, editor.token, projectId);
  const yjs = await openYjs(b, projectId, editor.token);

  await a.client(owner.token).projects.setRole.mutate({ projectId, userId: editor.user.id, role: 'viewer' });

  expect(await yjs.closed).toMatchObject({ code: CLOSE.ROLE_CHANGED });
  const push = await failureOf(b.client(editor.token).sync.push.mutate(scenePush(projectId, 'INT. VIEWER')));
  expect(push).toMatchObject({ code: 'FORBIDDEN' });
  expect(push.message).toMatch(/viewer/);
  // Viewers still read: the subscription stays, and they may connect to the doc again.
  const { timestamp } = await a.client(owner.token).sync.push.mutate(scenePush(projectId, 'INT. OWNER'));
  await nudges.next((m) => m.type === 'changed' && m.timestamp === timestamp);
  expect(await upgradeStatus(await b.socketUrl(`/yjs/project/${projectId}/script/main`, editor.token))).toBe(101);
  nudges.close();
});

test('[R10] an owner renames and deletes a project; a deleted one vanishes from lists and refuses sync and Yjs everywhere', async () => {
  const projectId = await projectWithCrew('Old name');
  expect((await failureOf(a.client(editor.token).projects.rename.mutate({ projectId, name: 'Mine' }))).code).toBe(
    'FORBIDDEN',
  );
  expect(await a.client(owner.token).projects.rename.mutate({ projectId, name: '  New name ' })).toEqual({
    id: projectId,
    name: 'New name',
  });
  expect(await b.client(viewer.token).projects.list.query()).toContainEqual({
    id: projectId,
    name: 'New name',
    role: 'viewer',
  });

  await b.client(viewer.token).sync.pull.query({ projectId, lastPulledAt: null }); // warm B's cache
  const nudges = await subscribed(b, viewer.token, projectId);
  const yjs = await openYjs(b, projectId, viewer.token);
  expect((await failureOf(a.client(editor.token).projects.delete.mutate({ projectId }))).code).toBe('FORBIDDEN');

  await a.client(owner.token).projects.delete.mutate({ projectId });

  expect(await nudges.next((m) => m.type === 'error')).toMatchObject({ code: 'FORBIDDEN', projectId });
  expect(await yjs.closed).toMatchObject({ code: CLOSE.ACCESS_REVOKED });
  for (const who of [owner, editor, viewer]) {
    expect(await b.client(who.token).projects.list.query()).not.toContainEqual(
      expect.objectContaining({ id: projectId }),
    );
    expect((await failureOf(b.client(who.token).sync.pull.query({ projectId, lastPulledAt: null }))).code).toBe(
      'FORBIDDEN',
    );
    expect(await upgradeStatus(await a.socketUrl(`/yjs/project/${projectId}/script/main`, who.token))).toBe(403);
  }
  expect((await failureOf(b.client(owner.token).sync.push.mutate(scenePush(projectId, 'INT. GONE')))).code).toBe(
    'FORBIDDEN',
  );
  expect((await failureOf(a.client(owner.token).projects.rename.mutate({ projectId, name: 'Back' }))).code).toBe(
    'FORBIDDEN',
  );
  nudges.close();
});
