/**
 * A co-writer's keystroke reaches the other window as two messages, the doc's change and
 * their caret (awareness), and each asked Lexical to re-place every remote caret
 * (`syncCursorPositions`, which reads the layout). Both run in one animation frame
 * (once-per-frame.ts), and until now the carets were placed twice in it: this counts the
 * placings (Lexical measures each caret's selection with `Range.getClientRects`, once a
 * placing) per received keystroke.
 */
import { expect, test } from './fixtures.ts';
import { caretAtEnd, editorOf, inputOf, openScriptTogether } from './support/script-editor.ts';

test.use({ trace: 'off' });

test('a co-writer’s keystroke places their caret once in the other window, not once per message', async ({
  clapper,
}) => {
  test.setTimeout(240_000);
  const { a, b } = await openScriptTogether(clapper);
  await caretAtEnd(a.page, 0);
  await a.page.keyboard.type('INT. FERRY - NIGHT');
  await a.page.keyboard.press('Enter');
  const name = a.email.split('@')[0] as string;
  await expect(editorOf(b.page).locator('.sp-remote-name', { hasText: name })).toBeVisible();
  await b.page.waitForTimeout(500);

  // From now on: remote updates applied in B, and caret placings (Lexical's range measure).
  await b.page.evaluate(() => {
    const w = window as unknown as { __placings: number; __remote: number };
    w.__placings = 0;
    w.__remote = 0;
    const measure = Range.prototype.getClientRects;
    Range.prototype.getClientRects = function (this: Range) {
      w.__placings += 1;
      return measure.call(this);
    };
    const root = document.querySelector('[data-testid="screenplay-editor"] [contenteditable]') as unknown as {
      __lexicalEditor: { registerUpdateListener(listener: (update: { tags: Set<string> }) => void): () => void };
    };
    root.__lexicalEditor.registerUpdateListener(({ tags }) => {
      if (tags.has('collaboration')) w.__remote += 1;
    });
  });
  const line = 'Engines throb under the deck.';
  await a.page.keyboard.type(line, { delay: 100 });
  await expect(inputOf(b.page).locator('[data-element]').last()).toHaveText(line);
  await b.page.waitForTimeout(500);
  const { placings, remote } = await b.page.evaluate(() => {
    const w = window as unknown as { __placings: number; __remote: number };
    return { placings: w.__placings, remote: w.__remote };
  });
  console.log(`${remote} remote updates, ${placings} caret placings`);
  expect(remote).toBeGreaterThanOrEqual(line.length / 2);
  // One placing per received keystroke (two before), and a few for caret messages alone.
  expect(placings).toBeLessThanOrEqual(remote * 1.3);
  expect(placings).toBeGreaterThan(0);
});
