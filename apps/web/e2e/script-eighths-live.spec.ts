/**
 * The board's page eighths follow the script without pressing Build again (domain PG7,
 * issue 10), in Chromium against the production build and a real server: after Build
 * from script, a writer types lines of action into one scene; a second window's board
 * (another editor) shows that scene's new length, and so does the writer's own board.
 * Each window's runs are read from its `clapper:scene-eighths` performance entries: the
 * change is written once or twice at most (both windows compute the same value), and
 * nothing is written again afterwards.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { formatEighths, scenesFromScript } from '@clapper/domain';
import { expect, test } from './fixtures.ts';
import { board } from './support/board.ts';
import { blocks, importFountainFile, inputOf, openSharedScript, waitReady } from './support/script-editor.ts';

const ferry = readFileSync(
  path.resolve(import.meta.dirname, '../../../packages/domain/test-data/the-night-ferry.fountain'),
);

interface Run {
  blocks: number;
  scenes: number;
  paginateMs: number;
  where: 'worker' | 'window';
  written: number;
}

/** The live-eighths runs this window made so far (the app's performance entries). */
function runsOf(page: Page): Promise<Run[]> {
  return page.evaluate(() =>
    performance.getEntriesByName('clapper:scene-eighths').map((entry) => (entry as PerformanceMeasure).detail as Run),
  );
}

const written = (runs: readonly Run[]) => runs.reduce((sum, run) => sum + run.written, 0);

test('[PG7] typing action into a scene changes its eighths on the board, in this window and another, without Build from script again; nothing churns', async ({
  clapper,
}) => {
  test.setTimeout(180_000);
  const { a, b, projectId } = await openSharedScript(clapper);
  await importFountainFile(a.page, 'the-night-ferry.fountain', ferry, 6);
  await a.page.getByRole('tab', { name: 'Shot list' }).click();
  await a.page.getByRole('button', { name: 'Build from script' }).click();
  await expect(a.page.getByTestId('build-message')).toHaveText('Added 6 scenes from the script.');
  await a.page.getByRole('tab', { name: 'Script' }).click();
  await waitReady(a.page);
  const before = scenesFromScript(await blocks(a.page));
  const carDeck = before.find((scene) => scene.heading === 'EXT. CAR DECK - NIGHT');
  expect(carDeck?.number).toBe('3');

  // The other window: a board already right, so opening it computes and writes nothing.
  await clapper.openProject(b.page, projectId);
  await expect(board.scene(b.page, '3').getByLabel('Page eighths')).toHaveValue(formatEighths(carDeck!.pageEighths!));
  // A scene linked to the script takes its length from the script's pages: nobody types it
  // (a typed value would be overwritten at the script's next change).
  await expect(board.scene(b.page, '3').getByLabel('Page eighths')).toBeDisabled();
  await expect(board.scene(b.page, '3').getByLabel('Page eighths')).toHaveAttribute(
    'title',
    'Page eighths, from the script’s pages',
  );
  await expect.poll(async () => (await runsOf(b.page)).length, { timeout: 15_000 }).toBeGreaterThan(0);
  expect(written(await runsOf(b.page))).toBe(0);

  // Lines of action at the end of scene 3 (its last block), typed by the writer, whose
  // window comes to the front (Chromium holds back the frames of a window behind another).
  await a.page.bringToFront();
  await inputOf(a.page).locator('[data-element="action"]', { hasText: 'He minds the chains.' }).click();
  await a.page.keyboard.press('End');
  for (let line = 1; line <= 12; line++) {
    await a.page.keyboard.press('Enter');
    await a.page.keyboard.type(`Line ${line}.`);
    // A pause longer than the editor's wait halfway: the board updates mid-scene, and the
    // writer goes on typing where they were.
    if (line === 6)
      await expect.poll(async () => written(await runsOf(a.page)), { timeout: 15_000 }).toBeGreaterThan(0);
  }
  await expect(inputOf(a.page).locator('[data-element="action"]', { hasText: 'Line 12.' })).toBeAttached();
  const typed = await blocks(a.page);
  const after = scenesFromScript(typed).find((scene) => scene.number === '3')!;
  expect(after.pageEighths).toBeGreaterThan(carDeck!.pageEighths! + 2);
  const shown = formatEighths(after.pageEighths!);

  // The other window's board follows, live, with nobody pressing Build.
  await expect(board.scene(b.page, '3').getByLabel('Page eighths')).toHaveValue(shown, { timeout: 20_000 });
  // And the writer's own board.
  const editorRuns = (await runsOf(a.page)).length;
  await a.page.getByRole('tab', { name: 'Shot list' }).click();
  await expect(board.scene(a.page, '3').getByLabel('Page eighths')).toHaveValue(shown);
  await board.waitSynced(a.page);
  await board.waitSynced(b.page);

  // Both windows computed it. The writer's window goes first and the other, waiting
  // longer, normally finds it written; at worst both write each changed scene once. Once
  // there, further runs (the writer's board opening now) write nothing.
  await expect.poll(async () => (await runsOf(a.page)).length, { timeout: 15_000 }).toBeGreaterThan(editorRuns);
  const changed = scenesFromScript(typed).filter((scene, i) => scene.pageEighths !== before[i]?.pageEighths).length;
  const settled = written(await runsOf(a.page)) + written(await runsOf(b.page));
  console.log(
    `scenes changed ${changed}; written by the writer ${written(await runsOf(a.page))}, by the other ${written(await runsOf(b.page))}`,
  );
  expect(settled).toBeGreaterThanOrEqual(changed);
  expect(settled).toBeLessThanOrEqual(2 * changed);
  await a.page.waitForTimeout(3_000);
  expect(written(await runsOf(a.page)) + written(await runsOf(b.page))).toBe(settled);
  const runs = [...(await runsOf(a.page)), ...(await runsOf(b.page))];
  // Every run paginated in the script-pages worker, none on a window's main thread.
  expect(runs.map((run) => run.where)).toEqual(runs.map(() => 'worker'));
  console.log(
    `live eighths runs (read + paginate, ${runs[0]?.blocks} blocks): ${runs.map((run) => run.paginateMs.toFixed(1)).join(', ')} ms`,
  );

  // A scene the crew adds that the script doesn't have keeps a length typed by hand.
  const pickup = await board.addScene(b.page, 'EXT. HARBOUR WALL - DAY');
  await board.edit(pickup, 'Page eighths', '3/8');
  await expect(pickup.getByLabel('Page eighths')).toBeEnabled();
  await expect(pickup.getByLabel('Page eighths')).toHaveValue('3/8');
  await clapper.screenshot(b.page, 'script-eighths-live');
});
