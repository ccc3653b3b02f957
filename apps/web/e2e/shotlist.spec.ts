import { board } from './support/board.ts';
import { expect, test } from './fixtures.ts';

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
  await board.shot(a.page, '1B').getByTestId('drag-handle').dragTo(target, { targetPosition: { x: 200, y: 4 } });
  expect(box).not.toBeNull();
  await expect.poll(() => board.shotLabels(a.page)).toEqual(['1B', '1C', '1A']);
  await expect.poll(() => board.shotLabels(b.page), seenWithin).toEqual(['1B', '1C', '1A']);

  await board.waitSynced(a.page);
  await clapper.screenshot(b.page, 'shotlist-live-edits');
});
