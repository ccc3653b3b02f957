/**
 * The line being written stays clear of the window's bottom edge (typewriter-margin-plugin):
 * typing on the last visible line scrolls it up to a third of the view above the bottom,
 * the script's last line can come up too, and a co-writer's edits never scroll the other
 * window.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import {
  converged,
  importFountainFile,
  inputOf,
  openScript,
  openSharedScript,
  waitReady,
} from './support/script-editor.ts';

/** 2 × `scenes` blocks: a heading and an action line per scene. */
function scenesText(scenes: number): string {
  return Array.from({ length: scenes }, (_, i) => `INT. ROOM ${i + 1} - DAY\n\nAction ${i + 1}.\n\n`).join('');
}

/** The editor's scroller: its scroll position and visible box, and where the caret line is (viewport px). */
async function view(page: Page) {
  return inputOf(page).evaluate((root) => {
    let scroller: HTMLElement | null = root.parentElement;
    while (scroller && !/(auto|scroll)/.test(getComputedStyle(scroller).overflowY)) scroller = scroller.parentElement;
    const box = (scroller ?? document.documentElement).getBoundingClientRect();
    const selection = getSelection();
    const range = selection && selection.rangeCount > 0 ? selection.getRangeAt(0) : null;
    let caret = range?.getBoundingClientRect() ?? null;
    if (caret && caret.height === 0) caret = range?.startContainer.parentElement?.getBoundingClientRect() ?? null;
    return {
      scrollTop: scroller?.scrollTop ?? scrollY,
      top: Math.max(0, box.top),
      bottom: Math.min(box.bottom, innerHeight),
      caretBottom: caret ? caret.bottom : null,
    };
  });
}

/** The index of the last block wholly inside the editor's visible box. */
async function lastVisibleBlock(page: Page): Promise<number> {
  return inputOf(page).evaluate((root) => {
    let scroller: HTMLElement | null = root.parentElement;
    while (scroller && !/(auto|scroll)/.test(getComputedStyle(scroller).overflowY)) scroller = scroller.parentElement;
    const bottom = Math.min((scroller ?? document.documentElement).getBoundingClientRect().bottom, innerHeight);
    const blocks = [...root.querySelectorAll('[data-element]')];
    let last = -1;
    blocks.forEach((block, i) => {
      const rect = block.getBoundingClientRect();
      if (rect.bottom <= bottom - 2 && rect.height > 0) last = i;
    });
    return last;
  });
}

test('typing on the last visible line keeps it a third of the view above the bottom edge; the script end comes up too; a co-writer typing never scrolls the other window', async ({
  clapper,
}) => {
  const { a, b, projectId } = await openSharedScript(clapper);
  await importFountainFile(a.page, 'typewriter.fountain', scenesText(60), 60);
  await openScript(clapper, b.page, projectId);
  await waitReady(b.page);
  await converged(a.page, b.page);

  // The writer clicks the last line wholly on screen: a click never scrolls.
  const line = await lastVisibleBlock(a.page);
  expect(line).toBeGreaterThan(3);
  const target = inputOf(a.page).locator('[data-element]').nth(line);
  await target.click();
  // Read before End: End is a caret key, which may bring the line up by itself (and on a
  // slow machine the click's own update can land within End's key window).
  await expect.poll(async () => (await view(a.page)).caretBottom).not.toBeNull();
  const clicked = await view(a.page);
  const margin = (clicked.bottom - clicked.top) / 3;
  expect(clicked.caretBottom as number).toBeGreaterThan(clicked.bottom - margin);
  await a.page.keyboard.press('End');

  // Typing there brings the line up to the margin.
  await a.page.keyboard.type(' More');
  await expect
    .poll(async () => {
      const now = await view(a.page);
      return now.bottom - (now.caretBottom as number);
    })
    .toBeGreaterThanOrEqual(margin - 2);
  const typed = await view(a.page);
  expect(typed.scrollTop).toBeGreaterThan(clicked.scrollTop);

  // The script's last line: Enter after it, and the new line still comes up to the margin.
  await a.page.keyboard.press('Control+End');
  await a.page.keyboard.press('Enter');
  await a.page.keyboard.type('The end.');
  await expect
    .poll(async () => {
      const now = await view(a.page);
      return now.bottom - (now.caretBottom as number);
    })
    .toBeGreaterThanOrEqual(margin - 2);

  // The co-writer reads the script with their caret on the last line of their window
  // (within the margin of its bottom edge); the writer's changes arrive on that line and
  // under it, and the co-writer's window does not move.
  const readerLine = 40;
  await inputOf(b.page)
    .locator('[data-element]')
    .nth(readerLine)
    .evaluate((element) => element.scrollIntoView({ block: 'end' }));
  await inputOf(b.page).locator('[data-element]').nth(readerLine).click();
  const before = await view(b.page);
  expect(before.caretBottom as number).toBeGreaterThan(before.bottom - margin);
  await inputOf(a.page).locator('[data-element]').nth(readerLine).click();
  await a.page.keyboard.press('End');
  await a.page.keyboard.type(' and a remote edit');
  await a.page.keyboard.press('Enter');
  await a.page.keyboard.type('Another remote line.');
  await expect.poll(async () => (await inputOf(b.page).textContent())?.includes('Another remote line.')).toBe(true);
  const after = await view(b.page);
  expect(after.scrollTop).toBe(before.scrollTop);
  await clapper.screenshot(a.page, 'script-typewriter');
});
