import {
  type ScriptBlock as ScriptElementBlock,
  isSceneHeadingLine,
  isScriptElement,
  scriptGroupType,
} from '@clapper/domain';
import * as Y from 'yjs';

// The one grammar (`@clapper/domain`): the editor, Fountain import and this reader agree
// on what a heading is ("INT KITCHEN", "EST. BRIDGE", ...).
export { isSceneHeadingLine };

export interface ScriptBlock {
  /** The Lexical node type: a screenplay element (`@clapper/domain`), or e.g. `paragraph`, `heading`. */
  type: string;
  text: string;
}

export interface ScriptContent {
  /** Blocks joined by newlines. */
  text: string;
  /** Trimmed, in document order. */
  sceneHeadings: string[];
  blocks: ScriptBlock[];
  /**
   * The blocks as script elements, for pagination and export: blocks of a kind the
   * script has no element for (plain paragraphs of an older doc) become one element per
   * line, a heading where the grammar reads one, action otherwise.
   */
  elements: ScriptElementBlock[];
}

/**
 * Reads a script doc written by Lexical's Yjs binding (`@lexical/yjs`, as wired by
 * `CollaborationPlugin`) without an editor: the root `XmlText` embeds one `XmlText` per
 * block, whose `__type` attribute is the Lexical node type; text nodes are a `Y.Map` of
 * properties followed by their characters; line breaks are a `Y.Map` with `__type: 'linebreak'`.
 * New and imported scripts hold their blocks in groups (`__type: 'script-group'`, an
 * `XmlText` embedding blocks as the root does); older ones hold them in the root. Both,
 * and a mix, read the same: a group's blocks in its place.
 */
export function readScript(doc: Y.Doc, rootName = 'root'): ScriptContent {
  const blocks: ScriptBlock[] = [];
  readBlocks(doc.get(rootName, Y.XmlText), blocks, true);
  const elements: ScriptElementBlock[] = [];
  for (const block of blocks) {
    if (isScriptElement(block.type)) {
      elements.push({ type: block.type, text: block.text });
    } else {
      for (const line of block.text.split('\n'))
        elements.push({ type: isSceneHeadingLine(line) ? 'scene-heading' : 'action', text: line });
    }
  }
  const sceneHeadings = elements
    .filter((element) => element.type === 'scene-heading')
    .map((element) => element.text.trim())
    .filter((heading) => heading !== '');
  return { text: blocks.map((block) => block.text).join('\n'), sceneHeadings, blocks, elements };
}

function readBlocks(container: Y.XmlText, blocks: ScriptBlock[], isRoot: boolean): void {
  for (const op of container.toDelta() as { insert: unknown }[]) {
    if (op.insert instanceof Y.XmlText) {
      const type = op.insert.getAttribute('__type');
      // Groups sit in the root only; a group inside a group would read as a block.
      if (isRoot && type === scriptGroupType) readBlocks(op.insert, blocks, false);
      else blocks.push({ type: typeof type === 'string' ? type : 'unknown', text: textOf(op.insert) });
    } else if (typeof op.insert === 'string' && op.insert.length > 0) {
      blocks.push({ type: 'text', text: op.insert });
    }
  }
}

function textOf(element: Y.XmlText): string {
  let text = '';
  for (const op of element.toDelta() as { insert: unknown }[]) {
    const insert = op.insert;
    if (typeof insert === 'string') text += insert;
    else if (insert instanceof Y.XmlText) text += textOf(insert);
    else if (insert instanceof Y.Map && insert.get('__type') === 'linebreak') text += '\n';
  }
  return text;
}
