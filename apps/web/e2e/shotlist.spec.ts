import type { Database } from '@nozbe/watermelondb';
import { board } from './support/board.ts';
import { type ClapperHelpers, expect, test } from './fixtures.ts';

/** The promise: another window shows a change within a second, without a reload. */
const seenWithin = { timeout: 1_000 };

test('A adds, edits and reorders shots; B sees each change within 1 s without reloading', async ({ clapper }) => {
  const a = await clapper.newUser('director');
  const b = await clapper.newUser('assistant');
  const projectId = await clapper.createProject(a.page, 'Night Harbour');
  await clapper.invite(a.page, projectId, b.email, 'editor');
  await clapper.openProject(a.page, projectId);
  await clapper.openProject(b.page, projectId);
  await board.waitSynced(b.page);

  await board.addScene(a.page, 'EXT. HARBOUR - NIGHT');
  await expect(board.scene(b.page, '1').getByLabel('Scene heading')).toHaveValue('EXT. HARBOUR - NIGHT', seenWithin);

  await board.addShot(a.page, '1');
  await expect(board.shot(b.page, '1A')).toBeVisible(seenWithin);
  await board.edit(board.shot(a.page, '1A'), 'Description', 'Wide on the empty pier');
  await expect(board.shot(b.page, '1A').getByLabel('Description')).toHaveValue('Wide on the empty pier', seenWithin);
  await board.shot(a.page, '1A').getByLabel('Shot size').selectOption('WS');
  await expect(board.shot(b.page, '1A').getByLabel('Shot size')).toHaveValue('WS', seenWithin);

  await board.addShot(a.page, '1');
  await board.addShot(a.page, '1');
  await expect.poll(() => board.shotLabels(b.page), seenWithin).toEqual(['1A', '1B', '1C']);

  // Keyboard move: focus 1C's row and press Alt+ArrowUp twice.
  await board.shot(a.page, '1C').focus();
  await a.page.keyboard.press('Alt+ArrowUp');
  await expect.poll(() => board.shotLabels(a.page)).toEqual(['1A', '1C', '1B']);
  await expect.poll(() => board.shotLabels(b.page), seenWithin).toEqual(['1A', '1C', '1B']);
  await a.page.keyboard.press('Alt+ArrowUp');
  await expect.poll(() => board.shotLabels(b.page), seenWithin).toEqual(['1C', '1A', '1B']);

  // Drag and drop: 1B's handle onto the top half of 1C's row.
  const target = board.shot(a.page, '1C');
  const box = await target.boundingBox();
  await board
    .shot(a.page, '1B')
    .getByTestId('drag-handle')
    .dragTo(target, { targetPosition: { x: 200, y: 4 } });
  expect(box).not.toBeNull();
  await expect.poll(() => board.shotLabels(a.page)).toEqual(['1B', '1C', '1A']);
  await expect.poll(() => board.shotLabels(b.page), seenWithin).toEqual(['1B', '1C', '1A']);

  await board.waitSynced(a.page);
  await clapper.screenshot(b.page, 'shotlist-live-edits');
});

/** A project owned by A with B as `role`, both windows open on it, and scene 1 with `shots` shots. */
async function sharedBoard(clapper: ClapperHelpers, name: string, role: 'editor' | 'viewer', shots: number) {
  const a = await clapper.newUser('director');
  const b = await clapper.newUser(role === 'viewer' ? 'producer' : 'assistant');
  const projectId = await clapper.createProject(a.page, name);
  await clapper.invite(a.page, projectId, b.email, role);
  await clapper.openProject(a.page, projectId);
  await board.addScene(a.page, 'INT. LIGHTHOUSE - DAY');
  for (let i = 0; i < shots; i++) await board.addShot(a.page, '1');
  await board.waitSynced(a.page);
  await clapper.openProject(b.page, projectId);
  await expect(b.page.getByTestId('shot-row')).toHaveCount(shots);
  await board.waitSynced(b.page);
  return { a, b, projectId };
}

test('B goes offline, edits shots, comes back online; both sides converge with nothing lost', async ({ clapper }) => {
  const { a, b } = await sharedBoard(clapper, 'Offline Shoot', 'editor', 2);

  await b.context.setOffline(true);
  await expect(b.page.getByTestId('sync-status')).toHaveAttribute('data-online', 'false');
  await board.edit(board.shot(b.page, '1A'), 'Description', 'Slow dolly in on the lamp');
  await board.addShot(b.page, '1');
  await board.edit(board.shot(b.page, '1C'), 'Lens', '85mm');
  await expect(b.page.getByTestId('sync-status')).not.toHaveAttribute('data-pending', '0');

  // Meanwhile A edits another column of the same shot, and another shot.
  await board.shot(a.page, '1A').getByLabel('Shot size').selectOption('CU');
  await board.edit(board.shot(a.page, '1B'), 'Lens', '35mm');
  await board.waitSynced(a.page);

  await b.context.setOffline(false);
  await board.waitSynced(b.page);
  for (const page of [a.page, b.page]) {
    await expect(board.shot(page, '1A').getByLabel('Description')).toHaveValue('Slow dolly in on the lamp');
    await expect(board.shot(page, '1A').getByLabel('Shot size')).toHaveValue('CU');
    await expect(board.shot(page, '1B').getByLabel('Lens')).toHaveValue('35mm');
    await expect(board.shot(page, '1C').getByLabel('Lens')).toHaveValue('85mm');
    await expect.poll(() => board.shotLabels(page)).toEqual(['1A', '1B', '1C']);
  }
  await clapper.screenshot(a.page, 'shotlist-offline-converged');
});

test('A drops a day banner inside a scene; B sees the scene split across the two days', async ({ clapper }) => {
  const a = await clapper.newUser('director');
  const b = await clapper.newUser('assistant');
  const projectId = await clapper.createProject(a.page, 'Two Day Scene');
  await clapper.invite(a.page, projectId, b.email, 'editor');
  await clapper.openProject(a.page, projectId);
  await a.page.getByRole('button', { name: '+ Day break' }).click();
  await board.addScene(a.page, 'EXT. CLIFF ROAD - DUSK');
  await board.addShot(a.page, '1');
  await board.addShot(a.page, '1');
  await board.addShot(a.page, '1');
  await a.page.getByRole('button', { name: '+ Day break' }).click();
  await expect
    .poll(() => board.outline(a.page))
    .toEqual(['day:1', 'scene:1', 'shot:1A', 'shot:1B', 'shot:1C', 'day:2']);

  await clapper.openProject(b.page, projectId);
  await expect(board.scene(b.page, '1')).toHaveAttribute('data-days', '1');

  // Drop "Day 2" on the upper half of shot 1B: the scene now spans days 1 and 2.
  await board
    .banners(a.page)
    .nth(1)
    .getByTestId('drag-handle')
    .dragTo(board.shot(a.page, '1B'), { targetPosition: { x: 300, y: 3 } });
  await expect
    .poll(() => board.outline(a.page))
    .toEqual(['day:1', 'scene:1', 'shot:1A', 'day:2', 'shot:1B', 'shot:1C']);

  await expect(board.scene(b.page, '1')).toHaveAttribute('data-days', '1,2', seenWithin);
  await expect(board.scene(b.page, '1').getByTestId('scene-days')).toHaveText('Days 1 · 2');
  await expect(board.shot(b.page, '1A')).toHaveAttribute('data-day', '1');
  await expect(board.shot(b.page, '1B')).toHaveAttribute('data-day', '2');
  await expect(board.shot(b.page, '1C')).toHaveAttribute('data-day', '2');
  await expect
    .poll(() => board.outline(b.page))
    .toEqual(['day:1', 'scene:1', 'shot:1A', 'day:2', 'shot:1B', 'shot:1C']);
  await clapper.screenshot(b.page, 'stripboard-split-scene');
});

test('a viewer cannot change anything: no controls, and a forced local write is refused by the server', async ({
  clapper,
}) => {
  const { a, b: viewer, projectId } = await sharedBoard(clapper, 'Locked Cut', 'viewer', 1);
  await board.edit(board.shot(a.page, '1A'), 'Description', 'Original framing');
  await expect(board.shot(viewer.page, '1A').getByLabel('Description')).toHaveValue('Original framing');

  await expect(viewer.page.getByText('View only').first()).toBeVisible();
  await expect(viewer.page.getByRole('button', { name: '+ Scene' })).toHaveCount(0);
  await expect(viewer.page.getByRole('button', { name: '+ Shot' })).toHaveCount(0);
  await expect(viewer.page.getByRole('button', { name: '+ Day break' })).toHaveCount(0);
  await expect(viewer.page.getByRole('button', { name: /^Delete/ })).toHaveCount(0);
  await expect(board.shot(viewer.page, '1A').getByLabel('Description')).toBeDisabled();
  await expect(board.shot(viewer.page, '1A').getByLabel('Shot size')).toBeDisabled();
  await expect(viewer.page.getByTestId('drag-handle').first()).toHaveAttribute('draggable', 'false');

  // Bypass the UI: write straight into the viewer's local database and let it sync.
  await viewer.page.evaluate(async (id) => {
    const runtime = (window as unknown as { __clapper: Record<string, { database: Database }> }).__clapper[id]!;
    const [shot] = await runtime.database.get('shots').query().fetch();
    await runtime.database.write(() => shot!.update((s) => Object.assign(s, { description: 'Forced by a viewer' })));
  }, projectId);
  await expect
    .poll(() =>
      viewer.page.evaluate(
        (id) =>
          (
            window as unknown as {
              __clapper: Record<string, { engine: { getStatus(): { error: { code: string } | null } } }>;
            }
          ).__clapper[id]!.engine.getStatus().error?.code ?? null,
        projectId,
      ),
    )
    .toBe('FORBIDDEN');

  await expect(viewer.page.getByTestId('sync-status')).toHaveAttribute('data-state', 'refused');
  await clapper.screenshot(viewer.page, 'shotlist-viewer-read-only');

  // The server kept the original: a fresh load of A's window shows it.
  await a.page.reload();
  await board.waitSynced(a.page);
  await expect(board.shot(a.page, '1A').getByLabel('Description')).toHaveValue('Original framing');

  // The viewer drops the refused local copy and gets the server's back.
  await viewer.page.getByRole('button', { name: 'Discard local changes' }).click();
  await expect(board.shot(viewer.page, '1A').getByLabel('Description')).toHaveValue('Original framing');
  await board.waitSynced(viewer.page);
});

test('with the server stopped, the project list and a reload of the project still open from local data; queued edits sync when it returns', async ({
  clapper,
}) => {
  const { a, b, projectId } = await sharedBoard(clapper, 'Dark Server', 'editor', 1);
  await b.page.close();

  await clapper.stopServer();
  // The project list comes from the local cache too.
  await a.page.goto(clapper.env.webUrl);
  await expect(a.page.getByText('The server is unreachable')).toBeVisible();
  await a.page.getByRole('link', { name: 'Dark Server' }).first().click();
  await expect(a.page.getByTestId('stripboard')).toBeVisible();
  await a.page.reload();
  await expect(a.page.getByTestId('stripboard')).toBeVisible();
  await expect(board.scene(a.page, '1').getByLabel('Scene heading')).toHaveValue('INT. LIGHTHOUSE - DAY');
  await expect(board.shot(a.page, '1A')).toBeVisible();
  await expect(a.page.getByTestId('sync-status')).toHaveAttribute('data-online', 'false');

  await board.addShot(a.page, '1');
  await board.edit(board.shot(a.page, '1B'), 'Description', 'Shot while the server was down');
  await expect(a.page.getByTestId('sync-status')).not.toHaveAttribute('data-pending', '0');

  await clapper.startServer();
  await expect(a.page.getByTestId('sync-status')).toHaveAttribute('data-pending', '0', { timeout: 20_000 });
  await board.waitSynced(a.page);

  const bAgain = await b.context.newPage();
  await clapper.openProject(bAgain, projectId);
  await expect(board.shot(bAgain, '1B').getByLabel('Description')).toHaveValue('Shot while the server was down');
  await clapper.screenshot(a.page, 'shotlist-server-returned');
});

test('A builds the shot list from the script: one scene per heading, B sees them, a second run adds nothing', async ({
  clapper,
}) => {
  const a = await clapper.newUser('director');
  const b = await clapper.newUser('assistant');
  const projectId = await clapper.createProject(a.page, 'From The Page');
  await clapper.invite(a.page, projectId, b.email, 'editor');
  await clapper.openProject(a.page, projectId);
  await a.page.getByRole('tab', { name: 'Script' }).click();
  const editor = a.page.getByTestId('screenplay-editor');
  await expect(editor).toHaveAttribute('data-status', 'synced', { timeout: 30_000 });
  await editor.locator('[contenteditable]').locator('[data-element]').first().click();
  await a.page.keyboard.type('EXT. HARBOUR - NIGHT');
  await a.page.keyboard.press('Enter');
  await a.page.keyboard.type('Fog rolls over the pier.');
  await a.page.keyboard.press('Enter');
  await a.page.keyboard.press('Control+1');
  await a.page.keyboard.type('INT. LIGHTHOUSE - NIGHT');
  await expect(editor.locator('[data-element="scene-heading"]')).toHaveCount(2);

  await a.page.getByRole('tab', { name: 'Shot list' }).click();
  await a.page.getByRole('button', { name: 'Build from script' }).click();
  await expect(a.page.getByTestId('build-message')).toHaveText('Added 2 scenes from the script.');
  await expect(board.scene(a.page, '1').getByLabel('Scene heading')).toHaveValue('EXT. HARBOUR - NIGHT');
  await expect(board.scene(a.page, '2').getByLabel('Location')).toHaveValue('LIGHTHOUSE');

  await clapper.openProject(b.page, projectId);
  await expect(b.page.getByTestId('scene-row')).toHaveCount(2);
  await expect(board.scene(b.page, '2').getByLabel('Scene heading')).toHaveValue('INT. LIGHTHOUSE - NIGHT');

  await a.page.getByRole('button', { name: 'Build from script' }).click();
  await expect(a.page.getByTestId('build-message')).toHaveText('All 2 scenes of the script are already on the board.');
  await expect(a.page.getByTestId('scene-row')).toHaveCount(2);
  await clapper.screenshot(b.page, 'shotlist-built-from-script');
});

test('A deletes a scene while offline B adds a shot to it; the shot is not lost and can be put back', async ({
  clapper,
}) => {
  const a = await clapper.newUser('director');
  const b = await clapper.newUser('assistant');
  const projectId = await clapper.createProject(a.page, 'Cut Scene');
  await clapper.invite(a.page, projectId, b.email, 'editor');
  await clapper.openProject(a.page, projectId);
  await board.addScene(a.page, 'INT. ATTIC - NIGHT');
  await board.addScene(a.page, 'EXT. GARDEN - DAY');
  await board.waitSynced(a.page);
  await clapper.openProject(b.page, projectId);
  await expect(b.page.getByTestId('scene-row')).toHaveCount(2);
  await board.waitSynced(b.page);

  await b.context.setOffline(true);
  await board.addShot(b.page, '1');
  await board.edit(board.shot(b.page, '1A'), 'Description', 'Dust in the torch beam');
  await a.page.getByRole('button', { name: 'Delete scene 1' }).click();
  await expect(a.page.getByTestId('scene-row')).toHaveCount(1);
  await board.waitSynced(a.page);
  await b.context.setOffline(false);
  await board.waitSynced(b.page);

  for (const page of [a.page, b.page]) {
    await expect(page.getByTestId('scene-row')).toHaveCount(1);
    await expect(page.getByTestId('orphans')).toContainText('Dust in the torch beam');
  }
  // Numbers are not locked, so the garden, now first on the board, is scene 1 (N1).
  await a.page.getByLabel('Move shot 1A to scene').selectOption({ label: '1 EXT. GARDEN - DAY' });
  for (const page of [a.page, b.page]) {
    await expect(page.getByTestId('orphans')).toHaveCount(0);
    await expect(board.shot(page, '1A').getByLabel('Description')).toHaveValue('Dust in the torch beam');
    await expect.poll(() => board.outline(page)).toEqual(['scene:1', 'shot:1A']);
  }
  await clapper.screenshot(b.page, 'shotlist-orphan-restored');
});

test('a wrong sign-in code is refused with a message, and the right one signs in', async ({ clapper, page }) => {
  const email = clapper.email('gaffer');
  await page.goto(clapper.env.webUrl);
  await page.getByLabel('Work email').fill(email);
  await page.getByRole('button', { name: 'Email me a sign-in code' }).click();
  await page.getByLabel('Sign-in code').fill('000000');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('.form-error')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Projects' })).toHaveCount(0);
  await clapper.signIn(page, email);
  await expect(page.getByTestId('project-list')).toBeVisible();
  await clapper.screenshot(page, 'sign-in-then-projects');
});
