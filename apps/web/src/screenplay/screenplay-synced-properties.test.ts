// What the screenplay writes into its doc, through the real @lexical/yjs binding: a block
// is its type and its text (plus the text's format), not 10 default-valued properties more,
// and windows with and without the exclusions (this app and an older one) read each
// other's docs as the same script and keep typing into them together.
import { readScript } from '@clapper/collab/client';
import type { ScriptBlock } from '@clapper/domain';
import { $getRoot, $isElementNode, $isTextNode, type LexicalEditor } from 'lexical';
import { beforeAll, expect, test } from 'vitest';
import * as Y from 'yjs';
import { boundEditor, boundPair, updated as update } from './bound-editors.test-support.ts';
import { $scriptBlocks } from './screenplay-nodes.ts';
import { $readScriptBlocks, $replaceScript } from './script-blocks.ts';
import { installYjsSyncSkipsCleanBlocks } from './yjs-sync-skips-clean-blocks.ts';

/** Two windows: this app's (the default) or an older app's (`older`: every property synced). */
const pair = (aApp: 'this' | 'older' = 'this', bApp: 'this' | 'older' = 'this') =>
  boundPair(
    boundEditor('a', { syncsEveryProperty: aApp === 'older' }),
    boundEditor('b', { syncsEveryProperty: bApp === 'older' }),
  );

beforeAll(() => installYjsSyncSkipsCleanBlocks());

const script: ScriptBlock[] = Array.from({ length: 60 }, (_, i): ScriptBlock[] => [
  { type: 'scene-heading', text: `INT. ROOM ${i + 1} - DAY` },
  { type: 'action', text: `She opens door ${i + 1}.` },
  { type: 'character', text: 'ANNA' },
  { type: 'dialogue', text: `Line ${i + 1}.` },
]).flat();

/** Every Yjs item in the doc, as `<content kind>` or `<content kind>:<property>`. */
function itemKinds(doc: Y.Doc): Map<string, number> {
  const kinds = new Map<string, number>();
  for (const structs of doc.store.clients.values()) {
    for (const struct of structs) {
      if (!(struct instanceof Y.Item)) continue;
      const kind = struct.content.constructor.name + (struct.parentSub === null ? '' : `:${struct.parentSub}`);
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
  }
  return kinds;
}

const itemCount = (doc: Y.Doc) => [...itemKinds(doc).values()].reduce((sum, n) => sum + n, 0);

/** The first block's text format in a window: the writer's bold survives the trip. */
const firstTextFormat = (editor: LexicalEditor) =>
  editor.getEditorState().read(() => {
    const block = $scriptBlocks()[0];
    const text = $isElementNode(block) ? block.getFirstChild() : null;
    return $isTextNode(text) ? text.getFormat() : null;
  });

test("a block is stored as its type, its text and the text's format: 6 Yjs items, where every property made it 15", async () => {
  const lean = pair();
  const full = pair('older', 'older');
  await update(lean.a.editor, () => $replaceScript(script));
  await update(full.a.editor, () => $replaceScript(script));

  const kinds = itemKinds(lean.a.doc);
  // Blocks and groups carry `__type` only; text maps `__type` and `__format`.
  const properties = [...kinds.keys()].filter((kind) => kind.includes(':')).sort();
  expect(properties).toEqual(['ContentAny:__format', 'ContentAny:__type']);
  const perBlock = itemCount(lean.a.doc) / script.length;
  expect(perBlock).toBeLessThan(6.1); // the groups' own items are the 0.0x
  expect(itemCount(full.a.doc) / script.length).toBeGreaterThan(15);
  // Both windows read the same script, and so does the server's reader.
  expect(lean.b.editor.getEditorState().read(() => $readScriptBlocks())).toEqual(script);
  expect(readScript(lean.b.doc).blocks).toEqual(script);
  expect(readScript(lean.a.doc).blocks).toEqual(readScript(full.a.doc).blocks);
});

test('text format (bold) is still synced; typing writes no left-out property', async () => {
  const { a, b } = pair();
  await update(a.editor, () => $replaceScript(script.slice(0, 8)));
  const before = itemKinds(a.doc);
  await update(a.editor, () => {
    const block = $scriptBlocks()[0];
    if (!$isElementNode(block)) throw new Error('no first block');
    const text = block.getFirstChild();
    if (!$isTextNode(text)) throw new Error('no text in the first block');
    text.toggleFormat('bold');
    text.setTextContent(`${text.getTextContent()} (NIGHT)`);
    // What the DOM reconciler and a direction change would write: never synced.
    block.setTextFormat(1);
    block.setDirection('rtl');
  });
  expect(firstTextFormat(b.editor)).toBe(1);
  expect(readScript(b.doc).blocks[0]?.text).toBe('INT. ROOM 1 - DAY (NIGHT)');
  const after = itemKinds(a.doc);
  // The text's format was replaced (its old value's item now a deleted one); nothing else
  // of a property was written.
  expect([...after.keys()].filter((kind) => !before.has(kind))).toEqual(['ContentDeleted:__format']);
  expect(after.get('ContentAny:__format')).toBe(before.get('ContentAny:__format'));
  expect(after.get('ContentAny:__type')).toBe(before.get('ContentAny:__type'));
});

test('an older app (every property synced) and this one read and type into each other’s docs', async () => {
  for (const [writer, reader] of [
    ['older', 'this'],
    ['this', 'older'],
  ] as const) {
    const { a, b } = pair(writer, reader);
    await update(a.editor, () => $replaceScript(script));
    expect(b.editor.getEditorState().read(() => $readScriptBlocks())).toEqual(script);
    // Each types into the other's block; both windows and the server's reader agree.
    await update(b.editor, () => {
      const block = $scriptBlocks()[1];
      if ($isElementNode(block)) block.getLastDescendant()?.selectEnd().insertText(' Slowly.');
    });
    await update(a.editor, () => {
      const block = $scriptBlocks()[2];
      if ($isElementNode(block)) block.getLastDescendant()?.selectEnd().insertText(' (V.O.)');
    });
    const expected = script.map((block, i) =>
      i === 1
        ? { ...block, text: `${block.text} Slowly.` }
        : i === 2
          ? { ...block, text: `${block.text} (V.O.)` }
          : block,
    );
    for (const window of [a, b]) {
      expect(window.editor.getEditorState().read(() => $readScriptBlocks())).toEqual(expected);
      expect(readScript(window.doc).blocks).toEqual(expected);
    }
    expect(a.editor.getEditorState().read(() => $getRoot().getTextContent())).toBe(
      b.editor.getEditorState().read(() => $getRoot().getTextContent()),
    );
  }
});
