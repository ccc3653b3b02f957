/**
 * A deploy, as a device sees it (public/sw.js): pages open from the service worker's cache
 * at once, so the first load after a new build is deployed still runs the build the device
 * had; that load learns of the newer build in the background (offering a reload), and the
 * next load runs the newer build, whose worker keeps its own copy of the app shell, so the
 * project opens offline in the newer build, and then takes over. The "deploy" is real: a
 * second production build of this app (its own build id, so its own chunk names and
 * worker), started by this test on the same origin in place of the first.
 *
 * Chromium activates the newer worker only once the previous build's worker is idle, and
 * every request of a page that worker controls wakes it again (with DevTools attached, as
 * here, a worker woken after it was asked to stop is not stopped before a 5-minute limit):
 * the newer build's page once waited for its worker to be active before keeping its shell,
 * and in 2 of about 6 runs did not get there within 60 s. Here a second window of the
 * previous build holds a request open in that worker all along, so the newer worker waits
 * for as long as the test needs, every run.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Route } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { board } from './support/board.ts';
import { WebServer, freePort, nextBin, webDir } from './support/web-server.ts';

const currentDist = process.env.CLAPPER_NEXT_DIST || '.next';
const newerDist = `${currentDist}-newer`;
const buildIdOf = (dist: string) => {
  const file = path.join(webDir, dist, 'BUILD_ID');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : null;
};

/** The build deployed after the one under test: built once per build under test (minutes), reused after. */
async function newerBuild(): Promise<string> {
  const current = buildIdOf(currentDist);
  if (!current) throw new Error(`no build under test in ${currentDist}`);
  const id = `${current}-newer`;
  if (buildIdOf(newerDist) === id) return id;
  const code = await new Promise<number | null>((resolve) => {
    const build = spawn(process.execPath, [nextBin, 'build', '--webpack'], {
      cwd: webDir,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', CLAPPER_NEXT_DIST: newerDist, CLAPPER_BUILD_ID: id },
      stdio: 'ignore',
    });
    build.once('exit', resolve);
  });
  if (code !== 0 || buildIdOf(newerDist) !== id) throw new Error(`next build of the newer build failed (${code})`);
  return id;
}

test('after a deploy, a project opens from the cached page at once, the next load runs the new build, which keeps its own shell and opens offline', async ({
  clapper,
  browser,
}) => {
  test.setTimeout(15 * 60_000);
  const newer = await newerBuild();
  const current = buildIdOf(currentDist)!;
  const port = await freePort();
  const deployed = new WebServer(port, clapper.env.apiUrl);
  const next = new WebServer(port, clapper.env.apiUrl, newerDist);
  await deployed.start();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const html = page.locator('html');
    await clapper.signIn(page, clapper.email('deploy'), deployed.url);
    await clapper.createProject(page, 'Night Ferry', deployed.url);
    await board.addScene(page, 'INT. FERRY DECK - NIGHT');
    await board.waitSynced(page);
    await expect(html).toHaveAttribute('data-offline-ready', 'true', { timeout: 30_000 });
    await expect(html).toHaveAttribute('data-build', current);

    // A second window of the project, whose request (held by the test) keeps this build's
    // worker busy from now on: a frame's page, which the worker's fetch handler fetches (static
    // files no longer pass through it: its static route, public/sw.js).
    let held: Route | null = null;
    await context.route('**/held-by-the-test', (route) => void (held = route));
    const other = await context.newPage();
    await other.goto(page.url());
    await expect(board.scene(other, '1').getByLabel('Scene heading')).toHaveValue('INT. FERRY DECK - NIGHT');
    await other.evaluate(() => {
      const frame = document.createElement('iframe');
      frame.src = '/held-by-the-test';
      document.body.append(frame);
    });
    await expect.poll(() => held !== null).toBe(true);

    // The newer build replaces the one this device has.
    await deployed.stop();
    await next.start();

    // This load is the cached page of the build the device had, served without waiting for
    // the web server; fetching it again in the background shows a newer build is out.
    await page.reload();
    await expect(board.scene(page, '1').getByLabel('Scene heading')).toHaveValue('INT. FERRY DECK - NIGHT');
    await expect(html).toHaveAttribute('data-build', current);
    await expect(html).toHaveAttribute('data-newer-build', newer, { timeout: 30_000 });
    await expect(page.getByRole('status').filter({ hasText: 'A new version of Clapper is ready' })).toBeVisible();

    // The next load runs the newer build, on the same local copy.
    await page.getByRole('button', { name: 'Reload' }).click();
    await expect(html).toHaveAttribute('data-build', newer);
    await expect(board.scene(page, '1').getByLabel('Scene heading')).toHaveValue('INT. FERRY DECK - NIGHT');
    await expect(page.getByRole('status').filter({ hasText: 'A new version' })).toHaveCount(0);

    // Its own worker keeps its shell while still waiting behind the busy previous one.
    await expect(html).toHaveAttribute('data-offline-ready', 'true', { timeout: 60_000 });
    const workers = () =>
      page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        const url = (worker: ServiceWorker | null | undefined) => worker?.scriptURL ?? null;
        return {
          waiting: url(registration?.waiting),
          active: url(registration?.active),
          controller: url(navigator.serviceWorker.controller),
        };
      });
    const build = (id: string) => expect.stringContaining(`build=${encodeURIComponent(id)}`);
    expect(await workers()).toEqual({ waiting: build(newer), active: build(current), controller: build(current) });

    // With the web server gone, the newer build opens (from the previous worker, which
    // serves the newer build's kept page and files).
    await next.stop();
    await page.reload();
    await expect(html).toHaveAttribute('data-build', newer);
    await expect(board.scene(page, '1').getByLabel('Scene heading')).toHaveValue('INT. FERRY DECK - NIGHT');
    await clapper.screenshot(page, 'new-build-offline');

    // Once the previous worker is idle, the newer one takes over.
    await (held as Route | null)?.abort();
    await other.close();
    await expect
      .poll(workers, { timeout: 60_000 })
      .toEqual({ waiting: null, active: build(newer), controller: build(newer) });
    await context.close();
  } finally {
    await deployed.stop();
    await next.stop();
  }
});
