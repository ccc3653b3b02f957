/**
 * Two people typing at the same spot of the script at the same time: each sees their own
 * words whole in both windows, and the other's typing never moves their caret off their
 * own text (README of src/screenplay: "Words stay whole").
 */
import { expect, test } from './fixtures.ts';
import { blocks, caret, caretAtEnd, converged, openScriptTogether } from './support/script-editor.ts';

test('two people typing at the same spot at once each keep their words whole, in both windows', async ({ clapper }) => {
  // Two sign-ins, a project, an invitation and two editors: slow on a loaded machine.
  test.setTimeout(240_000);
  const { a, b } = await openScriptTogether(clapper);

  await caretAtEnd(a.page, 0);
  await a.page.keyboard.type('EXT. HARBOUR - NIGHT');
  await a.page.keyboard.press('Enter');
  await a.page.keyboard.type('Rain. ');
  await expect
    .poll(() => blocks(b.page))
    .toEqual([
      { type: 'scene-heading', text: 'EXT. HARBOUR - NIGHT' },
      { type: 'action', text: 'Rain. ' },
    ]);

  // Both carets at the end of the action line, then both type at once, at a writer's pace.
  await caretAtEnd(a.page, 1);
  await caretAtEnd(b.page, 1);
  const mine = 'Lightning over the water.';
  const theirs = 'A ferry horn sounds twice.';
  await Promise.all([a.page.keyboard.type(mine, { delay: 40 }), b.page.keyboard.type(theirs, { delay: 40 })]);

  const final = await converged(a.page, b.page);
  expect(final).toHaveLength(2);
  const action = final[1]?.text ?? '';
  expect(action.startsWith('Rain. ')).toBe(true);
  // Every keystroke once, and each person's words contiguous (either may come first).
  expect(action).toHaveLength('Rain. '.length + mine.length + theirs.length);
  expect(action).toContain(mine);
  expect(action).toContain(theirs);

  // Each caret is still right after its own writer's words.
  expect((await caret(a.page))?.before.endsWith(mine)).toBe(true);
  expect((await caret(b.page))?.before.endsWith(theirs)).toBe(true);

  // And they keep writing from there: the next words go on after their own.
  await Promise.all([
    a.page.keyboard.type(' Thunder.', { delay: 40 }),
    b.page.keyboard.type(' Then silence.', { delay: 40 }),
  ]);
  const after = (await converged(a.page, b.page))[1]?.text ?? '';
  expect(after).toContain(`${mine} Thunder.`);
  expect(after).toContain(`${theirs} Then silence.`);
  await clapper.screenshot(a.page, 'script-same-spot-a');
  await clapper.screenshot(b.page, 'script-same-spot-b');
});
