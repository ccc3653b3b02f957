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
  $isTextNode,
  COMMAND_PRIORITY_HIGH,
  DELETE_CHARACTER_COMMAND,
  DELETE_LINE_COMMAND,
  KEY_DOWN_COMMAND,
  KEY_ENTER_COMMAND,
  KEY_TAB_COMMAND,
  type LexicalEditor,
  type LexicalNode,
  ParagraphNode,
  SELECTION_INSERT_CLIPBOARD_NODES_COMMAND,
  TextNode,
  createCommand,
} from 'lexical';
import { useEffect } from 'react';
import {
  elementAfterTab,
  elementForEmptyEnter,
  elementForShortcutDigit,
  isScriptElement,
  isUppercaseElement,
  type ScreenplayElement,
  toCapitals,
} from '@clapper/domain';
import {
  $blockOf,
  $createScreenplayElementNode,
  $isScreenplayElementNode,
  $isScriptGroupNode,
  $nextBlock,
  type ScreenplayElementNode,
  ScriptGroupNode,
} from './screenplay-nodes.ts';
import { $insertBlocksAfter } from './script-blocks.ts';

/** Turns the selected blocks into `type` (the toolbar dispatches it too). */
export const SET_ELEMENT_TYPE_COMMAND = createCommand<ScreenplayElement>('SET_ELEMENT_TYPE_COMMAND');

/** The screenplay block holding the selection's anchor, if any. */
export function $getAnchorElement(): ScreenplayElementNode | null {
  const selection = $getSelection();
  if (!$isRangeSelection(selection)) return null;
  // In a group or in the root (older, flat scripts).
  const block = $blockOf(selection.anchor.getNode());
  return $isScreenplayElementNode(block) ? block : null;
}

function $setElementType(type: ScreenplayElement): boolean {
  const selection = $getSelection();
  if (!$isRangeSelection(selection)) return false;
  // Replacing the block moves its text nodes into a block of the new kind.
  $setBlocksType(selection, () => $createScreenplayElementNode(type));
  return true;
}

/** Delete with a collapsed caret at the end of a group's last block: merges the next group's first block. */
function $deleteForwardAcrossGroups(isBackward: boolean): boolean {
  if (isBackward) return false;
  const selection = $getSelection();
  if (!$isRangeSelection(selection) || !selection.isCollapsed()) return false;
  const block = $getAnchorElement();
  if (block === null || block.getNextSibling() !== null || !$isScriptGroupNode(block.getParent())) return false;
  const { anchor } = selection;
  const last = block.getLastDescendant();
  const atEnd =
    anchor.type === 'element'
      ? anchor.getNode().is(block) && anchor.offset === block.getChildrenSize()
      : last !== null && anchor.getNode().is(last) && anchor.offset === last.getTextContentSize();
  const next = $nextBlock(block);
  if (!atEnd || !$isScreenplayElementNode(next)) return false;
  if (block.isEmpty()) {
    next.selectStart();
    block.remove();
  } else {
    block.append(...next.getChildren());
    next.remove();
  }
  return true;
}

export function registerScreenplayKeys(editor: LexicalEditor): () => void {
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
    // A group whose last block went stays, empty (removing it would also delete what a
    // co-writer adds to it meanwhile: a Yjs delete of the group takes everything in it).
    // Anything but a block that lands in a group (the caret left in an empty group, then
    // typing) goes into an action block there.
    editor.registerNodeTransform(ScriptGroupNode, (group) => {
      for (const child of group.getChildren()) {
        if ($isScreenplayElementNode(child)) continue;
        const block = $createScreenplayElementNode('action');
        child.replace(block);
        block.append(child);
        if ($isTextNode(child)) child.select();
      }
    }),
    // Delete at the end of a group's last block pulls in the next group's first block, as
    // at the end of any block (Lexical's own forward delete stops at the group's edge).
    // In Chromium the Delete key reaches Lexical as beforeinput `deleteContentForward`,
    // whose target range spans the groups' edge and which Lexical then deletes wrong: the
    // key is taken at keydown, before that.
    editor.registerCommand(
      KEY_DOWN_COMMAND,
      (event) => {
        if (event.key !== 'Delete' || event.shiftKey || event.ctrlKey || event.metaKey || event.altKey) return false;
        if (!editor.isEditable() || !$deleteForwardAcrossGroups(false)) return false;
        event.preventDefault();
        return true;
      },
      COMMAND_PRIORITY_HIGH,
    ),
    editor.registerCommand(DELETE_CHARACTER_COMMAND, $deleteForwardAcrossGroups, COMMAND_PRIORITY_HIGH),
    editor.registerCommand(DELETE_LINE_COMMAND, $deleteForwardAcrossGroups, COMMAND_PRIORITY_HIGH),
    // Pasted blocks (copied from a script: Lexical's own clipboard) go in as blocks, as a
    // Fountain paste does, beside the caret's block: Lexical would flatten them into
    // one line inside a group (blocks may only be pasted beside blocks of the root), and
    // a copied group is its blocks.
    editor.registerCommand(
      SELECTION_INSERT_CLIPBOARD_NODES_COMMAND,
      ({ nodes, selection }) => {
        const flat = nodes.flatMap((node): LexicalNode[] => ($isScriptGroupNode(node) ? node.getChildren() : [node]));
        if (!flat.some($isScreenplayElementNode) || !$isRangeSelection(selection)) return false;
        if (!selection.isCollapsed()) selection.removeText();
        const blocks = flat.map((node) => {
          const type = node.getType();
          return { type: isScriptElement(type) ? type : ('action' as const), text: node.getTextContent() };
        });
        $insertBlocksAfter($getAnchorElement(), blocks);
        return true;
      },
      COMMAND_PRIORITY_HIGH,
    ),
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
