/**
 * The service worker's static route (public/sw.js, install): a reopened project's scripts
 * come from the worker's cache by the browser itself, without the worker's fetch handler
 * (which a reopen's scripts waited on). A static file first loaded after the worker was
 * installed misses that cache and goes to the network past the worker, so the page reports
 * it (src/lib/offline-shell.ts) and it is kept: offline, it still loads.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { board } from './support/board.ts';
import { waitReady } from './support/script-editor.ts';
import { WebServer, freePort, webDir } from './support/web-server.ts';

type Source = { url: string; matched?: string; final?: string };

/** The page's /_next/static/ loads and where the service worker's router sent them (Resource Timing). */
function staticLoads(page: Page): Promise<Source[]> {
  return page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter((entry) => entry.name.startsWith(`${location.origin}/_next/static/`))
      .map((entry) => {
        const timing = entry as PerformanceEntry & { workerMatchedSourceType?: string; workerFinalSourceType?: string };
        return { url: entry.name, matched: timing.workerMatchedSourceType, final: timing.workerFinalSourceType };
      }),
  );
}

/** Fetches `href` and reads its body; whether it loaded. */
async function load(href: string): Promise<boolean> {
  const response = await fetch(href);
  await response.arrayBuffer();
  return response.ok;
}

/** Whether any cache of the origin holds `url`. */
function cached(page: Page, url: string): Promise<boolean> {
  return page.evaluate(async (href) => !!(await caches.match(href)), url);
}

test('a reopened project loads its static files by the static route, from the cache; a file first loaded after the worker was installed is kept and loads offline', async ({
  clapper,
  browser,
}) => {
  const web = new WebServer(await freePort(), clapper.env.apiUrl);
  await web.start();
  try {
    const context = await browser.newContext();
    // Room for every load of a page in Resource Timing (the default keeps the first 250).
    await context.addInitScript(() => performance.setResourceTimingBufferSize(10_000));
    const first = await context.newPage();
    await clapper.signIn(first, clapper.email('routes'), web.url);
    const projectId = await clapper.createProject(first, 'Night Ferry', web.url);
    await board.addScene(first, 'INT. FERRY DECK - NIGHT');
    await board.waitSynced(first);
    await expect(first.locator('html')).toHaveAttribute('data-offline-ready', 'true', { timeout: 30_000 });
    const firstLoads = new Set((await staticLoads(first)).map((load) => load.url));
    // Files loaded after the worker was installed are kept as the page reports them, after
    // data-offline-ready: wait for them too before the reopen expects them in the cache.
    await expect
      .poll(async () => (await Promise.all([...firstLoads].map((url) => cached(first, url)))).every(Boolean), {
        timeout: 15_000,
      })
      .toBe(true);
    await first.close();

    // Reopen in a new tab of the same profile: the worker controls it from the start.
    const page = await context.newPage();
    await page.goto(`${web.url}/projects/${projectId}`);
    await expect(board.scene(page, '1').getByLabel('Scene heading')).toHaveValue('INT. FERRY DECK - NIGHT');
    expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
    const loads = await staticLoads(page);
    const again = loads.filter((load) => firstLoads.has(load.url));
    expect(again.length).toBeGreaterThan(0);
    // Every static file matched the route ('cache'), not the fetch handler ('fetch-event'),
    // and those the first visit loaded (so kept) came from the cache.
    expect(loads.filter((load) => load.matched !== 'cache')).toEqual([]);
    expect(again.filter((load) => load.final !== 'cache')).toEqual([]);

    // A static file of this build that no page has loaded yet: a miss, to the network past
    // the worker, then kept because the page reports it.
    const loaded = new Set([...firstLoads, ...loads.map((load) => load.url)]);
    const chunksDir = path.join(webDir, process.env.CLAPPER_NEXT_DIST || '.next', 'static', 'chunks');
    const late = readdirSync(chunksDir)
      .filter((name) => name.endsWith('.js'))
      .map((name) => `${web.url}/_next/static/chunks/${name}`)
      .find((url) => !loaded.has(url));
    expect(late, 'a chunk no page has loaded').toBeDefined();
    expect(await cached(page, late!)).toBe(false);
    expect(await page.evaluate(load, late!)).toBe(true);
    // Its Resource Timing entry is added once the body is in, not when fetch() resolves.
    await expect
      .poll(async () => (await staticLoads(page)).find((entry) => entry.url === late), { timeout: 10_000 })
      .toMatchObject({ matched: 'cache', final: 'network' });
    await expect.poll(() => cached(page, late!), { timeout: 15_000 }).toBe(true);

    // Offline (the web server down): the project reopens, and the late file loads from the cache.
    await web.stop();
    await page.reload();
    await expect(board.scene(page, '1').getByLabel('Scene heading')).toHaveValue('INT. FERRY DECK - NIGHT');
    expect(await page.evaluate(load, late!)).toBe(true);
    // The script editor, whose chunks load after the board (the first visit's kept them).
    await page.getByRole('tab', { name: 'Script' }).click();
    await waitReady(page);
    await context.close();
  } finally {
    await web.stop();
  }
});
