// Two Lexical editors bound to two Yjs docs through the real @lexical/yjs binding, the
// docs exchanging updates: every kind of local edit still reaches the other editor with
// the skip installed, and a keystroke no longer visits the blocks it did not touch.
import {
  $createTextNode,
  $getRoot,
  $isElementNode,
  $isTextNode,
  type ElementNode,
  type LexicalEditor,
  type LexicalNode,
} from 'lexical';
import { beforeAll, expect, test } from 'vitest';
import { applyUpdate, encodeStateAsUpdate } from 'yjs';
import { type BoundEditor, boundEditor } from './bound-editors.test-support.ts';
import { $createScreenplayElementNode } from './screenplay-nodes.ts';
import { installYjsSyncSkipsCleanBlocks } from './yjs-sync-skips-clean-blocks.ts';

const blocksOf = (editor: LexicalEditor) =>
  editor.getEditorState().read(() =>
    $getRoot()
      .getChildren()
      .map((block) => `${block.getType()}:${block.getTextContent()}`),
  );
const $setText = (node: LexicalNode | null | undefined, text: string) => {
  if ($isTextNode(node)) node.setTextContent(text);
};
// The receiving editor applies a remote change in an update Lexical commits in a microtask.
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

let a: BoundEditor;
let b: BoundEditor;

beforeAll(() => {
  installYjsSyncSkipsCleanBlocks();
  installYjsSyncSkipsCleanBlocks(); // idempotent
  a = boundEditor('a');
  b = boundEditor('b');
  a.doc.on('update', (update: Uint8Array) => applyUpdate(b.doc, update, 'a'));
  a.editor.update(
    () => {
      for (let i = 0; i < 300; i += 1) {
        const block = $createScreenplayElementNode(i % 2 === 0 ? 'action' : 'dialogue');
        block.append($createTextNode(`line ${i}`));
        $getRoot().append(block);
      }
    },
    { discrete: true },
  );
});

test('a keystroke in one block of 300 diffs that block only, and reaches the other editor', async () => {
  const proto = Object.getPrototypeOf(a.binding.root) as { syncPropertiesFromLexical: (...args: unknown[]) => void };
  const original = proto.syncPropertiesFromLexical;
  let visited = 0;
  proto.syncPropertiesFromLexical = function (...args: unknown[]) {
    visited += 1;
    return original.apply(this, args);
  };
  try {
    a.editor.update(
      () => {
        const block = $getRoot().getChildAtIndex(150);
        if (!$isElementNode(block)) throw new Error('no block 150');
        const text = block.getFirstDescendant();
        if ($isTextNode(text)) text.setTextContent('line 150 typed');
      },
      { discrete: true },
    );
  } finally {
    proto.syncPropertiesFromLexical = original;
  }
  // The root and the block typed in (the whole script without the skip: 301).
  expect(visited).toBe(2);
  await settled();
  expect(blocksOf(b.editor)[150]).toBe('action:line 150 typed');
  expect(blocksOf(b.editor)).toEqual(blocksOf(a.editor));
});

test('inserts, deletes, retypes and typing at both ends all reach the other editor', async () => {
  const edits: (() => void)[] = [
    () =>
      $getRoot()
        .getChildAtIndex(10)
        ?.insertAfter($createScreenplayElementNode('character').append($createTextNode('MARA'))),
    () => $getRoot().getChildAtIndex(20)?.remove(),
    () => $getRoot().getChildAtIndex(30)?.replace($createScreenplayElementNode('scene-heading'), true),
    () => $setText($getRoot().getFirstDescendant(), 'first'),
    () => $setText($getRoot().getLastDescendant(), 'last'),
    () => $getRoot().append($createScreenplayElementNode('transition').append($createTextNode('CUT TO:'))),
  ];
  for (const edit of edits) {
    a.editor.update(edit, { discrete: true });
    await settled();
    expect(blocksOf(b.editor)).toEqual(blocksOf(a.editor));
  }
});

test('setEditorState (dirty marks on the root only) is still diffed in full', async () => {
  const before = a.editor.getEditorState();
  a.editor.update(() => $setText($getRoot().getChildAtIndex<ElementNode>(200)?.getFirstDescendant(), 'changed'), {
    discrete: true,
  });
  await settled();
  expect(blocksOf(b.editor)[200]).toContain('changed');
  // Block 200 is the same node instance in both states; only its text node differs.
  a.editor.setEditorState(before);
  expect(blocksOf(a.editor)[200]).not.toContain('changed');
  await settled();
  expect(blocksOf(b.editor)).toEqual(blocksOf(a.editor));
  // And a third doc loading the state from scratch agrees.
  const c = boundEditor('c');
  applyUpdate(c.doc, encodeStateAsUpdate(a.doc));
  await settled();
  expect(blocksOf(c.editor)).toEqual(blocksOf(a.editor));
});
