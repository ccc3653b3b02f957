// The editor's document as script blocks (`@clapper/domain`'s ScriptBlock) and back:
// what Fountain import/export, paste and the PDF read and write.
import { $createLineBreakNode, $createTextNode, $getRoot, type LexicalNode } from 'lexical';
import { isScriptElement, type ScriptBlock } from '@clapper/domain';
import { $createScreenplayElementNode, type ScreenplayElementNode } from './screenplay-nodes.ts';

/** Every top-level block, in order; a block of an unknown kind reads as action. */
export function $readScriptBlocks(): ScriptBlock[] {
  return $getRoot()
    .getChildren()
    .map((node) => {
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

/**
 * Replaces the whole script with `blocks` (at least one block stays, so the doc is
 * never empty). Called inside one editor.update: the binding writes it to the Yjs doc
 * in one transaction.
 */
export function $replaceScript(blocks: readonly ScriptBlock[]): void {
  const root = $getRoot();
  root.clear();
  const nodes = blocks.length > 0 ? blocks.map($createBlockNode) : [$createScreenplayElementNode('scene-heading')];
  root.append(...nodes);
  nodes[nodes.length - 1]?.selectEnd();
}

/** Inserts `blocks` after `anchor` (replacing it when it is empty); the caret ends after them. */
export function $insertBlocksAfter(anchor: ScreenplayElementNode | null, blocks: readonly ScriptBlock[]): void {
  if (blocks.length === 0) return;
  const nodes = blocks.map($createBlockNode);
  if (anchor === null) {
    $getRoot().append(...nodes);
  } else {
    let previous: LexicalNode = anchor;
    for (const node of nodes) {
      previous.insertAfter(node);
      previous = node;
    }
    if (anchor.getTextContentSize() === 0) anchor.remove();
  }
  nodes[nodes.length - 1]?.selectEnd();
}
