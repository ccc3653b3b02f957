/**
 * A long board (issue 12.1): only the rows on screen are in the DOM, and the keyboard,
 * a half-typed cell and the scroll position behave as if every row were there.
 */
import type { Page } from '@playwright/test';
import { board } from './support/board.ts';
import { seedLongBoard } from './support/long-board.ts';
import { expect, test } from './fixtures.ts';

const scenes = 60;

/** The focused row's label (shots) or kind, and whether it lies fully on screen below the column heads. */
function focusedRow(page: Page) {
  return page.evaluate(() => {
    const row = document.activeElement?.closest<HTMLElement>('[data-row-id]');
    if (!row) return null;
    const heads = document.querySelector('.strip-heads')!.getBoundingClientRect();
    const box = row.getBoundingClientRect();
    return {
      label: row.dataset.label ?? row.dataset.kind,
      onScreen: box.top >= heads.bottom - 1 && box.bottom <= innerHeight + 1,
    };
  });
}

const scroller = (page: Page) => page.locator('.workspace-main');

test('a 372-row board renders what is on screen; keyboard, drafts and scrolling work across it', async ({
  clapper,
}) => {
  // About a hundred key presses, each awaited, and a reload: longer than most tests.
  test.setTimeout(240_000);
  const { page } = await clapper.newUser('long-board');
  const projectId = await clapper.createProject(page, 'Long Board');
  await seedLongBoard(page, projectId, scenes);
  await expect(page.locator('.strip-toolbar-title')).toContainText('60 scenes · 300 shots · 12 shooting days');

  // Only a screenful (and a margin) of the 372 rows is in the DOM.
  const rendered = await page.locator('.strip-rows > [data-row-id]').count();
  expect(rendered).toBeGreaterThan(10);
  expect(rendered).toBeLessThan(80);
  await expect(board.shot(page, '1A')).toBeVisible();
  await expect(board.shot(page, '60E')).toHaveCount(0);

  // ↓ walks row by row past the bottom of the screen: the focus follows, always on screen.
  await board.shot(page, '1A').focus();
  for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowDown');
  // 40 rows below 1A (scenes of 6 rows, day 2's break before scene 6): shot 7D.
  await expect.poll(() => focusedRow(page)).toEqual({ label: '7D', onScreen: true });
  await expect(board.shot(page, '1A')).toHaveCount(0);

  // Alt+↓ moves the focused shot down one row, and the keyboard stays on it.
  await board.shot(page, '8B').focus();
  await page.keyboard.press('Alt+ArrowDown');
  await expect
    .poll(async () => (await board.outline(page)).filter((row) => row.startsWith('shot:8')))
    .toEqual(['shot:8A', 'shot:8C', 'shot:8B', 'shot:8D', 'shot:8E']);
  await expect.poll(() => focusedRow(page)).toEqual({ label: '8B', onScreen: true });

  // A half-typed cell survives scrolling it far out of view and back, and is still the focus.
  const description = board.shot(page, '8D').getByLabel('Description', { exact: true });
  await description.click();
  await description.fill('Half typed, not yet saved');
  await scroller(page).evaluate((box) => (box.scrollTop = box.scrollHeight));
  await expect(board.shot(page, '60E')).toBeVisible();
  await expect(description).toBeFocused();
  await scroller(page).evaluate((box) => (box.scrollTop = 0));
  await expect(board.shot(page, '1A')).toBeVisible();
  await description.scrollIntoViewIfNeeded();
  await expect(description).toHaveValue('Half typed, not yet saved');
  await description.press('Enter');
  await expect(description).toHaveValue('Half typed, not yet saved');

  // ↑ from the board's last row after a jump to the end: the rows above render as the focus reaches them.
  await scroller(page).evaluate((box) => (box.scrollTop = box.scrollHeight));
  await board.shot(page, '60E').focus();
  for (let i = 0; i < 31; i++) await page.keyboard.press('ArrowUp');
  await expect.poll(() => focusedRow(page)).toEqual({ label: '55E', onScreen: true });

  // After a reload the edit is there, read from the local copy.
  await page.reload();
  await expect(board.shot(page, '1A')).toBeVisible();
  await board.scrollTo(page, board.shot(page, '8D'));
  await expect(board.shot(page, '8D').getByLabel('Description', { exact: true })).toHaveValue(
    'Half typed, not yet saved',
  );
  await clapper.screenshot(page, 'board-scale');
});

test("opening a board renders the screen's rows only; the rows beyond it follow once it has painted", async ({
  clapper,
}) => {
  const { page } = await clapper.newUser('first-frame');
  const projectId = await clapper.createProject(page, 'First Frame');
  await seedLongBoard(page, projectId, scenes);
  await expect(page.locator('.strip-toolbar-title')).toContainText('60 scenes · 300 shots · 12 shooting days');
  await board.waitSynced(page);
  // LokiJS writes IndexedDB on its own schedule (autosave, every 500 ms): reloaded before,
  // the local copy (synced before: shown at once) could still be the empty board.
  await page.waitForTimeout(1_500);

  // In the frame that paints the board (its animation frame, queued when the board says it
  // has shown its rows): how many rows are in the DOM, and how many lie wholly below the
  // workspace's scroll box.
  await page.addInitScript(() => {
    const mark = performance.mark.bind(performance);
    performance.mark = ((name: string, options?: PerformanceMarkOptions) => {
      const entry = mark(name, options);
      if (name === 'clapper:view-shown')
        requestAnimationFrame(() => {
          const bottom = document.querySelector('.workspace-main')!.getBoundingClientRect().bottom;
          const rows = [...document.querySelectorAll('.strip-rows > [data-row-id]')];
          (window as unknown as { firstFrame: object }).firstFrame = {
            rows: rows.length,
            below: rows.filter((row) => row.getBoundingClientRect().top > bottom + 1).length,
          };
        });
      return entry;
    }) as typeof performance.mark;
  });
  const rowsBelow = () =>
    page.evaluate(() => {
      const bottom = document.querySelector('.workspace-main')!.getBoundingClientRect().bottom;
      return [...document.querySelectorAll('.strip-rows > [data-row-id]')].filter(
        (row) => row.getBoundingClientRect().top > bottom + 1,
      ).length;
    });

  await page.reload();
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { firstFrame?: object }).firstFrame ?? null))
    .toEqual({ rows: expect.any(Number), below: 0 });
  const first = await page.evaluate(() => (window as unknown as { firstFrame: { rows: number } }).firstFrame);
  expect(first.rows).toBeGreaterThan(10);
  // Then, once the browser is idle after that frame, the rows a short scroll or ↓ reaches.
  await expect.poll(rowsBelow).toBeGreaterThanOrEqual(10);
});
