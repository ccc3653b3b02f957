/**
 * Dual dialogue (`^`, domain PG8) side by side in the editor, in Chromium against the
 * production build and a real server: the two speeches of a pair sit in the left and
 * right halves of the page, their cues level; both stay editable, and a co-writer's
 * window shows the same; removing the `^` stacks them again and typing it back puts them
 * side by side; export -> import keeps the script as it is. The blocks stay as stored.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { isUppercaseElement, parseFountain, toCapitals } from '@clapper/domain';
import { expect, test } from './fixtures.ts';
import {
  blocks,
  caret,
  converged,
  editorOf,
  importFountainFile,
  inputOf,
  openScript,
  openSharedScript,
  waitReady,
} from './support/script-editor.ts';

const sample = readFileSync(
  path.resolve(import.meta.dirname, '../../../packages/domain/test-data/the-last-lighthouse.fountain'),
  'utf8',
);

type Box = { x: number; y: number; width: number; height: number };

async function box(locator: Locator): Promise<Box> {
  await locator.scrollIntoViewIfNeeded();
  const found = await locator.boundingBox();
  if (!found) throw new Error('not on screen');
  return found;
}

/** The pair around "spare room" / "I have a room.", as sibling blocks: both cues, both speeches, what follows. */
function pair(page: Page) {
  const leftLine = inputOf(page).locator('[data-element="dialogue"]', { hasText: 'spare room' });
  return {
    leftCue: leftLine.locator('xpath=preceding-sibling::*[1]'),
    leftLine,
    rightCue: leftLine.locator('xpath=following-sibling::*[1]'),
    rightLine: leftLine.locator('xpath=following-sibling::*[2]'),
    after: leftLine.locator('xpath=following-sibling::*[3]'),
  };
}

/** The caret at the end of a block's last line (a half-width column wraps, so End alone ends the first). */
async function clickAtEnd(block: Locator): Promise<void> {
  const { width, height } = await box(block);
  await block.click({ position: { x: width - 2, y: height - 2 } });
  await block.page().keyboard.press('End');
}

async function expectSideBySide(page: Page): Promise<void> {
  const column = await box(inputOf(page));
  const middle = column.x + column.width / 2;
  const p = pair(page);
  await expect(p.leftCue).toHaveText('JONAH');
  await expect(p.rightCue).toHaveText('MAYA ^');
  await expect(p.rightLine).toHaveText(/^I have a room/);
  await expect(p.rightCue).toHaveClass(/sp-dual-right/);
  await expect(p.leftCue).toHaveClass(/sp-dual-left/);
  const [leftCue, rightCue, leftLine, rightLine, after] = [
    await box(p.leftCue),
    await box(p.rightCue),
    await box(p.leftLine),
    await box(p.rightLine),
    await box(p.after),
  ];
  // Cues level; the left speech in the left half, the right one in the right half.
  expect(Math.abs(leftCue.y - rightCue.y)).toBeLessThanOrEqual(1);
  for (const left of [leftCue, leftLine]) expect(left.x + left.width).toBeLessThanOrEqual(middle + 1);
  for (const right of [rightCue, rightLine]) expect(right.x).toBeGreaterThanOrEqual(middle - 1);
  expect(leftLine.y).toBeGreaterThan(leftCue.y);
  expect(rightLine.y).toBeGreaterThan(rightCue.y);
  // What follows the pair starts below both speeches.
  expect(after.y).toBeGreaterThanOrEqual(Math.max(leftLine.y + leftLine.height, rightLine.y + rightLine.height));
}

async function expectStacked(page: Page): Promise<void> {
  const p = pair(page);
  await expect(p.rightCue).not.toHaveClass(/sp-dual/);
  const leftLine = await box(p.leftLine);
  const rightCue = await box(p.rightCue);
  expect(rightCue.y).toBeGreaterThan(leftLine.y + leftLine.height);
}

test('[PG8] dual dialogue sits side by side in the editor, both speeches editable by both writers; without the ^ they stack; export -> import unchanged', async ({
  clapper,
}) => {
  test.setTimeout(180_000);
  const { a, b, projectId } = await openSharedScript(clapper);
  await importFountainFile(a.page, 'the-last-lighthouse.fountain', sample, 8);
  await expectSideBySide(a.page);
  await openScript(clapper, b.page, projectId);
  await waitReady(b.page);
  await expectSideBySide(b.page);
  await a.page.bringToFront();

  // Both speeches take typing, from either window; the pair stays side by side.
  await clickAtEnd(pair(a.page).rightLine);
  await a.page.keyboard.type(' And a view.');
  await b.page.bringToFront();
  await clickAtEnd(pair(b.page).leftLine);
  await b.page.keyboard.type(' With a desk.');
  const both = await converged(a.page, b.page);
  expect(both.map((block) => block.text)).toContain('I have a room. And a view.');
  expect(both.map((block) => block.text)).toContain(
    "You could come and live with us. There's a spare room. With a desk.",
  );
  await expectSideBySide(b.page);
  await a.page.bringToFront();
  await expectSideBySide(a.page);
  await clapper.screenshot(a.page, 'script-dual-dialogue');

  // The ^ is all there is to it: without it the speeches stack (here and there), with it back side by side.
  await clickAtEnd(pair(a.page).rightCue);
  await expect.poll(() => caret(a.page)).toMatchObject({ before: 'MAYA ^', after: '' });
  await a.page.keyboard.press('Backspace');
  await a.page.keyboard.press('Backspace');
  await expect(pair(a.page).rightCue).toHaveText('MAYA');
  await expectStacked(a.page);
  await expect(inputOf(b.page).locator('.sp-dual-left, .sp-dual-right')).toHaveCount(0);
  await a.page.keyboard.type(' ^');
  await expectSideBySide(a.page);
  await expect(inputOf(b.page).locator('.sp-dual-right')).toHaveCount(2);

  // Stored as before (flat blocks, `^` on the cue): export -> import gives the same script.
  const stored = await blocks(a.page);
  const [download] = await Promise.all([
    a.page.waitForEvent('download'),
    editorOf(a.page).getByRole('button', { name: 'Export .fountain' }).click(),
  ]);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'clapper-e2e-')), download.suggestedFilename());
  await download.saveAs(file);
  const reimported = parseFountain(readFileSync(file, 'utf8')).map((block) =>
    isUppercaseElement(block.type) ? { ...block, text: toCapitals(block.text) } : block,
  );
  expect(reimported).toEqual(stored);
});
