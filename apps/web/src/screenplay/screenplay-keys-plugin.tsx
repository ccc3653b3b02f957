'use client';
// Screenwriting keys: Tab / Shift+Tab cycle the current element's kind, Enter on an
// empty dialogue/parenthetical/character drops back to action, Ctrl/Cmd+1..6 pick a kind;
// plus the normalisations a script needs (only element blocks, capitals where due).
// (Enter at the end of a block picks the next kind in ScreenplayElementNode.insertNewAfter.)
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $setBlocksType } from '@lexical/selection';
import { mergeRegister } from '@lexical/utils';
import {
  $getSelection,
  $isRangeSelection,
  COMMAND_PRIORITY_HIGH,
  KEY_DOWN_COMMAND,
  KEY_ENTER_COMMAND,
  KEY_TAB_COMMAND,
  type LexicalEditor,
  ParagraphNode,
  TextNode,
  createCommand,
} from 'lexical';
import { useEffect } from 'react';
import {
  elementAfterTab,
  elementForEmptyEnter,
  elementForShortcutDigit,
  isUppercaseElement,
  type ScreenplayElement,
  toCapitals,
} from '@clapper/domain';
import {
  $createScreenplayElementNode,
  $isScreenplayElementNode,
  type ScreenplayElementNode,
} from './screenplay-nodes.ts';

/** Turns the selected blocks into `type` (the toolbar dispatches it too). */
export const SET_ELEMENT_TYPE_COMMAND = createCommand<ScreenplayElement>('SET_ELEMENT_TYPE_COMMAND');

/** The screenplay block holding the selection's anchor, if any. */
export function $getAnchorElement(): ScreenplayElementNode | null {
  const selection = $getSelection();
  if (!$isRangeSelection(selection)) return null;
  const anchorNode = selection.anchor.getNode();
  const block = anchorNode.getKey() === 'root' ? null : anchorNode.getTopLevelElement();
  return $isScreenplayElementNode(block) ? block : null;
}

function $setElementType(type: ScreenplayElement): boolean {
  const selection = $getSelection();
  if (!$isRangeSelection(selection)) return false;
  // Replacing the block moves its text nodes into a block of the new kind.
  $setBlocksType(selection, () => $createScreenplayElementNode(type));
  return true;
}

function registerScreenplayKeys(editor: LexicalEditor): () => void {
  return mergeRegister(
    // Wherever Lexical makes its default block (select-all + delete, an emptied root),
    // make it action: a script holds screenplay elements only.
    editor.registerNodeTransform(ParagraphNode, (paragraph) => {
      paragraph.replace($createScreenplayElementNode('action'), true);
    }),
    // Scene headings, character cues and transitions are stored in capitals (what the
    // shot list and Fountain export read), not just shown that way. Transforms run on
    // this client's own edits only, in the same update as the keystroke, so the doc
    // never sees the lower-case letter; remote edits are never rewritten here.
    editor.registerNodeTransform(TextNode, (text) => {
      if (editor.isComposing()) return;
      const block = text.getParent();
      if (!$isScreenplayElementNode(block) || !isUppercaseElement(block.getElementType())) return;
      const current = text.getTextContent();
      const capitals = toCapitals(current);
      if (capitals !== current) text.setTextContent(capitals);
    }),
    editor.registerCommand(SET_ELEMENT_TYPE_COMMAND, (type) => $setElementType(type), COMMAND_PRIORITY_HIGH),
    editor.registerCommand(
      KEY_TAB_COMMAND,
      (event) => {
        if (!editor.isEditable()) return false;
        const block = $getAnchorElement();
        if (block === null) return false;
        event.preventDefault();
        return $setElementType(elementAfterTab(block.getElementType(), event.shiftKey));
      },
      COMMAND_PRIORITY_HIGH,
    ),
    editor.registerCommand(
      KEY_ENTER_COMMAND,
      (event) => {
        if (!editor.isEditable() || event?.shiftKey) return false;
        const selection = $getSelection();
        if (!$isRangeSelection(selection) || !selection.isCollapsed()) return false;
        const block = $getAnchorElement();
        if (block === null || block.getTextContentSize() > 0) return false;
        const next = elementForEmptyEnter(block.getElementType());
        if (next === null) return false;
        event?.preventDefault();
        return $setElementType(next);
      },
      COMMAND_PRIORITY_HIGH,
    ),
    editor.registerCommand(
      KEY_DOWN_COMMAND,
      (event) => {
        if (!editor.isEditable() || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return false;
        // event.code, not key: layouts like AZERTY need Shift for digits.
        const match = /^(?:Digit|Numpad)([1-9])$/.exec(event.code);
        const type = match ? elementForShortcutDigit(Number(match[1])) : null;
        if (type === null) return false;
        event.preventDefault();
        return $setElementType(type);
      },
      COMMAND_PRIORITY_HIGH,
    ),
  );
}

export function ScreenplayKeysPlugin() {
  const [editor] = useLexicalComposerContext();
  useEffect(() => registerScreenplayKeys(editor), [editor]);
  return null;
}
