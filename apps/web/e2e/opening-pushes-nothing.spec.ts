/**
 * A device that only opens a project reads: it pushes nothing. The board benchmark saw
 * every fresh device push ~5 s after opening the board: the workspace created the
 * project's script record (id = project id) on the first sync, whatever the view. The
 * record is made when the script is opened, the one view that writes into it.
 */
import { board } from './support/board.ts';
import { expect, test } from './fixtures.ts';
import { watchPushes } from './support/pushes.ts';
import { waitReady } from './support/script-editor.ts';

test('opening a project on its board pushes nothing; opening the script makes its record, once', async ({
  clapper,
}) => {
  const a = await clapper.newUser('just-looking');
  // Over HTTP and over the /sync socket (C23).
  const pushes = watchPushes(a.page);
  const projectId = await clapper.createProject(a.page, 'Just Looking');
  await board.waitSynced(a.page);
  // Opened again (a reload, as on another day), and left alone for a while.
  await clapper.openProject(a.page, projectId);
  await board.waitSynced(a.page);
  await a.page.waitForTimeout(3_000);
  expect(pushes).toEqual([]);

  await a.page.getByRole('tab', { name: 'Script' }).click();
  await waitReady(a.page);
  await expect.poll(() => pushes.length).toBe(1);
  // The app pushes over its open /sync socket (C23), HTTP being the fallback.
  expect(pushes[0]!.via).toBe('socket');
  expect(pushes[0]!.push.changes.scripts!.created).toEqual([
    expect.objectContaining({ id: projectId, title: 'Just Looking' }),
  ]);
  await board.waitSynced(a.page);
  expect(pushes.length).toBe(1);
});
