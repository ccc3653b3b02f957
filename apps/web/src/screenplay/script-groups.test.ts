// The script's page-sized groups in the editor, through the real @lexical/yjs binding
// (two editors, two Yjs docs exchanging updates): an import writes groups, Enter at the
// end of a full group starts a new one, a group whose last block goes stays (empty), and
// every reader (the editor's and the server's) reads flat, grouped and mixed scripts as
// the same blocks.
import { readScript } from '@clapper/collab/client';
import { type ScriptBlock, scriptGroupSize, scriptGroupType } from '@clapper/domain';
import {
  $getRoot,
  $getSelection,
  DELETE_CHARACTER_COMMAND,
  DELETE_LINE_COMMAND,
  $isRangeSelection,
  type LexicalEditor,
} from 'lexical';
import { beforeAll, expect, test } from 'vitest';
import * as Y from 'yjs';
import { type BoundEditor, boundEditor, boundPair, updated as update } from './bound-editors.test-support.ts';
import { registerScreenplayKeys } from './screenplay-keys-plugin.tsx';
import { $isScriptGroupNode, $nextBlock, $previousBlock, $scriptBlocks } from './screenplay-nodes.ts';
import { installYjsSyncSkipsCleanBlocks } from './yjs-sync-skips-clean-blocks.ts';
import { $createBlockNode, $insertBlocksAfter, $readScriptBlocks, $replaceScript } from './script-blocks.ts';

/** An editor as the app binds it, with the screenplay's keys. */
function keyedEditor(name: string): BoundEditor {
  const bound = boundEditor(name);
  registerScreenplayKeys(bound.editor);
  return bound;
}

/** Two editors on two docs that pass each other every update. */
const pair = () => boundPair(keyedEditor('a'), keyedEditor('b'));

// As the app runs the binding.
beforeAll(() => installYjsSyncSkipsCleanBlocks());

/** The root's children: a group's size, or -1 for a block in the root. */
const shape = (editor: LexicalEditor) =>
  editor.getEditorState().read(() =>
    $getRoot()
      .getChildren()
      .map((child) => ($isScriptGroupNode(child) ? child.getChildrenSize() : -1)),
  );

const editorBlocks = (editor: LexicalEditor) => editor.getEditorState().read(() => $readScriptBlocks());

function scenes(count: number): ScriptBlock[] {
  return Array.from({ length: count }, (_, i): ScriptBlock[] => [
    { type: 'scene-heading', text: `INT. ROOM ${i + 1} - DAY` },
    { type: 'action', text: `Action ${i + 1}.` },
  ]).flat();
}

test('an import is written in groups of about 50 blocks, and every reader reads it as the blocks imported', async () => {
  const { a, b } = pair();
  const blocks = scenes(65);
  await update(a.editor, () => $replaceScript(blocks));
  expect(shape(a.editor)).toEqual([50, 50, 30]);
  expect(shape(b.editor)).toEqual([50, 50, 30]);
  expect(editorBlocks(b.editor)).toEqual(blocks);
  expect(readScript(a.doc).blocks).toEqual(blocks);
  // Stored: the root embeds groups, each embedding blocks.
  const root = a.doc.get('root', Y.XmlText).toDelta() as { insert: Y.XmlText }[];
  expect(root.map((op) => op.insert.getAttribute('__type'))).toEqual([
    scriptGroupType,
    scriptGroupType,
    scriptGroupType,
  ]);
});

test('Enter at the end of a full group puts the new block in a new group after it; elsewhere a group grows', async () => {
  const { a, b } = pair();
  await update(a.editor, () => $replaceScript(scenes(65)));
  const enterAtEndOf = (index: number) =>
    update(a.editor, () => {
      $scriptBlocks()[index]?.selectEnd();
      const selection = $getSelection();
      if ($isRangeSelection(selection)) selection.insertParagraph();
    });
  await enterAtEndOf(scriptGroupSize - 1);
  expect(shape(a.editor)).toEqual([50, 1, 50, 30]);
  // The new group's block is where the caret went, and it is an action (after an action).
  a.editor.getEditorState().read(() => {
    const selection = $getSelection();
    expect($isRangeSelection(selection) && selection.anchor.getNode().getKey()).toBe($scriptBlocks()[50]?.getKey());
  });
  await enterAtEndOf(50);
  expect(shape(a.editor)).toEqual([50, 2, 50, 30]);
  // The middle of a full group: it grows (its blocks are never moved).
  await enterAtEndOf(10);
  expect(shape(a.editor)).toEqual([51, 2, 50, 30]);
  expect(shape(b.editor)).toEqual([51, 2, 50, 30]);
  expect(editorBlocks(b.editor)).toEqual(editorBlocks(a.editor));
  expect(readScript(b.doc).blocks).toEqual(editorBlocks(a.editor));
});

test("a group whose last block is removed stays, empty, on both sides, and reads as nothing; the blocks' neighbours are found across groups' edges, empty groups skipped", async () => {
  const { a, b } = pair();
  await update(a.editor, () => $replaceScript(scenes(26)));
  expect(shape(a.editor)).toEqual([50, 2]);
  await update(a.editor, () => {
    for (const block of $scriptBlocks().slice(50)) block.remove();
  });
  expect(shape(a.editor)).toEqual([50, 0]);
  expect(shape(b.editor)).toEqual([50, 0]);
  expect(editorBlocks(b.editor)).toEqual(scenes(25));
  expect(readScript(b.doc).blocks).toEqual(scenes(25));
  // An empty group between two others: the blocks on either side are neighbours.
  await update(a.editor, () => $insertBlocksAfter(null, [{ type: 'transition', text: 'CUT TO:' }]));
  expect(shape(b.editor)).toEqual([50, 0, 1]);
  a.editor.getEditorState().read(() => {
    const blocks = $scriptBlocks();
    expect($nextBlock(blocks[49] as never)?.getKey()).toBe(blocks[50]?.getKey());
    expect($previousBlock(blocks[50] as never)?.getKey()).toBe(blocks[49]?.getKey());
    expect($nextBlock(blocks[50] as never)).toBeNull();
    expect($previousBlock(blocks[0] as never)).toBeNull();
  });
  expect(readScript(a.doc).blocks).toEqual([...scenes(25), { type: 'transition', text: 'CUT TO:' }]);
});

test('a flat script (an older one) and a mix of flat blocks and groups read the same in the editor and the server reader', async () => {
  const { a, b } = pair();
  const blocks = scenes(3);
  await update(a.editor, () => {
    $getRoot()
      .clear()
      .append(...blocks.map($createBlockNode));
  });
  expect(shape(b.editor)).toEqual([-1, -1, -1, -1, -1, -1]);
  expect(editorBlocks(b.editor)).toEqual(blocks);
  expect(readScript(b.doc).blocks).toEqual(blocks);
  // Enter in a flat script keeps it flat.
  await update(a.editor, () => {
    $scriptBlocks()[5]?.selectEnd();
    const selection = $getSelection();
    if ($isRangeSelection(selection)) selection.insertParagraph();
  });
  expect(shape(a.editor)).toEqual([-1, -1, -1, -1, -1, -1, -1]);
  // Blocks pasted at the end of a flat script come as a group: a mixed script, read in order.
  await update(a.editor, () => $insertBlocksAfter(null, [{ type: 'transition', text: 'CUT TO:' }]));
  expect(shape(b.editor)).toEqual([-1, -1, -1, -1, -1, -1, -1, 1]);
  const mixed = [...blocks, { type: 'action', text: '' }, { type: 'transition', text: 'CUT TO:' }];
  expect(editorBlocks(b.editor)).toEqual(mixed);
  expect(readScript(b.doc).blocks).toEqual(mixed);
});

test("Delete at the end of a group's last block pulls in the next group's first block; the caret stays at the join", async () => {
  const { a, b } = pair();
  await update(a.editor, () => $replaceScript(scenes(65)));
  await update(a.editor, () => {
    $scriptBlocks()[49]?.selectEnd();
    a.editor.dispatchCommand(DELETE_CHARACTER_COMMAND, false);
  });
  expect(shape(a.editor)).toEqual([50, 49, 30]);
  expect(editorBlocks(b.editor)[49]).toEqual({ type: 'action', text: 'Action 25.INT. ROOM 26 - DAY' });
  await update(a.editor, () => {
    const selection = $getSelection();
    if ($isRangeSelection(selection)) selection.insertText('|');
  });
  expect(editorBlocks(b.editor)[49]).toEqual({ type: 'action', text: 'Action 25.|INT. ROOM 26 - DAY' });
  // Chromium's Delete key arrives as a forward line deletion.
  await update(a.editor, () => {
    $scriptBlocks()[49]?.selectEnd();
    a.editor.dispatchCommand(DELETE_LINE_COMMAND, false);
  });
  expect(shape(b.editor)).toEqual([50, 48, 30]);
  expect(editorBlocks(b.editor)[49]).toEqual({ type: 'action', text: 'Action 25.|INT. ROOM 26 - DAYAction 26.' });
  expect(readScript(b.doc).blocks).toEqual(editorBlocks(a.editor));
});

test("a block a co-writer adds to a group survives someone removing the group's last block at the same time", async () => {
  const a = keyedEditor('a');
  const b = keyedEditor('b');
  // The two docs pass each other every update, unless held (both editing at once).
  let held = false;
  const toA: Uint8Array[] = [];
  const toB: Uint8Array[] = [];
  a.doc.on('update', (change: Uint8Array, origin: unknown) => {
    if (origin === 'remote') return;
    if (held) toB.push(change);
    else Y.applyUpdate(b.doc, change, 'remote');
  });
  b.doc.on('update', (change: Uint8Array, origin: unknown) => {
    if (origin === 'remote') return;
    if (held) toA.push(change);
    else Y.applyUpdate(a.doc, change, 'remote');
  });
  await update(a.editor, () => $replaceScript(scenes(26)));
  expect(shape(b.editor)).toEqual([50, 2]);

  held = true;
  // The writer deletes the second group's two blocks; the co-writer, at the same time,
  // adds a line after that group's last block.
  await update(a.editor, () => {
    for (const block of $scriptBlocks().slice(50)) block.remove();
  });
  await update(b.editor, () => {
    $scriptBlocks()[51]?.selectEnd();
    const selection = $getSelection();
    if ($isRangeSelection(selection)) {
      selection.insertParagraph();
      selection.insertText('Added meanwhile.');
    }
  });
  held = false;
  for (const change of toB.splice(0)) Y.applyUpdate(b.doc, change, 'remote');
  for (const change of toA.splice(0)) Y.applyUpdate(a.doc, change, 'remote');
  await new Promise((resolve) => setTimeout(resolve, 0));

  const expected = [...scenes(25), { type: 'action', text: 'Added meanwhile.' }];
  expect(editorBlocks(a.editor)).toEqual(expected);
  expect(editorBlocks(b.editor)).toEqual(expected);
  expect(readScript(a.doc).blocks).toEqual(expected);
  expect(readScript(b.doc).blocks).toEqual(expected);
});
