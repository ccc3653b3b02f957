/**
 * End, then Delete, in a grouped script while a co-writer types elsewhere in it: the
 * Delete acts at the end of the line End went to (it joins the next block), never where
 * the caret was before End. Chromium moves the page's caret at End at once but tells
 * Lexical only with a later `selectionchange` task; a Delete (or a co-writer's change)
 * handled before that task acted on Lexical's old caret (selection-follows-dom.ts).
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import {
  type Block,
  blocks,
  converged,
  importFountainFile,
  inputOf,
  openScript,
  openSharedScript,
  waitReady,
} from './support/script-editor.ts';

/** 2 × `scenes` blocks: a heading and an action line per scene. */
function scenesText(scenes: number): string {
  return Array.from({ length: scenes }, (_, i) => `INT. ROOM ${i + 1} - DAY\n\nAction number ${i + 1} here.\n\n`).join(
    '',
  );
}

const block = (page: Page, index: number) => inputOf(page).locator('[data-element]').nth(index);

/**
 * Presses `keys` as a quick typist does: each key's down and up sent to the browser
 * without waiting for the page between them (as keys queue while the page is busy).
 */
async function pressQuickly(page: Page, keys: { key: string; keyCode: number }[]): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const send = (type: 'rawKeyDown' | 'keyUp', { key, keyCode }: { key: string; keyCode: number }) =>
    cdp.send('Input.dispatchKeyEvent', {
      type,
      key,
      code: key,
      windowsVirtualKeyCode: keyCode,
      nativeVirtualKeyCode: keyCode,
    });
  await Promise.all(keys.flatMap((key) => [send('rawKeyDown', key), send('keyUp', key)]));
  await cdp.detach();
}

const END = { key: 'End', keyCode: 35 };
const DELETE = { key: 'Delete', keyCode: 46 };

test('End then Delete joins the next block at the line end, also pressed quickly and while the other window types into the script', async ({
  clapper,
}) => {
  const { a, b, projectId } = await openSharedScript(clapper);
  await importFountainFile(a.page, 'end-delete.fountain', scenesText(40), 40);
  await openScript(clapper, b.page, projectId);
  await waitReady(b.page);
  const start: Block[] = await converged(a.page, b.page);

  // The co-writer (b) types at the end of the script all along.
  await block(b.page, start.length - 1).click();
  await b.page.keyboard.press('End');
  let typing = true;
  const typed = (async () => {
    let n = 0;
    while (typing) {
      await b.page.keyboard.type(`${n % 10}`);
      n += 1;
    }
    return n;
  })();

  // The writer (a), from the bottom up: the caret into the middle of an action line, End,
  // Delete (every other time pressed quickly). Each Delete joins the next block (a scene
  // heading) to the line's end.
  const joins: number[] = [];
  for (let i = 11; i >= 0; i -= 1) {
    const index = 1 + 6 * i;
    const target = block(a.page, index);
    await target.scrollIntoViewIfNeeded();
    const box = await target.boundingBox();
    if (box === null) throw new Error('block not on screen');
    await target.click({ position: { x: 40, y: box.height / 2 } });
    if (i % 2 === 0) {
      await pressQuickly(a.page, [END, DELETE]);
    } else {
      await a.page.keyboard.press('End');
      await a.page.keyboard.press('Delete');
    }
    joins.push(index);
  }
  typing = false;
  expect(await typed).toBeGreaterThan(10);

  // What the writer did, applied to the script as it was (the co-writer's last line aside).
  let want = start.slice(0, -1);
  for (const index of joins) {
    want = [
      ...want.slice(0, index),
      { type: 'action', text: `${want[index]?.text}${want[index + 1]?.text}` },
      ...want.slice(index + 2),
    ];
  }
  await expect.poll(async () => (await blocks(a.page)).slice(0, -1)).toEqual(want);
  expect((await converged(a.page, b.page)).slice(0, -1)).toEqual(want);
});
