/**
 * Reading and driving the screenplay editor in browser tests: its own state (Lexical's
 * editor state and selection), never fixed sleeps.
 */
import type { ScriptBlock } from '@clapper/domain';
import type { Locator, Page } from '@playwright/test';
import { type ClapperHelpers, expect } from '../fixtures.ts';

export type Block = ScriptBlock;

export const editorOf = (page: Page): Locator => page.getByTestId('screenplay-editor');
export const inputOf = (page: Page): Locator => editorOf(page).locator('[contenteditable]');

/** The blocks as the page's Lexical editor holds them (its state, not the DOM). */
export async function blocks(page: Page): Promise<Block[]> {
  return inputOf(page).evaluate((root) => {
    type Json = { type: string; text?: string; children?: Json[] };
    const editor = (root as unknown as { __lexicalEditor: { getEditorState(): { toJSON(): { root: Json } } } })
      .__lexicalEditor;
    const textOf = (node: Json): string =>
      node.text ?? (node.type === 'linebreak' ? '\n' : (node.children ?? []).map(textOf).join(''));
    // In page-sized groups (new and imported scripts) or in the root (older ones).
    return (editor.getEditorState().toJSON().root.children ?? [])
      .flatMap((child) => (child.type === 'script-group' ? (child.children ?? []) : [child]))
      .map((block) => ({ type: block.type, text: textOf(block) })) as Block[];
  });
}

/**
 * Where this page's caret is, as its Lexical editor holds it: the block's index, and
 * the block's text before and after the caret (null without a collapsed caret).
 */
export async function caret(page: Page): Promise<{ block: number; before: string; after: string } | null> {
  return inputOf(page).evaluate((root) => {
    const editor = (root as unknown as { __lexicalEditor: { getRootElement(): HTMLElement | null } }).__lexicalEditor;
    const selection = window.getSelection();
    const rootElement = editor.getRootElement();
    if (!selection || !rootElement || selection.rangeCount === 0 || !selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    const blockElements = [...rootElement.querySelectorAll('[data-element]')];
    const blockElement = blockElements.find((child) => child.contains(range.startContainer));
    if (!blockElement) return null;
    const before = document.createRange();
    before.selectNodeContents(blockElement);
    before.setEnd(range.startContainer, range.startOffset);
    const text = blockElement.textContent ?? '';
    const offset = before.toString().length;
    return {
      block: blockElements.indexOf(blockElement),
      before: text.slice(0, offset),
      after: text.slice(offset),
    };
  });
}

/** Synced with the server and holding at least its first block. */
export async function waitReady(page: Page): Promise<void> {
  await expect(editorOf(page)).toHaveAttribute('data-status', 'synced', { timeout: 30_000 });
  await expect(inputOf(page)).toHaveAttribute('data-ready', 'true');
}

/** Opens the project's Script tab (which creates the script record, once synced, if none exists). */
export async function openScript(clapper: ClapperHelpers, page: Page, projectId: string): Promise<void> {
  await clapper.openProject(page, projectId);
  await page.getByRole('tab', { name: 'Script' }).click();
  await expect(editorOf(page)).toBeVisible({ timeout: 30_000 });
}

/** Puts the caret at the end of block `index`. */
export async function caretAtEnd(page: Page, index: number): Promise<void> {
  await inputOf(page).locator('[data-element]').nth(index).click();
  await page.keyboard.press('End');
}

/** Polls until both editors hold the same blocks, and returns them. */
export async function converged(a: Page, b: Page): Promise<Block[]> {
  let last: [Block[], Block[]] = [[], []];
  const deadline = Date.now() + 30_000;
  for (;;) {
    last = [await blocks(a), await blocks(b)];
    if (JSON.stringify(last[0]) === JSON.stringify(last[1])) return last[0];
    if (Date.now() > deadline)
      throw new Error(`the two editors did not converge:\n${JSON.stringify(last[0])}\n${JSON.stringify(last[1])}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A project owned by `a` (a writer) shared with `b` as `role`. */
export async function sharedScript(clapper: ClapperHelpers, role: 'editor' | 'viewer') {
  const a = await clapper.newUser('writer');
  const b = await clapper.newUser(role === 'viewer' ? 'producer' : 'cowriter');
  const projectId = await clapper.createProject(a.page, role === 'viewer' ? 'Read Only Draft' : 'Night Kitchen');
  await clapper.invite(a.page, projectId, b.email, role);
  return { a, b, projectId };
}

/** A script shared with a co-writer, open and ready in the writer's (`a`'s) window. */
export async function openSharedScript(clapper: ClapperHelpers) {
  const shared = await sharedScript(clapper, 'editor');
  await openScript(clapper, shared.a.page, shared.projectId);
  await waitReady(shared.a.page);
  return shared;
}

/** A script shared with a co-writer, open and ready in both windows (the writer's `a`, the co-writer's `b`). */
export async function openScriptTogether(clapper: ClapperHelpers) {
  const shared = await sharedScript(clapper, 'editor');
  await openScript(clapper, shared.a.page, shared.projectId);
  await openScript(clapper, shared.b.page, shared.projectId);
  await waitReady(shared.a.page);
  await waitReady(shared.b.page);
  return shared;
}

/** Imports Fountain text through the editor's Import file picker; waits until it reports `scenes` scenes. */
export async function importFountainFile(
  page: Page,
  name: string,
  text: string | Buffer,
  scenes: number,
): Promise<void> {
  await editorOf(page)
    .getByTestId('fountain-file-input')
    .setInputFiles({ name, mimeType: 'text/plain', buffer: typeof text === 'string' ? Buffer.from(text) : text });
  await expect(editorOf(page).getByTestId('script-file-status')).toContainText(`${scenes} scenes`);
}
