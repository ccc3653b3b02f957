/**
 * Scripts held in page-sized groups (new and imported scripts; `script-groups.ts` in
 * @clapper/domain), edited across a group's edge in real Chromium against the real
 * server, with a second window following: Backspace and Delete at a group's edge,
 * selections spanning groups typed over and undone, cut and paste, Enter at the end of a
 * full group, a Fountain paste in the middle of one, select-all + delete. The text must
 * behave as if there were no groups; a group emptied of its blocks stays, showing nothing.
 */
import type { Page } from '@playwright/test';
import { type ClapperHelpers, expect, test } from './fixtures.ts';
import {
  type Block,
  blocks,
  caret,
  converged,
  importFountainFile,
  inputOf,
  openScript,
  openSharedScript,
  waitReady,
} from './support/script-editor.ts';

/** The root's children as the editor holds them: a group's block count, or -1 for a block in the root. */
async function shape(page: Page): Promise<number[]> {
  return inputOf(page).evaluate((root) => {
    type Json = { type: string; children?: Json[] };
    const editor = (root as unknown as { __lexicalEditor: { getEditorState(): { toJSON(): { root: Json } } } })
      .__lexicalEditor;
    return (editor.getEditorState().toJSON().root.children ?? []).map((child) =>
      child.type === 'script-group' ? (child.children ?? []).length : -1,
    );
  });
}

/** 2 × `scenes` blocks: a heading and an action line per scene. */
function scenesText(scenes: number): string {
  return Array.from({ length: scenes }, (_, i) => `INT. ROOM ${i + 1} - DAY\n\nAction ${i + 1}.\n\n`).join('');
}

function sceneBlocks(scenes: number): Block[] {
  return Array.from({ length: scenes }, (_, i): Block[] => [
    { type: 'scene-heading', text: `INT. ROOM ${i + 1} - DAY` },
    { type: 'action', text: `Action ${i + 1}.` },
  ]).flat();
}

const block = (page: Page, index: number) => inputOf(page).locator('[data-element]').nth(index);

/** Groups emptied of their blocks take no room on the page. */
async function emptyGroupsHidden(page: Page): Promise<boolean> {
  return inputOf(page).evaluate((root) =>
    [...root.querySelectorAll('.sp-group')]
      .filter((group) => group.querySelector('.sp-el') === null)
      .every((group) => group.getBoundingClientRect().height === 0),
  );
}

/** Both windows hold `expected` blocks, in groups of the same sizes; an empty group shows nothing. */
async function bothHold(a: Page, b: Page, expected: Block[]): Promise<number[]> {
  await expect.poll(() => blocks(a)).toEqual(expected);
  expect(await converged(a, b)).toEqual(expected);
  const sizes = await shape(a);
  await expect.poll(() => shape(b)).toEqual(sizes);
  expect(await emptyGroupsHidden(a)).toBe(true);
  expect(await emptyGroupsHidden(b)).toBe(true);
  return sizes;
}

async function twoWindows(clapper: ClapperHelpers) {
  const { a, b, projectId } = await openSharedScript(clapper);
  return { a: a.page, b: b.page, projectId };
}

test('a new script is stored as one group holding its first scene heading; an import is stored in groups of about 50 blocks', async ({
  clapper,
}) => {
  const { a, b, projectId } = await twoWindows(clapper);
  expect(await shape(a)).toEqual([1]);
  expect(await blocks(a)).toEqual([{ type: 'scene-heading', text: '' }]);
  await importFountainFile(a, 'groups.fountain', scenesText(65), 65);
  await openScript(clapper, b, projectId);
  await waitReady(b);
  expect(await bothHold(a, b, sceneBlocks(65))).toEqual([50, 50, 30]);
});

test('Backspace at a group edge merges blocks of neighbouring groups; a selection across groups types over, undoes and redoes; both windows agree', async ({
  clapper,
}) => {
  const { a, b, projectId } = await twoWindows(clapper);
  await importFountainFile(a, 'groups.fountain', scenesText(65), 65);
  await openScript(clapper, b, projectId);
  await waitReady(b);
  let expected = sceneBlocks(65);
  await bothHold(a, b, expected);

  // Backspace at the start of group 2's first block joins it to group 1's last block.
  await block(a, 50).click();
  await a.keyboard.press('Home');
  await a.keyboard.press('Backspace');
  expected = [
    ...expected.slice(0, 49),
    { type: 'action', text: 'Action 25.INT. ROOM 26 - DAY' },
    ...expected.slice(51),
  ];
  expect(await bothHold(a, b, expected)).toEqual([50, 49, 30]);
  // The caret stays at the join: typing goes there.
  await a.keyboard.type('|');
  expected[49] = { type: 'action', text: 'Action 25.|INT. ROOM 26 - DAY' };
  await bothHold(a, b, expected);

  // A selection from group 1 into group 3 (all of group 2 inside it), typed over. Yjs's
  // undo manager merges edits less than 500 ms apart into one step: wait, so the type-over
  // is a step of its own and undo can't take the import and the Backspace with it.
  const before = expected;
  await a.waitForTimeout(600);
  await block(a, 40).click();
  await a.keyboard.press('End');
  await block(a, 100).click({ modifiers: ['Shift'] });
  await a.keyboard.press('Shift+Home');
  await a.keyboard.type('X');
  expected = [
    ...before.slice(0, 40),
    // (A scene heading is stored in capitals.)
    { type: 'scene-heading', text: `${before[40]?.text}X${before[100]?.text.toUpperCase()}` },
    ...before.slice(101),
  ];
  const sizes = await bothHold(a, b, expected);
  expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(expected.length);
  expect(sizes.length).toBeLessThanOrEqual(2);

  // Undo brings back every block and group (Yjs's undo manager merges edits made within
  // half a second into one step, so press until the state before the type-over is back,
  // never past it); redo takes them away again.
  const same = (x: Block[], y: Block[]) => JSON.stringify(x) === JSON.stringify(y);
  for (let i = 0; i < 3 && !same(await blocks(a), before); i += 1) {
    await a.keyboard.press('Control+Z');
    await a.waitForTimeout(300);
  }
  expect(await bothHold(a, b, before)).toEqual([50, 49, 30]);
  for (let i = 0; i < 3 && !same(await blocks(a), expected); i += 1) {
    await a.keyboard.press('Control+Shift+Z');
    await a.waitForTimeout(300);
  }
  await bothHold(a, b, expected);
});

test('Enter at the end of a full group starts a new group; a Fountain paste in the middle of a group, a cut across groups and select-all + delete behave as in flat text', async ({
  clapper,
}) => {
  const { a, b, projectId } = await twoWindows(clapper);
  await a.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await importFountainFile(a, 'groups.fountain', scenesText(65), 65);
  await openScript(clapper, b, projectId);
  await waitReady(b);
  let expected = sceneBlocks(65);
  await bothHold(a, b, expected);

  // Enter at the end of group 1's last block (group 1 holds 50): the new block is a group of its own.
  await block(a, 49).click();
  await a.keyboard.press('End');
  await a.keyboard.press('Enter');
  await a.keyboard.type('A new page.');
  expected = [...expected.slice(0, 50), { type: 'action', text: 'A new page.' }, ...expected.slice(50)];
  expect(await bothHold(a, b, expected)).toEqual([50, 1, 50, 30]);
  // At the end of a group not yet full, Enter grows it.
  await a.keyboard.press('Enter');
  await a.keyboard.type('And more.');
  expected = [...expected.slice(0, 51), { type: 'action', text: 'And more.' }, ...expected.slice(51)];
  expect(await bothHold(a, b, expected)).toEqual([50, 2, 50, 30]);

  // A Fountain paste in the middle of a group: its blocks come after the caret's block.
  await a.evaluate(() => navigator.clipboard.writeText('INT. PASTED - NIGHT\n\nPasted action.\n'));
  await block(a, 70).click();
  await a.keyboard.press('Control+V');
  expected = [
    ...expected.slice(0, 71),
    { type: 'scene-heading', text: 'INT. PASTED - NIGHT' },
    { type: 'action', text: 'Pasted action.' },
    ...expected.slice(71),
  ];
  expect(await bothHold(a, b, expected)).toEqual([50, 2, 52, 30]);

  // Cut from group 2 into group 3, pasted at the end of the script.
  const beforeCut = expected;
  await block(a, 50).click();
  await a.keyboard.press('Home');
  await block(a, 53).click({ modifiers: ['Shift'] });
  await a.keyboard.press('Shift+End');
  await a.keyboard.press('Control+X');
  expected = [...beforeCut.slice(0, 50), { type: 'action', text: '' }, ...beforeCut.slice(54)];
  const afterCut = await bothHold(a, b, expected);
  expect(afterCut.reduce((sum, size) => sum + size, 0)).toBe(expected.length);
  await block(a, expected.length - 1).click();
  await a.keyboard.press('End');
  await a.keyboard.press('Enter');
  await a.keyboard.press('Control+V');
  const pasted = await blocks(a);
  // Every cut line is back, in order, at the end.
  expect(pasted.slice(-4).map((x) => x.text)).toEqual(beforeCut.slice(50, 54).map((x) => x.text));

  // Select all and delete: one empty block left; typing goes there.
  await block(a, 3).click();
  await a.keyboard.press('Control+A');
  await a.keyboard.press('Backspace');
  await expect.poll(async () => (await blocks(a)).map((x) => x.text).join('')).toBe('');
  await a.keyboard.type('EXT. AFTERWARDS - DAY');
  const final = await blocks(a);
  expect(final).toHaveLength(1);
  expect(final[0]?.text).toBe('EXT. AFTERWARDS - DAY');
  const finalShape = await bothHold(a, b, final);
  // One block left (any group emptied of its blocks kept, empty).
  expect(finalShape.filter((size) => size !== 0)).toHaveLength(1);
});

test("Delete at the end of a group's last block pulls in the next group's first block", async ({ clapper }) => {
  const { a, b, projectId } = await twoWindows(clapper);
  await importFountainFile(a, 'groups.fountain', scenesText(65), 65);
  await openScript(clapper, b, projectId);
  await waitReady(b);
  let expected = sceneBlocks(65);
  await bothHold(a, b, expected);
  await block(a, 49).click();
  await a.keyboard.press('End');
  await expect.poll(() => caret(a)).toMatchObject({ block: 49, after: '' });
  await a.keyboard.press('Delete');
  expected = [
    ...expected.slice(0, 49),
    { type: 'action', text: 'Action 25.INT. ROOM 26 - DAY' },
    ...expected.slice(51),
  ];
  expect(await bothHold(a, b, expected)).toEqual([50, 49, 30]);
  await a.keyboard.type('|');
  expected[49] = { type: 'action', text: 'Action 25.|INT. ROOM 26 - DAY' };
  await bothHold(a, b, expected);
});

test('an imported grouped script shows its dual dialogue side by side (classed in the one pass over a loaded script)', async ({
  clapper,
}) => {
  const { a } = await twoWindows(clapper);
  const dual = 'INT. DOCK - NIGHT\n\nJONAH\nCome with us.\n\nMAYA ^\nI have a room.\n\nThe ferry horn sounds.\n';
  await importFountainFile(a, 'groups.fountain', `${scenesText(40)}${dual}`, 41);
  expect(await shape(a)).toEqual([50, 36]);
  const left = inputOf(a).locator('.sp-dual-left.sp-character');
  const right = inputOf(a).locator('.sp-dual-right.sp-character');
  await right.scrollIntoViewIfNeeded();
  await expect(left).toHaveText('JONAH');
  await expect(right).toHaveText('MAYA ^');
  const [l, r] = [await left.boundingBox(), await right.boundingBox()];
  expect(l && r && Math.abs(l.y - r.y)).toBeLessThan(2);
  expect(l && r && r.x > l.x).toBe(true);
});
