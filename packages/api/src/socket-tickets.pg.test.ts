import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type TestServer, startTestServer } from './test-server.ts';
import { openTestSocket, upgradeStatus } from './ws-test-client.ts';

let one: TestServer;
let two: TestServer;
let brief: TestServer;
let owner: { token: string };
let stranger: { token: string };
let projectId: string;
let otherProjectId: string;

beforeAll(async () => {
  one = await startTestServer();
  // A second instance on the same database: tickets are redeemable wherever the balancer sends the upgrade.
  two = await startTestServer({ db: one.db, mailer: one.mailer });
  // An instance issuing short-lived tickets, for the expiry test only: a busy machine can take
  // longer than a short life between issuing a ticket and using it in the other tests.
  brief = await startTestServer({ db: one.db, mailer: one.mailer, socketTicketTtlMs: 300 });
  owner = await one.signIn('director@example.com');
  stranger = await one.signIn('stranger@example.com');
  projectId = (await one.createProject(owner.token, 'Feature')).id;
  otherProjectId = (await one.createProject(owner.token, 'Short')).id;
});
afterAll(async () => {
  await brief?.close();
  await two?.close();
  await one?.close();
});

const doc = (project: string) => `/yjs/project/${project}/script/main`;

describe('auth.socketTicket', () => {
  test('[A8] needs a session, and for a project a membership', async () => {
    await expect(one.client().auth.socketTicket.mutate({})).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    await expect(one.client('not-a-token').auth.socketTicket.mutate({})).rejects.toMatchObject({
      data: { code: 'UNAUTHORIZED' },
    });
    await expect(one.client(stranger.token).auth.socketTicket.mutate({ projectId })).rejects.toMatchObject({
      data: { code: 'FORBIDDEN' },
    });
    await expect(one.client(owner.token).auth.socketTicket.mutate({ projectId: 'bad id!' })).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST' },
    });
    const issued = await one.client(owner.token).auth.socketTicket.mutate();
    expect(issued.ticket).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(issued.expiresAt).toBeGreaterThan(Date.now());
  });

  test('[A8] a ticket opens one socket, once, on any instance; only its hash is stored', async () => {
    const ticket = await one.ticket(owner.token);
    const stored = await one.db.pool.query<{ ticket_hash: string }>('SELECT ticket_hash FROM socket_tickets');
    expect(stored.rows.map((r) => r.ticket_hash)).toContain(createHash('sha256').update(ticket).digest('hex'));
    expect(JSON.stringify(stored.rows)).not.toContain(ticket);
    expect(await upgradeStatus(`${two.wsUrl}/sync?ticket=${ticket}`)).toBe(101);
    expect(await upgradeStatus(`${one.wsUrl}/sync?ticket=${ticket}`)).toBe(401);
    expect(await upgradeStatus(`${two.wsUrl}/sync?ticket=${ticket}`)).toBe(401);
  });

  test('[A8] two instances racing for one ticket: exactly one upgrade succeeds', async () => {
    for (let round = 0; round < 5; round += 1) {
      const ticket = await one.ticket(owner.token, projectId);
      const results = await Promise.all([
        upgradeStatus(`${one.wsUrl}${doc(projectId)}?ticket=${ticket}`),
        upgradeStatus(`${two.wsUrl}${doc(projectId)}?ticket=${ticket}`),
        upgradeStatus(`${two.wsUrl}/sync?ticket=${ticket}`),
      ]);
      expect(results.sort()).toEqual([101, 401, 401]);
    }
  });

  test('[A8] a ticket expires unused', async () => {
    const ticket = await brief.ticket(owner.token);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await upgradeStatus(`${one.wsUrl}/sync?ticket=${ticket}`)).toBe(401);
  });

  test('[A8] a ticket dies with its session', async () => {
    const leaving = await one.signIn('leaving@example.com');
    const ticket = await one.ticket(leaving.token);
    await one.db.pool.query('DELETE FROM sessions WHERE token_hash = $1', [
      createHash('sha256').update(leaving.token).digest('hex'),
    ]);
    expect(await upgradeStatus(`${one.wsUrl}/sync?ticket=${ticket}`)).toBe(401);
  });

  test('[A8][S2] a project-bound ticket opens only that project: /yjs of another project 403, /sync subscriptions elsewhere FORBIDDEN', async () => {
    expect(
      await upgradeStatus(`${one.wsUrl}${doc(otherProjectId)}?ticket=${await one.ticket(owner.token, projectId)}`),
    ).toBe(403);
    expect(
      await upgradeStatus(`${one.wsUrl}${doc(projectId)}?ticket=${await one.ticket(owner.token, projectId)}`),
    ).toBe(101);
    const socket = await openTestSocket(await one.socketUrl('/sync', owner.token, projectId));
    try {
      socket.send({ type: 'subscribe', projectId: otherProjectId });
      expect(await socket.next()).toMatchObject({ type: 'error', code: 'FORBIDDEN', projectId: otherProjectId });
      socket.send({ type: 'subscribe', projectId });
      expect(await socket.next()).toEqual({ type: 'subscribed', projectId, push: true });
    } finally {
      socket.close();
    }
  });

  test('[A8] a session token in the URL opens nothing', async () => {
    expect(await upgradeStatus(`${one.wsUrl}/sync?token=${owner.token}`)).toBe(401);
    expect(await upgradeStatus(`${one.wsUrl}${doc(projectId)}?token=${owner.token}`)).toBe(401);
    expect(await upgradeStatus(`${one.wsUrl}/sync?ticket=${owner.token}`)).toBe(401);
  });
});
