/**
 * Opens offline (public/sw.js): a project opened once opens again with no network at all,
 * not even to the web server that served the app, and an edit made then syncs once the
 * network is back. The web server here is this test's own `next start` of the tested
 * build, so the test can take it down for real: without the service worker the reload
 * would find nothing listening and show the browser's error page.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { board } from './support/board.ts';
import { blocks, caretAtEnd, editorOf, waitReady } from './support/script-editor.ts';
import { WebServer, freePort } from './support/web-server.ts';

/** Where each of the board's live-eighths runs paginated (the app's `clapper:scene-eighths` entries). */
function eighthsRuns(page: Page): Promise<{ where: string }[]> {
  return page.evaluate(() =>
    performance
      .getEntriesByName('clapper:scene-eighths')
      .map((entry) => (entry as PerformanceMeasure).detail as { where: string }),
  );
}

/** Cached copies of the script-pages worker's script (its chunk is named for it). */
function cachedWorkerScripts(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let found = 0;
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      found += (await cache.keys()).filter((request) => request.url.includes('script-pages-worker')).length;
    }
    return found;
  });
}

test('with the web server and the Clapper server both down, a project opened before reloads from the local copy; an edit made then syncs when they are back', async ({
  clapper,
  browser,
}) => {
  const web = new WebServer(await freePort(), clapper.env.apiUrl);
  await web.start();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const email = clapper.email('offline');
    await clapper.signIn(page, email, web.url);
    const projectId = await clapper.createProject(page, 'Night Ferry', web.url);
    await board.addScene(page, 'INT. FERRY DECK - NIGHT');
    await board.addShot(page, '1');
    await board.edit(board.shot(page, '1A'), 'Description', 'Wide on the wet deck');
    await board.waitSynced(page);
    await page.getByRole('tab', { name: 'Script' }).click();
    await waitReady(page);
    await caretAtEnd(page, 0);
    await page.keyboard.type('INT. FERRY DECK - NIGHT');
    await expect(editorOf(page)).toHaveAttribute('data-status', 'synced');
    await page.getByRole('tab', { name: 'Shot list' }).click();
    // The app shell of this page is cached.
    await expect(page.locator('html')).toHaveAttribute('data-offline-ready', 'true', { timeout: 30_000 });
    // So is the script-pages worker's own script, which the page loads only once the
    // script has settled (the board's live eighths, paginated off the main thread).
    await expect
      .poll(() => eighthsRuns(page).then((runs) => runs.map((run) => run.where)), { timeout: 30_000 })
      .toContain('worker');
    await expect.poll(() => cachedWorkerScripts(page), { timeout: 15_000 }).toBeGreaterThan(0);

    // No network: nothing answers on the web server's port, nor on the Clapper server's.
    await web.stop();
    await clapper.stopServer();
    expect(
      await fetch(web.url).then(
        () => 'answered',
        () => 'unreachable',
      ),
    ).toBe('unreachable');

    await page.reload();
    await expect(page.getByTestId('stripboard')).toBeVisible();
    await expect(board.scene(page, '1').getByLabel('Scene heading')).toHaveValue('INT. FERRY DECK - NIGHT');
    await expect(board.shot(page, '1A').getByLabel('Description')).toHaveValue('Wide on the wet deck');
    await expect(page.getByTestId('sync-status')).toHaveAttribute('data-online', 'false');
    // The script, from its local copy.
    await page.getByRole('tab', { name: 'Script' }).click();
    await expect
      .poll(async () => (await blocks(page)).map((b) => b.text).join('\n'))
      .toContain('INT. FERRY DECK - NIGHT');
    // The browser offline too: the editor trusts its local copy and paginates it for the
    // board's eighths, in the worker, whose script came from the service worker's cache.
    const runsBefore = (await eighthsRuns(page)).length;
    await context.setOffline(true);
    await expect.poll(async () => (await eighthsRuns(page)).length, { timeout: 20_000 }).toBeGreaterThan(runsBefore);
    const offlineRuns = (await eighthsRuns(page)).slice(runsBefore).map((run) => run.where);
    expect(offlineRuns).toEqual(offlineRuns.map(() => 'worker'));
    await context.setOffline(false);
    await page.getByRole('tab', { name: 'Shot list' }).click();

    // Work goes on: a shot added and described with no network.
    await board.addShot(page, '1');
    await board.edit(board.shot(page, '1B'), 'Description', 'Close on the rope, no network');
    await expect(page.getByTestId('sync-status')).not.toHaveAttribute('data-pending', '0');
    await clapper.screenshot(page, 'offline-start-edited');

    // The network returns: the queued edit goes out.
    await clapper.startServer();
    await web.start();
    await expect(page.getByTestId('sync-status')).toHaveAttribute('data-pending', '0', { timeout: 30_000 });
    await board.waitSynced(page);

    // Another device of the same person sees it, from the server.
    const laptop = await browser.newContext();
    const laptopPage = await laptop.newPage();
    await clapper.signIn(laptopPage, email);
    await clapper.openProject(laptopPage, projectId);
    await expect(board.shot(laptopPage, '1B').getByLabel('Description')).toHaveValue('Close on the rope, no network');
    await laptop.close();
    await context.close();
  } finally {
    await web.stop();
  }
});
