import { recordIdPattern } from '@clapper/schema';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type TestServer, startTestServer } from './test-server.ts';
import { failureOf } from './trpc-test-errors.ts';

let server: TestServer;
let owner: { token: string; user: { id: string } };
let editor: { token: string; user: { id: string } };
let viewer: { token: string; user: { id: string } };
let stranger: { token: string; user: { id: string } };
let projectId: string;

beforeAll(async () => {
  server = await startTestServer();
  owner = await server.signIn('director@example.com');
  editor = await server.signIn('ad@example.com');
  viewer = await server.signIn('producer@example.com');
  stranger = await server.signIn('stranger@example.com');
  projectId = (await server.createProject(owner.token, 'Night Shoot')).id;
  await server.addMember(owner.token, projectId, 'ad@example.com', 'editor');
  await server.addMember(owner.token, projectId, 'producer@example.com', 'viewer');
});
afterAll(async () => {
  await server?.close();
});

let pushCounter = 0;
function scenePush(id: string, heading: string) {
  pushCounter += 1;
  return {
    projectId,
    pushId: `push-${pushCounter}-${Date.now()}`,
    lastPulledAt: null,
    changes: { scenes: { created: [{ id, heading }], updated: [], deleted: [] } },
  };
}

test('[R1] creating a project gives a URL-safe id, clock 0, and makes the caller owner', async () => {
  const project = await server.client(owner.token).projects.create.mutate({ name: '  Pilot  ' });
  expect(project.name).toBe('Pilot');
  expect(project.id).toMatch(recordIdPattern);
  const row = (await server.db.pool.query('SELECT clock FROM projects WHERE id = $1', [project.id])).rows[0];
  expect(Number(row.clock)).toBe(0);
  const members = await server.db.pool.query('SELECT user_id, role FROM project_members WHERE project_id = $1', [
    project.id,
  ]);
  expect(members.rows).toEqual([{ user_id: owner.user.id, role: 'owner' }]);
});

test('[R2] each user lists exactly their projects with their role', async () => {
  const ownerList = await server.client(owner.token).projects.list.query();
  expect(ownerList).toContainEqual({ id: projectId, name: 'Night Shoot', role: 'owner' });
  expect(await server.client(editor.token).projects.list.query()).toEqual([
    { id: projectId, name: 'Night Shoot', role: 'editor' },
  ]);
  expect(await server.client(viewer.token).projects.list.query()).toEqual([
    { id: projectId, name: 'Night Shoot', role: 'viewer' },
  ]);
  expect(await server.client(stranger.token).projects.list.query()).toEqual([]);
});

test('[R3] adding an unknown email creates the user, who finds the project after signing in', async () => {
  const { userId } = await server.addMember(owner.token, projectId, 'Gaffer@Example.com', 'editor');
  const user = (await server.db.pool.query('SELECT id, email, name FROM users WHERE id = $1', [userId])).rows[0];
  expect(user).toEqual({ id: userId, email: 'gaffer@example.com', name: 'gaffer' });
  const gaffer = await server.signIn('gaffer@example.com');
  expect(gaffer.user.id).toBe(userId);
  expect(await server.client(gaffer.token).projects.list.query()).toEqual([
    { id: projectId, name: 'Night Shoot', role: 'editor' },
  ]);
});

test('[R3] adding an existing member again changes their role', async () => {
  const { userId } = await server.addMember(owner.token, projectId, 'grip@example.com', 'viewer');
  const again = await server.addMember(owner.token, projectId, 'grip@example.com', 'editor');
  expect(again.userId).toBe(userId);
  const roles = await server.db.pool.query('SELECT role FROM project_members WHERE project_id = $1 AND user_id = $2', [
    projectId,
    userId,
  ]);
  expect(roles.rows).toEqual([{ role: 'editor' }]);
});

test('[R3] only the owner adds members; nobody changes their own role', async () => {
  for (const who of [editor, viewer, stranger]) {
    const failure = await failureOf(server.addMember(who.token, projectId, 'someone@example.com', 'editor'));
    expect(failure.code).toBe('FORBIDDEN');
  }
  const self = await failureOf(server.addMember(owner.token, projectId, 'director@example.com', 'viewer'));
  expect(self.code).toBe('BAD_REQUEST');
  const members = await server.db.pool.query(
    "SELECT 1 FROM project_members m JOIN users u ON u.id = m.user_id WHERE u.email = 'someone@example.com'",
  );
  expect(members.rowCount).toBe(0);
});

test('[R4] viewers pull, editors and owners push, viewers cannot push', async () => {
  const pushed = await server.client(editor.token).sync.push.mutate(scenePush('scene-editor', 'INT. DINER - NIGHT'));
  expect(pushed.timestamp).toBeGreaterThan(0);
  await server.client(owner.token).sync.push.mutate(scenePush('scene-owner', 'EXT. ROOF - NIGHT'));
  const pulled = await server
    .client(viewer.token)
    .sync.pull.query({ projectId, lastPulledAt: null, schemaVersion: 1, migration: null });
  const ids = (pulled.changes.scenes?.created ?? []).map((r) => r.id).sort();
  expect(ids).toEqual(['scene-editor', 'scene-owner']);
  const viewerPush = await failureOf(
    server.client(viewer.token).sync.push.mutate(scenePush('scene-viewer', 'INT. NOPE')),
  );
  expect(viewerPush.code).toBe('FORBIDDEN');
  expect(viewerPush.message).toMatch(/editor/);
  const rows = await server.db.pool.query("SELECT 1 FROM scenes WHERE id = 'scene-viewer'");
  expect(rows.rowCount).toBe(0);
});

test('[R5] a non-member gets FORBIDDEN for a real project and for one that does not exist, alike', async () => {
  const real = await failureOf(
    server.client(stranger.token).sync.pull.query({ projectId, lastPulledAt: null, schemaVersion: 1, migration: null }),
  );
  const missing = await failureOf(
    server
      .client(stranger.token)
      .sync.pull.query({ projectId: 'no-such-project', lastPulledAt: null, schemaVersion: 1, migration: null }),
  );
  expect(real.code).toBe('FORBIDDEN');
  expect(missing.code).toBe('FORBIDDEN');
  expect(real.message.replace(projectId, 'X')).toBe(missing.message.replace('no-such-project', 'X'));
  const push = await failureOf(server.client(stranger.token).sync.push.mutate(scenePush('scene-stranger', 'INT. X')));
  expect(push.code).toBe('FORBIDDEN');
  const addToMissing = await failureOf(server.addMember(owner.token, 'no-such-project', 'x@example.com', 'viewer'));
  expect(addToMissing.code).toBe('FORBIDDEN');
});

test('[E1] a malformed project id, role or name is BAD_REQUEST naming the field', async () => {
  const badId = await failureOf(
    server.client(owner.token).sync.pull.query({ projectId: 'has spaces/..', lastPulledAt: null }),
  );
  expect(badId.code).toBe('BAD_REQUEST');
  expect(badId.message).toMatch(/projectId/);
  const badRole = await failureOf(
    server.trpc(owner.token).mutation('projects.addMember', { projectId, email: 'x@example.com', role: 'admin' }),
  );
  expect(badRole.code).toBe('BAD_REQUEST');
  expect(badRole.message).toMatch(/role/);
  const emptyName = await failureOf(server.client(owner.token).projects.create.mutate({ name: '   ' }));
  expect(emptyName.code).toBe('BAD_REQUEST');
  expect(emptyName.message).toMatch(/name: must not be empty/);
  const badTimestamp = await failureOf(
    server.trpc(owner.token).query('sync.pull', { projectId, lastPulledAt: 'yesterday' }),
  );
  expect(badTimestamp.code).toBe('BAD_REQUEST');
  expect(badTimestamp.message).toMatch(/lastPulledAt/);
});

test('[E2] a push the sync service rejects is BAD_REQUEST with its message and changes nothing', async () => {
  const before = await server.client(owner.token).sync.pull.query({ projectId, lastPulledAt: null });
  const failure = await failureOf(
    server.client(editor.token).sync.push.mutate({
      projectId,
      pushId: `bad-${Date.now()}`,
      lastPulledAt: null,
      changes: {
        scenes: {
          created: [
            { id: 'ok-scene', heading: 'INT. OK' },
            { id: 'bad-scene', page_eighths: 'eight' },
          ],
          updated: [],
          deleted: [],
        },
      },
    }),
  );
  expect(failure.code).toBe('BAD_REQUEST');
  expect(failure.message).toMatch(/page_eighths/);
  const after = await server.client(owner.token).sync.pull.query({ projectId, lastPulledAt: null });
  expect(after).toEqual(before);
  const unknownTable = await failureOf(
    server.client(editor.token).sync.push.mutate({
      projectId,
      pushId: `bad2-${Date.now()}`,
      lastPulledAt: null,
      changes: { actors: { created: [], updated: [], deleted: [] } },
    }),
  );
  expect(unknownTable.code).toBe('BAD_REQUEST');
  expect(unknownTable.message).toMatch(/actors/);
});

test('[E2] a push over 10,000 records is PAYLOAD_TOO_LARGE', async () => {
  const created = Array.from({ length: 10_001 }, (_, i) => ({ id: `bulk-${i}` }));
  const failure = await failureOf(
    server.client(editor.token).sync.push.mutate({
      projectId,
      pushId: `bulk-${Date.now()}`,
      lastPulledAt: null,
      changes: { scenes: { created, updated: [], deleted: [] } },
    }),
  );
  expect(failure.code).toBe('PAYLOAD_TOO_LARGE');
  expect(failure.httpStatus).toBe(413);
  const rows = await server.db.pool.query("SELECT 1 FROM scenes WHERE id = 'bulk-0'");
  expect(rows.rowCount).toBe(0);
});

test('[E2] a retried push (same pushId) is applied once and answered with the first timestamp', async () => {
  const push = scenePush('scene-retry', 'INT. HALLWAY - DAY');
  const first = await server.client(editor.token).sync.push.mutate(push);
  const second = await server.client(editor.token).sync.push.mutate(push);
  expect(second).toEqual(first);
});
