/**
 * Reopening a project opens its local database while the workspace's code is still
 * loading (@clapper/sync-client/preload), and only that database. WatermelonDB on its own
 * started only once that code had run, and then first opened and closed a
 * `WatermelonIDBChecker` database, then the project's, then read its keys, then its rows:
 * in traced reopens at load 14-23 the checker's open alone was 61-134 ms with the main
 * thread idle (a page's first IndexedDB open is the slow one), all of it after the
 * workspace's code was in.
 */
import type { Page } from '@playwright/test';
import { board } from './support/board.ts';
import { seedLongBoard } from './support/long-board.ts';
import { expect, test } from './fixtures.ts';

/** Records, in the page, each IndexedDB open (database name) and object-store read, with when (ms) it started. */
const recordIndexedDb = `(() => {
  const log = (globalThis.__idb = []);
  const open = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (name) {
    log.push(['open', String(name), performance.now()]);
    return open.apply(this, arguments);
  };
  for (const read of ['getAll', 'getAllKeys']) {
    const original = IDBObjectStore.prototype[read];
    IDBObjectStore.prototype[read] = function () {
      log.push([read, this.name, performance.now()]);
      return original.apply(this, arguments);
    };
  }
})();`;

async function opening(page: Page) {
  return page.evaluate(() => ({
    idb: (globalThis as unknown as { __idb: [string, string, number][] }).__idb,
    workspaceCode: performance.getEntriesByName('clapper:workspace-code')[0]?.startTime ?? null,
  }));
}

test('a reopen opens the local copy once, begun before the workspace code is in, and LokiJS keeps that connection', async ({
  clapper,
}) => {
  const { page, context } = await clapper.newUser('board-open');
  const projectId = await clapper.createProject(page, 'Open Fast');
  await seedLongBoard(page, projectId, 30);
  await expect(page.locator('.strip-toolbar-title')).toContainText('30 scenes · 150 shots');
  await board.waitSynced(page);
  // LokiJS writes IndexedDB on its own schedule (autosave, every 500 ms).
  await page.waitForTimeout(1_500);
  await context.addInitScript(recordIndexedDb);
  await page.close();

  const reopened = await context.newPage();
  await reopened.goto(`${clapper.env.webUrl}/projects/${encodeURIComponent(projectId)}`);
  await expect(reopened.locator('.strip-toolbar-title')).toContainText('30 scenes · 150 shots');
  await expect(board.shot(reopened, '1A')).toBeVisible();
  const { idb, workspaceCode } = await opening(reopened);
  const opens = idb.filter(([kind]) => kind === 'open');
  // The project's database only: no WatermelonIDBChecker first.
  expect(opens.map(([, name]) => name)).toEqual([expect.stringMatching(new RegExp(`:${projectId}$`))]);
  // Begun while the workspace's code was still on its way.
  expect(workspaceCode).not.toBeNull();
  expect(opens[0]![2]).toBeLessThan(workspaceCode!);
  // LokiJS read through it (its keys, then its rows).
  expect(idb.filter(([kind]) => kind !== 'open').map(([kind, store]) => `${kind} ${store}`)).toEqual([
    'getAllKeys LokiIncrementalData',
    'getAll LokiIncrementalData',
  ]);

  // LokiJS writes through the connection it was handed: an edit made offline is there on
  // the next reopen, offline (the app from the service worker, the board from IndexedDB).
  await context.setOffline(true);
  await board.edit(board.shot(reopened, '1A'), 'Description', 'Kept on this device');
  await reopened.waitForTimeout(1_500);
  await reopened.close();
  const offline = await context.newPage();
  await offline.goto(`${clapper.env.webUrl}/projects/${encodeURIComponent(projectId)}`);
  await expect(board.shot(offline, '1A').getByLabel('Description')).toHaveValue('Kept on this device');
  await context.setOffline(false);
});
