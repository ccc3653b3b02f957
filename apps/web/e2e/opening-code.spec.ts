/**
 * What a project's page loads is the client's code only. `@clapper/schema` also holds the
 * server's push validator, which builds a zod schema for every synced table when its module
 * runs; the web app never calls it, but while the package did not say its modules were free
 * of side effects (`"sideEffects": false`) webpack kept that module and zod in the
 * workspace's chunks, and every open of a project ran them before the board could read its
 * local copy (in a traced reopen at load ~21: 666 of the workspace code's 1,100 ms).
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { board } from './support/board.ts';

/** Every script the page loaded, fetched again from the web server: its URL and text. */
async function loadedScripts(page: Page): Promise<{ url: string; text: string }[]> {
  const urls = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((entry) => entry.name)
      .filter((url) => new URL(url).pathname.endsWith('.js')),
  );
  return Promise.all(
    [...new Set(urls)].map(async (url) => ({ url, text: await (await page.request.get(url)).text() })),
  );
}

test("a project's page loads neither zod nor the server's push validator", async ({ clapper }) => {
  const { page } = await clapper.newUser('code-reader');
  const projectId = await clapper.createProject(page, 'Lean Open');
  await board.waitSynced(page);
  // Opened again: the workspace's chunks, and what is preloaded once the board has shown.
  await clapper.openProject(page, projectId);
  await board.waitSynced(page);
  await page.waitForTimeout(2_000);

  const scripts = await loadedScripts(page);
  // The workspace's own chunks are among them (the board is rendered from them).
  expect(scripts.some(({ text }) => text.includes('shot-row'))).toBe(true);
  const offending = scripts
    .filter(({ text }) => /\bZodError\b/.test(text) || text.includes('must be 1-64 characters of A-Z'))
    .map(({ url }) => new URL(url).pathname);
  expect(offending).toEqual([]);
});
