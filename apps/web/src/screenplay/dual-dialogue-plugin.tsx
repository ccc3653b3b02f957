'use client';
// Dual dialogue (`^`, domain PG8) side by side in the editor. The blocks stay flat, as
// stored (the cue's `^` is the only mark, so old scripts, the server's reader and Fountain
// export are untouched); this plugin only gives the two speeches' blocks a class, and CSS
// floats the left speech beside the right one. It works on the speeches around what
// changed — a cue's text, a block added or removed — never on the whole script, so typing
// in dialogue or action costs nothing here.
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { mergeRegister } from '@lexical/utils';
import {
  $getNodeByKey,
  type EditorState,
  type LexicalEditor,
  type LexicalNode,
  type NodeKey,
  type NodeMutation,
  TextNode,
} from 'lexical';
import { type DualSide, type ScriptBlock, dualDialogueSides, isScriptElement } from '@clapper/domain';
import { useEffect } from 'react';
import { $blockOf, $nextBlock, $previousBlock, $scriptBlocks, screenplayBlockNodes } from './screenplay-nodes.ts';

const speechTypes = new Set(['character', 'parenthetical', 'dialogue']);
const isSpeechPart = (node: LexicalNode | null): node is LexicalNode =>
  node !== null && speechTypes.has(node.getType());

/** The run of speech blocks (cues, parentheticals, dialogue) `node` is in: one conversation. */
function $conversationOf(node: LexicalNode): LexicalNode[] {
  let start = node;
  // Across groups' edges: a conversation may begin in one group and go on in the next.
  for (let previous = $previousBlock(start); isSpeechPart(previous); previous = $previousBlock(previous))
    start = previous;
  const run: LexicalNode[] = [];
  for (let at: LexicalNode | null = start; isSpeechPart(at); at = $nextBlock(at)) run.push(at);
  return run;
}

function setSide(editor: LexicalEditor, key: NodeKey, side: DualSide | null, lastLeft: boolean): void {
  const dom = editor.getElementByKey(key);
  if (!dom) return;
  // Most blocks are in no pair and never were (every block of a script just opened).
  if (side === null && !dom.className.includes('sp-dual-')) return;
  dom.classList.toggle('sp-dual-left', side === 'left');
  dom.classList.toggle('sp-dual-right', side === 'right');
  dom.classList.toggle('sp-dual-left-last', lastLeft);
}

/** Classes one conversation's blocks (a run of speech blocks, in order). */
function classRun(editor: LexicalEditor, run: readonly LexicalNode[]): void {
  // Only a cue ending in `^` pairs speeches: a conversation without one has no sides
  // (the common case, and every conversation of a script just opened without dual dialogue).
  if (!run.some((block) => block.getType() === 'character' && block.getTextContent().includes('^'))) {
    for (const block of run) setSide(editor, block.getKey(), null, false);
    return;
  }
  // Only a cue's text decides anything.
  const blocks: ScriptBlock[] = run.map((block) => {
    const type = block.getType();
    return {
      type: isScriptElement(type) ? type : 'action',
      text: type === 'character' ? block.getTextContent() : block.getTextContentSize() > 0 ? ' ' : '',
    };
  });
  const sides = dualDialogueSides(blocks);
  run.forEach((block, i) =>
    setSide(editor, block.getKey(), sides[i] ?? null, sides[i] === 'left' && sides[i + 1] === 'right'),
  );
}

/** Re-classes the conversations around the blocks that changed (keys of the current state). */
function $reclass(editor: LexicalEditor, seeds: Iterable<NodeKey>): void {
  const done = new Set<NodeKey>();
  const visit = (node: LexicalNode | null) => {
    if (!isSpeechPart(node) || done.has(node.getKey())) return;
    const run = $conversationOf(node);
    for (const block of run) done.add(block.getKey());
    classRun(editor, run);
  };
  for (const key of seeds) {
    const node = $getNodeByKey(key);
    if (node === null || !node.isAttached() || $blockOf(node)?.getKey() !== key) continue;
    // A block added or removed between speeches joins or splits conversations: look both ways.
    visit(node);
    visit($previousBlock(node));
    visit($nextBlock(node));
  }
}

/** Every conversation of the script, in one pass (a script loaded or imported: most blocks are new). */
function $reclassAll(editor: LexicalEditor): void {
  let run: LexicalNode[] = [];
  // The script's blocks in order, across groups (flat, grouped and mixed docs alike).
  for (const block of $scriptBlocks()) {
    if (isSpeechPart(block)) run.push(block);
    else if (run.length > 0) {
      classRun(editor, run);
      run = [];
    }
  }
  if (run.length > 0) classRun(editor, run);
}

/** Past this many blocks changed at once, one pass over the script beats looking around each. */
const wholeScriptAbove = 64;

export function DualDialoguePlugin() {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    // Blocks added or removed: their conversations, and those of the blocks they sat between.
    const onBlocks = (mutations: Map<NodeKey, NodeMutation>, { prevEditorState }: { prevEditorState: EditorState }) => {
      const seeds: NodeKey[] = [];
      const removed: NodeKey[] = [];
      for (const [key, mutation] of mutations) {
        if (mutation === 'created') seeds.push(key);
        else if (mutation === 'destroyed') removed.push(key);
      }
      if (seeds.length === 0 && removed.length === 0) return;
      if (removed.length > 0) {
        // A removed block's neighbours, as they were: the conversations it left.
        prevEditorState.read(() => {
          for (const key of removed) {
            const node = $getNodeByKey(key);
            const previous = node ? $previousBlock(node) : null;
            const next = node ? $nextBlock(node) : null;
            if (previous) seeds.push(previous.getKey());
            if (next) seeds.push(next.getKey());
          }
        });
      }
      editor
        .getEditorState()
        .read(() => (seeds.length > wholeScriptAbove ? $reclassAll(editor) : $reclass(editor, seeds)));
    };
    // Text typed or deleted: only a cue's can change anything (its `^`), so a keystroke
    // elsewhere costs one parent lookup. (Lexical reports a block 'updated' only when the
    // block itself changed, not its text.)
    const onText = (mutations: Map<NodeKey, NodeMutation>, { prevEditorState }: { prevEditorState: EditorState }) => {
      const cues = new Set<NodeKey>();
      const cueOf = (key: NodeKey) => {
        const parent = $getNodeByKey(key)?.getParent();
        if (parent?.getType() === 'character') cues.add(parent.getKey());
      };
      editor.getEditorState().read(() => {
        for (const [key, mutation] of mutations) if (mutation !== 'destroyed') cueOf(key);
      });
      for (const [key, mutation] of mutations) {
        if (mutation === 'destroyed') prevEditorState.read(() => cueOf(key));
      }
      if (cues.size > 0) editor.getEditorState().read(() => $reclass(editor, cues));
    };
    return mergeRegister(
      ...screenplayBlockNodes.map((klass) => editor.registerMutationListener(klass, onBlocks)),
      editor.registerMutationListener(TextNode, onText),
    );
  }, [editor]);
  return (
    <style href="clapper-dual-dialogue" precedence="medium">
      {dualDialogueCss}
    </style>
  );
}

// The left speech floats in the left half of the text column (a gutter short of it, so
// the right speech's blocks, each its own formatting context, never collide with it); the
// right speech stays in the flow, its margin past the middle, so both start level. The
// block after the pair clears the float. Columns as printed: the cue 0.9 in into its
// column, a parenthetical 0.4 in.
const dualDialogueCss = `
.sp-el.sp-dual-left { float: left; clear: left; width: calc(50% - 0.2in); margin-left: 0; max-width: none; box-sizing: border-box; }
.sp-el.sp-dual-left-last { margin-bottom: 12pt; }
.sp-el.sp-dual-right { margin-left: 50%; padding-right: 0.2in; max-width: none; box-sizing: border-box; }
.sp-el.sp-dual-left.sp-character, .sp-el.sp-dual-right.sp-character { padding-left: 0.9in; }
.sp-el.sp-dual-left.sp-parenthetical, .sp-el.sp-dual-right.sp-parenthetical { padding-left: 0.4in; }
.sp-el.sp-dual-right + .sp-el:not(.sp-dual-right) { clear: left; }
`;
