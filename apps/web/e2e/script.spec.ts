/**
 * The screenplay editor, co-edited in real browsers against the real server: live
 * typing from two people, offline edits merging on reconnect, the empty-doc bootstrap
 * race, viewer enforcement, and the screenwriter's Tab/Enter element flow.
 */
import type { Browser, BrowserContext, Page, WebSocketRoute } from '@playwright/test';
import * as Y from 'yjs';
import { type ClapperHelpers, expect, type SignedIn, test } from './fixtures.ts';
import { board } from './support/board.ts';
import {
  type Block,
  blocks,
  caretAtEnd,
  converged,
  editorOf,
  inputOf,
  openScript,
  openScriptTogether,
  sharedScript,
  waitReady,
} from './support/script-editor.ts';

// ---------- reading and driving the editor (its own state, never fixed sleeps) ----------

const textOf = (bs: Block[]) => bs.map((b) => b.text).join('\n');

/** `text` with only the characters of `alphabet`, in order. */
const only = (text: string, alphabet: string) => [...text].filter((c) => alphabet.includes(c)).join('');

/**
 * The script as this browser's IndexedDB copy (the signed-in user's) holds it (y-indexeddb's update log,
 * decoded with Yjs here): one line per block.
 */
async function localCopyText(page: Page): Promise<string> {
  const docName = await editorOf(page).getAttribute('data-doc-name');
  const updates = await page.evaluate(
    (doc) =>
      new Promise<number[][]>((resolve, reject) => {
        // Local copies are per signed-in user (src/lib/local-data.ts).
        const userId = (JSON.parse(localStorage.getItem('clapper.session') ?? '{}') as { user?: { id?: string } }).user
          ?.id;
        const open = indexedDB.open(`clapper:${userId}:${doc}`);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('updates', 'readonly').objectStore('updates').getAll();
          all.onerror = () => reject(all.error);
          all.onsuccess = () => {
            open.result.close();
            resolve((all.result as Uint8Array[]).map((update) => Array.from(update)));
          };
        };
      }),
    docName,
  );
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, Uint8Array.from(update));
  // Blocks in page-sized groups (new scripts) or in the root.
  const lines = (doc.get('root', Y.XmlText).toDelta() as { insert: unknown }[])
    .flatMap(({ insert }) =>
      insert instanceof Y.XmlText && insert.getAttribute('__type') === 'script-group'
        ? (insert.toDelta() as { insert: unknown }[])
        : [{ insert }],
    )
    .map(({ insert }) =>
      insert instanceof Y.XmlText
        ? (insert.toDelta() as { insert: unknown }[])
            .map((op) => (typeof op.insert === 'string' ? op.insert : ''))
            .join('')
        : '',
    );
  doc.destroy();
  return lines.join('\n');
}

/** What the workspace shows as a person's name (the server defaults it to the email's local part). */
const displayName = (person: SignedIn) => person.email.split('@')[0] as string;

/** Another device of an existing user: a fresh browser context (no IndexedDB copy) signed in. */
async function anotherDevice(
  browser: Browser,
  clapper: ClapperHelpers,
  email: string,
  opened: BrowserContext[],
): Promise<Page> {
  const context = await browser.newContext();
  opened.push(context);
  const page = await context.newPage();
  await clapper.signIn(page, email);
  return page;
}

// ---------- tests ----------

test('two people type into one script at once, in different blocks and in the same one; every keystroke survives', async ({
  clapper,
}) => {
  const { a, b } = await openScriptTogether(clapper);

  await caretAtEnd(a.page, 0);
  await a.page.keyboard.type('INT. KITCHEN - NIGHT');
  await a.page.keyboard.press('Enter');
  await a.page.keyboard.type('The kettle screams.');
  await expect
    .poll(() => blocks(b.page))
    .toEqual([
      { type: 'scene-heading', text: 'INT. KITCHEN - NIGHT' },
      { type: 'action', text: 'The kettle screams.' },
    ]);

  // Presence: each sees who else is here.
  await expect(editorOf(a.page).getByTestId('presence')).toContainText(displayName(b));
  await expect(editorOf(b.page).getByTestId('presence')).toContainText(displayName(a));

  // Different blocks, at the same time.
  const a1 = 'abcdefghijklm';
  const b1 = '0123456789';
  await caretAtEnd(a.page, 0);
  await caretAtEnd(b.page, 1);
  await Promise.all([a.page.keyboard.type(a1, { delay: 15 }), b.page.keyboard.type(b1, { delay: 15 })]);
  // (Scene headings are stored in capitals, whatever case was typed.)
  expect(await converged(a.page, b.page)).toEqual([
    { type: 'scene-heading', text: `INT. KITCHEN - NIGHT${a1.toUpperCase()}` },
    { type: 'action', text: `The kettle screams.${b1}` },
  ]);

  // The same block, the same spot, at the same time.
  const a2 = 'nopqrstuvwxyz';
  const b2 = 'ABCDEFGHIJKLMNOP';
  await caretAtEnd(a.page, 1);
  await caretAtEnd(b.page, 1);
  await Promise.all([a.page.keyboard.type(a2, { delay: 15 }), b.page.keyboard.type(b2, { delay: 15 })]);
  const final = await converged(a.page, b.page);
  expect(final).toHaveLength(2);
  expect(final[0]).toEqual({ type: 'scene-heading', text: `INT. KITCHEN - NIGHT${a1.toUpperCase()}` });
  expect(final[1]?.type).toBe('action');
  const prefix = `The kettle screams.${b1}`;
  expect(final[1]?.text.startsWith(prefix)).toBe(true);
  const added = (final[1]?.text ?? '').slice(prefix.length);
  // Each person's keystrokes, each exactly once and in the order typed (interleaving is fine).
  expect(added).toHaveLength(a2.length + b2.length);
  expect(only(added, a2)).toBe(a2);
  expect(only(added, b2)).toBe(b2);

  // B sees A's caret, labelled with A's name.
  await expect(
    editorOf(b.page)
      .locator('.collab-editor-body > div:not([contenteditable])')
      .getByText(displayName(a), { exact: true }),
  ).toBeVisible();
  await clapper.screenshot(a.page, 'script-concurrent-typing-a');
  await clapper.screenshot(b.page, 'script-concurrent-typing-b');
});

test('B goes offline, edits the script, comes back; both converge with nothing lost', async ({ clapper, browser }) => {
  const { a, b, projectId } = await openScriptTogether(clapper);
  const opened: BrowserContext[] = [];
  await caretAtEnd(a.page, 0);
  await a.page.keyboard.type('EXT. ROOF - DAY');
  await a.page.keyboard.press('Enter');
  await a.page.keyboard.type('Wind.');
  await expect.poll(async () => textOf(await blocks(b.page))).toBe('EXT. ROOF - DAY\nWind.');

  await b.context.setOffline(true);
  await expect(editorOf(b.page)).toHaveAttribute('data-status', 'offline');
  await caretAtEnd(b.page, 1);
  await b.page.keyboard.type(' Gusts rattle the vents.');
  await b.page.keyboard.press('Enter');
  await b.page.keyboard.type('A pigeon lands.');
  // Meanwhile A edits too.
  await caretAtEnd(a.page, 0);
  await a.page.keyboard.type(' (LATER)');
  // Offline really is offline: neither side has the other's edit yet.
  expect(textOf(await blocks(b.page))).toBe('EXT. ROOF - DAY\nWind. Gusts rattle the vents.\nA pigeon lands.');
  expect(textOf(await blocks(a.page))).toBe('EXT. ROOF - DAY (LATER)\nWind.');

  await b.context.setOffline(false);
  await expect(editorOf(b.page)).toHaveAttribute('data-status', 'synced', { timeout: 30_000 });
  const expected = [
    { type: 'scene-heading', text: 'EXT. ROOF - DAY (LATER)' },
    { type: 'action', text: 'Wind. Gusts rattle the vents.' },
    { type: 'action', text: 'A pigeon lands.' },
  ];
  expect(await converged(a.page, b.page)).toEqual(expected);

  // The server kept the merge: another device with no local copy loads it.
  const c = await anotherDevice(browser, clapper, a.email, opened);
  await openScript(clapper, c, projectId);
  await waitReady(c);
  await expect.poll(() => blocks(c)).toEqual(expected);
  await clapper.screenshot(b.page, 'script-offline-reconnect');
  for (const context of opened) await context.close();
});

test('script edits made while the server is down survive a reload, then reach the others when it is back', async ({
  clapper,
}) => {
  const { a, b } = await openScriptTogether(clapper);
  await caretAtEnd(a.page, 0);
  await a.page.keyboard.type('INT. GARAGE - NIGHT');
  await expect.poll(async () => textOf(await blocks(b.page))).toBe('INT. GARAGE - NIGHT');

  await clapper.stopServer();
  await expect(editorOf(a.page)).not.toHaveAttribute('data-status', 'synced');
  await expect(editorOf(b.page)).not.toHaveAttribute('data-status', 'synced');
  await caretAtEnd(b.page, 0);
  await b.page.keyboard.press('Enter');
  await b.page.keyboard.type('The engine ticks as it cools.');
  await caretAtEnd(a.page, 0);
  await a.page.keyboard.type(' (RAIN)');
  // B's edit is on B's disk before B reloads.
  await expect.poll(() => localCopyText(b.page)).toBe('INT. GARAGE - NIGHT\nThe engine ticks as it cools.');

  await b.page.reload();
  await b.page.getByRole('tab', { name: 'Script' }).click();
  await expect(inputOf(b.page)).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await expect(editorOf(b.page)).not.toHaveAttribute('data-status', 'synced');
  expect(await blocks(b.page)).toEqual([
    { type: 'scene-heading', text: 'INT. GARAGE - NIGHT' },
    { type: 'action', text: 'The engine ticks as it cools.' },
  ]);

  await clapper.startServer();
  await expect(editorOf(a.page)).toHaveAttribute('data-status', 'synced', { timeout: 30_000 });
  await expect(editorOf(b.page)).toHaveAttribute('data-status', 'synced', { timeout: 30_000 });
  expect(await converged(a.page, b.page)).toEqual([
    { type: 'scene-heading', text: 'INT. GARAGE - NIGHT (RAIN)' },
    { type: 'action', text: 'The engine ticks as it cools.' },
  ]);
  await clapper.screenshot(b.page, 'script-server-down-reload');
});

test('a script opened for the first time while the server is down can be written, and reaches the co-writer when it is back', async ({
  clapper,
}) => {
  const { a, b, projectId } = await sharedScript(clapper, 'editor');
  await clapper.openProject(a.page, projectId);
  // Synced once, the script never opened here: its record does not exist yet on this device.
  await board.waitSynced(a.page);

  await clapper.stopServer();
  // Never opened on this device, server unreachable: the record is made locally, and the
  // editor still starts, from nothing; both reach the server when it is back.
  await a.page.getByRole('tab', { name: 'Script' }).click();
  await expect(inputOf(a.page)).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await expect(editorOf(a.page)).toHaveAttribute('data-status', 'offline');
  await caretAtEnd(a.page, 0);
  await a.page.keyboard.type('EXT. DESERT - DAY');
  await a.page.keyboard.press('Enter');
  await a.page.keyboard.type('Heat shimmer.');
  const expected = [
    { type: 'scene-heading', text: 'EXT. DESERT - DAY' },
    { type: 'action', text: 'Heat shimmer.' },
  ];
  expect(await blocks(a.page)).toEqual(expected);

  await clapper.startServer();
  await expect(editorOf(a.page)).toHaveAttribute('data-status', 'synced', { timeout: 30_000 });
  await openScript(clapper, b.page, projectId);
  await waitReady(b.page);
  await expect.poll(() => blocks(b.page)).toEqual(expected);
  await clapper.screenshot(b.page, 'script-first-opened-offline');
});

/**
 * Holds everything a page sends on its Yjs socket after its first message (the sync
 * request) until released: the page still loads the server's state, here an empty doc,
 * but its own writes (its first block) can't reach anyone yet. Both pages then bootstrap
 * the empty doc without seeing each other's, the race that duplicates content when each
 * client inserts its own first block.
 */
async function holdYjsWrites(context: BrowserContext): Promise<() => void> {
  let released = false;
  const held: (() => void)[] = [];
  await context.routeWebSocket(/\/yjs\//, (ws: WebSocketRoute) => {
    const server = ws.connectToServer();
    let first = true;
    ws.onMessage((message) => {
      if (released || first) {
        first = false;
        server.send(message);
      } else held.push(() => server.send(message));
    });
    server.onMessage((message) => ws.send(message));
  });
  return () => {
    released = true;
    for (const send of held.splice(0)) send();
  };
}

test('two people opening an empty script at once get one first block, not two', async ({ clapper, browser }) => {
  const { a, b, projectId } = await sharedScript(clapper, 'editor');
  const opened: BrowserContext[] = [];
  const releases = [await holdYjsWrites(a.context), await holdYjsWrites(b.context)];
  await Promise.all([openScript(clapper, a.page, projectId), openScript(clapper, b.page, projectId)]);
  // Both bootstrapped the empty doc before either's first block reached the server.
  await Promise.all([waitReady(a.page), waitReady(b.page)]);
  expect(await blocks(a.page)).toEqual([{ type: 'scene-heading', text: '' }]);
  expect(await blocks(b.page)).toEqual([{ type: 'scene-heading', text: '' }]);
  for (const release of releases) release();

  await caretAtEnd(a.page, 0);
  await caretAtEnd(b.page, 0);
  await Promise.all([a.page.keyboard.type('int. ', { delay: 10 }), b.page.keyboard.type('HALL', { delay: 10 })]);
  const final = await converged(a.page, b.page);
  expect(final).toHaveLength(1);
  expect(final[0]?.type).toBe('scene-heading');
  expect(only(final[0]?.text ?? '', 'INT. ')).toBe('INT. ');
  expect(only(final[0]?.text ?? '', 'HAL')).toBe('HALL');

  // The server holds that single block too.
  const c = await anotherDevice(browser, clapper, a.email, opened);
  await openScript(clapper, c, projectId);
  await waitReady(c);
  await expect.poll(() => blocks(c)).toEqual(final);
  await clapper.screenshot(a.page, 'script-empty-opened-together');
  for (const context of opened) await context.close();
});

test('a viewer cannot edit the script, and what its client sends reaches no one', async ({ clapper, browser }) => {
  const { a, b: viewer, projectId } = await sharedScript(clapper, 'viewer');
  const opened: BrowserContext[] = [];
  await openScript(clapper, a.page, projectId);
  await waitReady(a.page);
  await caretAtEnd(a.page, 0);
  await a.page.keyboard.type('INT. OFFICE - DAY');

  // Count what the viewer's client sends on its Yjs socket.
  let framesSent = 0;
  viewer.page.on('websocket', (ws) => {
    if (ws.url().includes('/yjs/')) ws.on('framesent', () => framesSent++);
  });
  await openScript(clapper, viewer.page, projectId);
  await waitReady(viewer.page);
  await expect.poll(async () => textOf(await blocks(viewer.page))).toBe('INT. OFFICE - DAY');
  await expect(inputOf(viewer.page)).toHaveAttribute('contenteditable', 'false');
  await expect(editorOf(viewer.page).getByRole('button', { name: 'Action' })).toBeDisabled();

  // Typing in the UI does nothing.
  await inputOf(viewer.page).click();
  await viewer.page.keyboard.type('typed by the viewer');
  await viewer.page.keyboard.press('Enter');
  await viewer.page.keyboard.press('Tab');
  expect(await blocks(viewer.page)).toEqual([{ type: 'scene-heading', text: 'INT. OFFICE - DAY' }]);

  // Bypass the UI: change the viewer's editor programmatically, so its client really does
  // send the change (seen on the wire); the server must drop it.
  const framesBefore = framesSent;
  await inputOf(viewer.page).evaluate((root) => {
    type TextNode = { __type: string; getTextContent(): string; setTextContent(text: string): unknown };
    const editor = (
      root as unknown as {
        __lexicalEditor: { getEditorState(): { _nodeMap: Map<string, TextNode> }; update(fn: () => void): void };
      }
    ).__lexicalEditor;
    editor.update(() => {
      // Outside the bundle, the editor instance is all a page script can reach: Lexical's
      // node helpers ($getRoot, …) are module functions. Breaks loudly on a Lexical upgrade.
      // eslint-disable-next-line no-restricted-syntax -- no public way from the page to a node
      const text = [...editor.getEditorState()._nodeMap.values()].find((node) => node.__type === 'text');
      text?.setTextContent(`${text.getTextContent()} VIEWER WAS HERE`);
    });
  });
  await expect.poll(async () => textOf(await blocks(viewer.page))).toContain('VIEWER WAS HERE');
  await expect.poll(() => framesSent).toBeGreaterThan(framesBefore);

  // A types afterwards; once that reached the viewer, the server had the viewer's change long before.
  await a.page.keyboard.type(' MARK');
  await expect.poll(async () => textOf(await blocks(viewer.page))).toContain('MARK');
  expect(textOf(await blocks(a.page))).toBe('INT. OFFICE - DAY MARK');
  const c = await anotherDevice(browser, clapper, a.email, opened);
  await openScript(clapper, c, projectId);
  await waitReady(c);
  await expect.poll(async () => textOf(await blocks(c))).toBe('INT. OFFICE - DAY MARK');
  await clapper.screenshot(viewer.page, 'script-viewer-read-only');
  for (const context of opened) await context.close();
});

test('Enter, Tab, Shift+Tab and Ctrl+digit follow the screenplay element flow, in industry layout', async ({
  clapper,
}) => {
  const { a, b, projectId } = await sharedScript(clapper, 'editor');
  const { page } = a;
  await openScript(clapper, page, projectId);
  await waitReady(page);
  const current = editorOf(page).getByTestId('element-type');

  await caretAtEnd(page, 0);
  await expect(current).toHaveAttribute('data-type', 'scene-heading');
  await page.keyboard.type('int. bar - night');
  await page.keyboard.press('Enter');
  await expect(current).toHaveAttribute('data-type', 'action');
  await page.keyboard.type('Smoke hangs.');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await expect(current).toHaveAttribute('data-type', 'character');
  await page.keyboard.type('sam');
  await page.keyboard.press('Enter');
  await expect(current).toHaveAttribute('data-type', 'dialogue');
  await page.keyboard.type('Drink?');
  await page.keyboard.press('Enter');
  await expect(current).toHaveAttribute('data-type', 'action');
  await page.keyboard.press('Tab');
  await page.keyboard.type('jo');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Shift+Tab');
  await expect(current).toHaveAttribute('data-type', 'parenthetical');
  await page.keyboard.type('(beat)');
  await page.keyboard.press('Enter');
  await expect(current).toHaveAttribute('data-type', 'dialogue');
  await page.keyboard.type('Sure.');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await expect(current).toHaveAttribute('data-type', 'character');
  // Enter on an empty character cue drops back to action instead of adding a line.
  await page.keyboard.press('Enter');
  await expect(current).toHaveAttribute('data-type', 'action');
  await page.keyboard.press('Control+Digit6');
  await expect(current).toHaveAttribute('data-type', 'transition');
  await page.keyboard.type('cut to:');
  await page.keyboard.press('Enter');
  await expect(current).toHaveAttribute('data-type', 'scene-heading');
  await page.keyboard.type('ext. street - night');

  const expected = [
    // Headings, cues and transitions are stored in capitals, as typed in lower case.
    { type: 'scene-heading', text: 'INT. BAR - NIGHT' },
    { type: 'action', text: 'Smoke hangs.' },
    { type: 'character', text: 'SAM' },
    { type: 'dialogue', text: 'Drink?' },
    { type: 'character', text: 'JO' },
    { type: 'parenthetical', text: '(beat)' },
    { type: 'dialogue', text: 'Sure.' },
    { type: 'transition', text: 'CUT TO:' },
    { type: 'scene-heading', text: 'EXT. STREET - NIGHT' },
  ];
  expect(await blocks(page)).toEqual(expected);

  // Industry layout: dialogue indented from action, parenthetical further, character cue further still.
  const left = (type: string) =>
    inputOf(page)
      .locator(`[data-element="${type}"]`)
      .first()
      .evaluate((el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        return range.getBoundingClientRect().left;
      });
  const action = await left('action');
  const dialogue = await left('dialogue');
  const parenthetical = await left('parenthetical');
  const character = await left('character');
  expect(dialogue).toBeGreaterThan(action + 80);
  expect(parenthetical).toBeGreaterThan(dialogue + 40);
  expect(character).toBeGreaterThan(parenthetical + 40);
  await expect(inputOf(page).locator('[data-element="scene-heading"]').first()).toHaveCSS(
    'text-transform',
    'uppercase',
  );

  // The element kinds are part of the shared doc: the co-writer gets the same structure.
  await openScript(clapper, b.page, projectId);
  await waitReady(b.page);
  await expect.poll(() => blocks(b.page)).toEqual(expected);
  await clapper.screenshot(page, 'script-element-flow');
});
