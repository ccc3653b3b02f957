/**
 * Typing into a cell of a long board (issue 12): a keystroke costs its own row, not the
 * board. Chromium's autofill reads, after every keystroke in a text field, the whole form
 * the field belongs to, checking each control's style and layout; fields outside any
 * `<form>` all count as one form of the document, every control of every row rendered.
 * Each row's cells are a form of their own (strip-rows.tsx, OwnForm).
 */
import { board } from './support/board.ts';
import { seedLongBoard } from './support/long-board.ts';
import { styleAndLayoutUpdates } from './support/style-updates.ts';
import { expect, test } from './fixtures.ts';

// Playwright's own trace would add its DOM snapshots' style and layout to the count below.
test.use({ trace: 'off' });

const scenes = 30;

const round = (n: number) => Math.round(n * 10) / 10;

test("a keystroke in a shot's cell costs its row: each row's cells are a form of their own, Enter still commits", async ({
  clapper,
}) => {
  const { page } = await clapper.newUser('board-typing');
  const projectId = await clapper.createProject(page, 'Typing Board');
  await seedLongBoard(page, projectId, scenes);
  await expect(page.locator('.strip-toolbar-title')).toContainText('30 scenes · 150 shots · 6 shooting days');

  // The rows beyond the screen are rendered once the board has painted (use-virtual-rows.tsx).
  await expect
    .poll(() => page.locator('.strip-rows > [data-row-id]').locator('input, select, button').count())
    .toBeGreaterThan(200);
  // Every control of every rendered row belongs to a form holding that row's controls only.
  const controls = await page.locator('.strip-rows > [data-row-id]').evaluateAll((rows) =>
    rows.flatMap((row) =>
      [...row.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLButtonElement>('input, select, button')].map(
        (control) => ({
          row: row.getAttribute('data-row-id'),
          formRow: control.form?.closest('[data-row-id]')?.getAttribute('data-row-id') ?? null,
          formSize: control.form?.elements.length ?? Number.POSITIVE_INFINITY,
        }),
      ),
    ),
  );
  expect(controls.length).toBeGreaterThan(200);
  expect(controls.filter((c) => c.formRow !== c.row)).toEqual([]);
  expect(Math.max(...controls.map((c) => c.formSize))).toBeLessThanOrEqual(12);

  // In real Chromium: what a keystroke makes the renderer re-check is about its row, not the
  // rendered board (before: each keystroke checked every rendered control's style and
  // layout, twice; ~880 updates a keystroke on the feature board, ~70 since).
  const description = board.shot(page, '2C').getByLabel('Description', { exact: true });
  await description.click();
  await description.press('ControlOrMeta+A');
  const typed = 'Slow push in on the ferry';
  const { keydowns, updates } = await styleAndLayoutUpdates(page, () => page.keyboard.type(typed, { delay: 50 }));
  expect(keydowns).toBe(typed.length);
  console.log(
    `${controls.length} controls rendered, ${round(updates / keydowns)} style-and-layout updates a keystroke`,
  );
  expect(updates / keydowns).toBeLessThan(controls.length / 2);

  // Enter commits the cell (no form submission: the page stays, the text is saved).
  const url = page.url();
  await description.press('Enter');
  await expect(description).not.toBeFocused();
  await expect(description).toHaveValue(typed);
  expect(page.url()).toBe(url);
  await page.reload();
  await expect(board.shot(page, '2C').getByLabel('Description', { exact: true })).toHaveValue(typed);
  await clapper.screenshot(page, 'board-typing');
});
