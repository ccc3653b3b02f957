// The editor's document as script blocks (`@clapper/domain`'s ScriptBlock) and back:
// what Fountain import/export, paste and the PDF read and write.
import { $createLineBreakNode, $createTextNode, $getRoot, type LexicalNode } from 'lexical';
import { groupScriptBlocks, isScriptElement, type ScriptBlock } from '@clapper/domain';
import {
  $createScreenplayElementNode,
  $createScriptGroupNode,
  $isScriptGroupNode,
  $scriptBlocks,
  type ScreenplayElementNode,
  type ScriptGroupNode,
} from './screenplay-nodes.ts';

/** Every block, in order, in groups or not; a block of an unknown kind reads as action. */
export function $readScriptBlocks(): ScriptBlock[] {
  return $scriptBlocks().map((node) => {
    const type = node.getType();
    return { type: isScriptElement(type) ? type : 'action', text: node.getTextContent() };
  });
}

/** A block node holding `text`, its lines separated by line breaks. */
export function $createBlockNode(block: ScriptBlock): ScreenplayElementNode {
  const node = $createScreenplayElementNode(block.type);
  const children: LexicalNode[] = [];
  block.text.split('\n').forEach((line, index) => {
    if (index > 0) children.push($createLineBreakNode());
    if (line) children.push($createTextNode(line));
  });
  if (children.length > 0) node.append(...children);
  return node;
}

/** `blocks` as new page-sized groups (`groupScriptBlocks`), and the last block made. */
function $createGroups(blocks: readonly ScriptBlock[]): {
  groups: ScriptGroupNode[];
  last: ScreenplayElementNode | null;
} {
  let last: ScreenplayElementNode | null = null;
  const groups = groupScriptBlocks(blocks).map((group) => {
    const nodes = group.map($createBlockNode);
    last = nodes[nodes.length - 1] ?? last;
    return $createScriptGroupNode().append(...nodes);
  });
  return { groups, last };
}

/**
 * Replaces the whole script with `blocks` (at least one block stays, so the doc is
 * never empty), written in page-sized groups whatever shape the script had: nothing of
 * the old content is kept, so no one's concurrent edit is moved. Called inside one
 * editor.update: the binding writes it to the Yjs doc in one transaction.
 */
export function $replaceScript(blocks: readonly ScriptBlock[]): void {
  const root = $getRoot();
  root.clear();
  const { groups, last } = $createGroups(blocks.length > 0 ? blocks : [{ type: 'scene-heading', text: '' }]);
  root.append(...groups);
  last?.selectEnd();
}

/** Inserts `blocks` after `anchor` (replacing it when it is empty); the caret ends after them. */
export function $insertBlocksAfter(anchor: ScreenplayElementNode | null, blocks: readonly ScriptBlock[]): void {
  if (blocks.length === 0) return;
  const group = anchor?.getParent();
  if (anchor === null || ($isScriptGroupNode(group) && anchor.getNextSibling() === null)) {
    // At the end of the script, or of a group: the new blocks come as groups of their own.
    const { groups, last } = $createGroups(blocks);
    if (anchor === null || !$isScriptGroupNode(group)) $getRoot().append(...groups);
    else {
      let previous: LexicalNode = group;
      for (const node of groups) {
        previous.insertAfter(node);
        previous = node;
      }
      if (anchor.getTextContentSize() === 0) anchor.remove();
    }
    last?.selectEnd();
    return;
  }
  // Beside the anchor, in its group or the root: a group grows (its blocks after the
  // anchor can't move to another group without losing what someone types in them meanwhile).
  const nodes = blocks.map($createBlockNode);
  let previous: LexicalNode = anchor;
  for (const node of nodes) {
    previous.insertAfter(node);
    previous = node;
  }
  if (anchor.getTextContentSize() === 0) anchor.remove();
  nodes[nodes.length - 1]?.selectEnd();
}
