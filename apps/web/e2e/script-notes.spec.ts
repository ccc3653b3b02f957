/**
 * Notes on a scene, opened from its row on the stripboard: the same collaborative
 * machinery as the screenplay, in the compact rich-text editor.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { board } from './support/board.ts';

const notesOf = (page: Page): Locator => page.getByTestId('notes-editor');
const notesInput = (page: Page): Locator => notesOf(page).locator('[contenteditable]');

async function openSceneNotes(page: Page, sceneNumber: string): Promise<void> {
  await board
    .scene(page, sceneNumber)
    .getByRole('button', { name: `Notes on scene ${sceneNumber}` })
    .click();
  await expect(notesOf(page)).toHaveAttribute('data-status', 'synced', { timeout: 30_000 });
  await expect(notesInput(page)).toHaveAttribute('data-ready', 'true');
}

/** Paragraphs as the page's Lexical editor holds them: text and whether each run is bold. */
async function paragraphs(page: Page): Promise<{ type: string; runs: { text: string; bold: boolean }[] }[]> {
  return notesInput(page).evaluate((root) => {
    type Json = { type: string; text?: string; format?: number; children?: Json[] };
    const editor = (root as unknown as { __lexicalEditor: { getEditorState(): { toJSON(): { root: Json } } } })
      .__lexicalEditor;
    return (editor.getEditorState().toJSON().root.children ?? []).map((block) => ({
      type: block.type,
      // Lexical's text format bit 1 is bold.
      runs: (block.children ?? []).map((run) => ({ text: run.text ?? '', bold: ((run.format ?? 0) & 1) === 1 })),
    }));
  });
}

test('two people co-edit the notes on a scene from its row; text and bold converge and survive a reload', async ({
  clapper,
}) => {
  const a = await clapper.newUser('director');
  const b = await clapper.newUser('dop');
  const projectId = await clapper.createProject(a.page, 'Harbour Notes');
  await clapper.invite(a.page, projectId, b.email, 'editor');
  await clapper.openProject(a.page, projectId);
  await board.addScene(a.page, 'EXT. HARBOUR - NIGHT');
  await board.waitSynced(a.page);
  await clapper.openProject(b.page, projectId);
  await expect(board.scene(b.page, '1')).toBeVisible();

  await openSceneNotes(a.page, '1');
  await openSceneNotes(b.page, '1');
  await notesInput(a.page).click();
  await a.page.keyboard.type('Rain towers on both sides. ');
  await a.page.keyboard.press('ControlOrMeta+b');
  await a.page.keyboard.type('Check the generator.');
  await a.page.keyboard.press('ControlOrMeta+b');
  await expect(notesInput(b.page)).toContainText('Rain towers on both sides. Check the generator.');

  await notesInput(b.page).click();
  await b.page.keyboard.press('ControlOrMeta+End');
  await b.page.keyboard.press('Enter');
  await b.page.keyboard.type('Bring the long lens.');
  // A's run keeps its bold; B's new line (its formatting follows the caret, Lexical's rule) holds B's words.
  const expected = {
    first: [
      { text: 'Rain towers on both sides. ', bold: false },
      { text: 'Check the generator.', bold: true },
    ],
    second: 'Bring the long lens.',
  };
  const summary = async (page: Page) => {
    const ps = await paragraphs(page);
    return { count: ps.length, first: ps[0]?.runs, second: ps[1]?.runs.map((r) => r.text).join('') };
  };
  await expect.poll(() => summary(a.page)).toEqual({ count: 2, ...expected });
  await expect.poll(() => summary(b.page)).toEqual({ count: 2, ...expected });

  await b.page.reload();
  await expect(board.scene(b.page, '1')).toBeVisible();
  await openSceneNotes(b.page, '1');
  await expect.poll(() => summary(b.page)).toEqual({ count: 2, ...expected });
  await clapper.screenshot(a.page, 'script-notes-scene');
});
