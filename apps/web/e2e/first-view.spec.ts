/**
 * Code fetched ahead for other views (the screenplay editor, pdf-lib) waits for the
 * project's first view to show its data (lib/first-view.ts). An empty board is that data
 * once the local copy holds the project: synced on this page load, or on an earlier one.
 */
import type { Page } from '@playwright/test';
import { board } from './support/board.ts';
import { expect, test } from './fixtures.ts';

const viewShown = (page: Page) => page.evaluate(() => performance.getEntriesByName('clapper:view-shown').length);

test('an empty board synced on an earlier load counts as shown at once, even with the server down', async ({
  clapper,
}) => {
  const { page } = await clapper.newUser('planner');
  await clapper.createProject(page, 'Empty Board');
  await board.waitSynced(page);
  await expect.poll(() => viewShown(page)).toBe(1);

  // Reloaded with no server to sync with: the local copy (synced before) is the project.
  await clapper.stopServer();
  await page.reload();
  await expect(page.getByTestId('stripboard')).toBeVisible();
  await expect.poll(() => viewShown(page)).toBe(1);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-online', 'false');
});
