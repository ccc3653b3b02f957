/**
 * Writing like in a screenwriting app: character cues complete from the script's
 * characters (@clapper/domain T1), `(` on an empty dialogue line starts a parenthetical
 * (T2), and a co-writer's caret label never hides the text.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import {
  blocks,
  caretAtEnd,
  editorOf,
  inputOf,
  openScript,
  openScriptTogether,
  sharedScript,
  waitReady,
} from './support/script-editor.ts';

test('[T1][T2] a cue completes from the script’s characters; ( on an empty dialogue line starts a parenthetical', async ({
  clapper,
}) => {
  test.setTimeout(240_000);
  const { a, projectId } = await sharedScript(clapper, 'editor');
  const { page } = a;
  await openScript(clapper, page, projectId);
  await waitReady(page);
  const current = editorOf(page).getByTestId('element-type');
  const suggestions = editorOf(page).getByTestId('cue-suggestions');

  await caretAtEnd(page, 0);
  await page.keyboard.type('int. ferry - night');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Engines throb.');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.type('marguerite');
  await expect(suggestions).toHaveCount(0); // nobody else yet
  await page.keyboard.press('Enter');
  await page.keyboard.type('Cold?');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.type('tom');
  await page.keyboard.press('Enter');
  await page.keyboard.type('No.');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');

  // The next cue: "ma" offers MARGUERITE; Enter takes it and goes on to the dialogue.
  await page.keyboard.type('ma');
  await expect(suggestions.getByRole('option')).toHaveText(['MARGUERITE']);
  await page.keyboard.press('Enter');
  await expect(suggestions).toHaveCount(0);
  await expect(current).toHaveAttribute('data-type', 'dialogue');

  // ( on the empty dialogue line: a parenthetical holding the (.
  await page.keyboard.type('(');
  await expect(current).toHaveAttribute('data-type', 'parenthetical');
  await page.keyboard.type('beat)');
  await page.keyboard.press('Enter');
  await expect(current).toHaveAttribute('data-type', 'dialogue');
  await page.keyboard.type('Liar.');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');

  // Tab takes the highlighted name and stays on the cue; ↓ picks the next one; Escape dismisses.
  await page.keyboard.type('t');
  await expect(suggestions.getByRole('option')).toHaveText(['TOM']);
  await page.keyboard.press('Escape');
  await expect(suggestions).toHaveCount(0);
  await page.keyboard.press('Backspace');
  await page.keyboard.type('m');
  await expect(suggestions.getByRole('option')).toHaveText(['MARGUERITE']);
  await page.keyboard.press('Tab');
  await expect(current).toHaveAttribute('data-type', 'character');

  expect(await blocks(page)).toEqual([
    { type: 'scene-heading', text: 'INT. FERRY - NIGHT' },
    { type: 'action', text: 'Engines throb.' },
    { type: 'character', text: 'MARGUERITE' },
    { type: 'dialogue', text: 'Cold?' },
    { type: 'character', text: 'TOM' },
    { type: 'dialogue', text: 'No.' },
    { type: 'character', text: 'MARGUERITE' },
    { type: 'parenthetical', text: '(beat)' },
    { type: 'dialogue', text: 'Liar.' },
    { type: 'character', text: 'MARGUERITE' },
  ]);
  // "(" typed anywhere else is just a character.
  await page.keyboard.press('Enter');
  await page.keyboard.type('Fine (she shrugs).');
  expect((await blocks(page)).at(-1)).toEqual({ type: 'dialogue', text: 'Fine (she shrugs).' });
  await clapper.screenshot(page, 'script-cue-and-parenthetical');
});

/** The rectangles of every line of text in the page's script. */
function textRects(page: Page) {
  return inputOf(page).evaluate((root) => {
    const rects: { left: number; right: number; top: number; bottom: number }[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects())
        if (r.width > 0) rects.push({ left: r.left, right: r.right, top: r.top, bottom: r.bottom });
    }
    return rects;
  });
}

test('a co-writer’s caret label sits in the margin and never hides the text', async ({ clapper }) => {
  test.setTimeout(240_000);
  const { a, b } = await openScriptTogether(clapper);

  await caretAtEnd(a.page, 0);
  await a.page.keyboard.type('EXT. PIER - DAWN');
  await a.page.keyboard.press('Enter');
  await a.page.keyboard.type('Gulls wheel over the water while the first ferry of the day noses in, its horn low.');
  await a.page.keyboard.press('Enter');
  await a.page.keyboard.type('A man waits with a suitcase.');
  // A's caret in the middle of the long action line, below the heading: text above and on both sides.
  await inputOf(a.page).locator('[data-element]').nth(1).click();
  await a.page.keyboard.press('End');
  for (let i = 0; i < 20; i += 1) await a.page.keyboard.press('ArrowLeft');

  const name = a.email.split('@')[0] as string;
  const label = editorOf(b.page).locator('.sp-remote-name', { hasText: name });
  await expect(label).toBeVisible();
  // The label is level with A's caret, and overlaps no text in B's window.
  await expect
    .poll(async () => {
      const box = await label.boundingBox();
      if (!box) return 'no label';
      const hits = (await textRects(b.page)).filter(
        (r) => box.x < r.right && box.x + box.width > r.left && box.y < r.bottom && box.y + box.height > r.top,
      );
      return hits.length;
    })
    .toBe(0);
  const caretBox = await label.locator('xpath=..').boundingBox();
  const labelBox = await label.boundingBox();
  expect(caretBox && labelBox && Math.abs(labelBox.y - caretBox.y) < 4).toBe(true);
  await clapper.screenshot(b.page, 'script-remote-caret-label');
});
