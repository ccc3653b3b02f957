'use client';
// Screenwriting apps read what was typed when the writer leaves a line (SPEC G5 in
// @clapper/domain): an Action line that is a scene heading becomes a Scene heading (a
// transition a Transition), and an Action line that is a character cue, ended with
// Enter, becomes a Character cue with the new line its Dialogue. Only this writer's own
// edits are read, never remote or undo/redo updates, and only when the caret moved to
// another block, so typing inside a line costs two key lookups per update.
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import {
  $getNodeByKey,
  $getSelection,
  $isRangeSelection,
  $isTextNode,
  type EditorState,
  type LexicalEditor,
  type NodeKey,
} from 'lexical';
import { useEffect } from 'react';
import { elementForTypedAction, isTypedCharacterCue } from '@clapper/domain';
import {
  $blockOf,
  $createScreenplayElementNode,
  $nextBlock,
  $isScreenplayElementNode,
  type ScreenplayElementNode,
} from './screenplay-nodes.ts';

type Change =
  | { kind: 'retype'; key: NodeKey; type: 'scene-heading' | 'transition'; stripForced: boolean }
  | { kind: 'cue'; cueKey: NodeKey; dialogueKey: NodeKey };

function anchorBlockKey(state: EditorState): NodeKey | null {
  return state.read(() => {
    const selection = $getSelection();
    if (!$isRangeSelection(selection)) return null;
    return $blockOf(selection.anchor.getNode())?.getKey() ?? null;
  });
}

function changeFor(state: EditorState, leftKey: NodeKey, nowKey: NodeKey | null): Change | null {
  return state.read(() => {
    const left = $getNodeByKey(leftKey);
    if (!$isScreenplayElementNode(left) || !left.isAttached() || left.getType() !== 'action') return null;
    const text = left.getTextContent();
    const typed = elementForTypedAction(text);
    if (typed) return { kind: 'retype', key: leftKey, type: typed.type, stripForced: text.trim().startsWith('.') };
    const next = $nextBlock(left);
    if (
      nowKey !== null &&
      next?.getKey() === nowKey &&
      $isScreenplayElementNode(next) &&
      next.getType() === 'action' &&
      next.getTextContentSize() === 0 &&
      isTypedCharacterCue(text)
    ) {
      return { kind: 'cue', cueKey: leftKey, dialogueKey: nowKey };
    }
    return null;
  });
}

function $retype(
  node: ScreenplayElementNode,
  type: Parameters<typeof $createScreenplayElementNode>[0],
): ScreenplayElementNode {
  const replacement = $createScreenplayElementNode(type);
  node.replace(replacement, true);
  return replacement;
}

function registerGrammar(editor: LexicalEditor): () => void {
  return editor.registerUpdateListener(({ editorState, prevEditorState, tags }) => {
    if (!editor.isEditable() || tags.has('collaboration') || tags.has('historic')) return;
    const was = anchorBlockKey(prevEditorState);
    const now = anchorBlockKey(editorState);
    if (was === null || was === now) return;
    const change = changeFor(editorState, was, now);
    if (change === null) return;
    editor.update(() => {
      if (change.kind === 'retype') {
        const node = $getNodeByKey(change.key);
        if (!$isScreenplayElementNode(node)) return;
        const first = node.getFirstDescendant();
        if (change.stripForced && $isTextNode(first) && first.getTextContent().trimStart().startsWith('.')) {
          first.setTextContent(first.getTextContent().trimStart().slice(1));
        }
        $retype(node, change.type);
      } else {
        const cue = $getNodeByKey(change.cueKey);
        const dialogue = $getNodeByKey(change.dialogueKey);
        if (!$isScreenplayElementNode(cue) || !$isScreenplayElementNode(dialogue)) return;
        $retype(cue, 'character');
        $retype(dialogue, 'dialogue').selectStart();
      }
    });
  });
}

export function ScreenplayGrammarPlugin() {
  const [editor] = useLexicalComposerContext();
  useEffect(() => registerGrammar(editor), [editor]);
  return null;
}
