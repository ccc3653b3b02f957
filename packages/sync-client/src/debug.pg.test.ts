import { startTestServer } from '@clapper/api';
import { test } from 'vitest';
import { createDevice, createShot, localRecord } from './testing/devices.ts';

test('debug', async () => {
  const server = await startTestServer();
  const owner = await server.signIn('o@example.com');
  const project = await server.createProject(owner.token, 'p');
  const v = await server.signIn('v@example.com');
  await server.addMember(owner.token, project.id, 'v@example.com', 'viewer');
  const d = createDevice('d', { server, projectId: project.id, token: owner.token });
  const viewer = createDevice('v', { server, projectId: project.id, token: v.token, onLog: (e) => console.log('LOG', JSON.stringify({ ...e, error: e.error?.message })) });
  viewer.engine.subscribe(() => console.log('STATUS', JSON.stringify(viewer.engine.getStatus())));
  await new Promise((r) => setTimeout(r, 1000));
  await createShot(viewer, { label: 'x' });
  await new Promise((r) => setTimeout(r, 1000));
  console.log('DIRECTOR WRITES');
  const id = await createShot(d, { label: 'x' });
  await new Promise((r) => setTimeout(r, 1000));
  console.log(viewer.traffic, await localRecord(viewer, 'shots', id));
  await d.engine.stop();
  await viewer.engine.stop();
  await server.close();
});
