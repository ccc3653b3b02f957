import { isScreenplayElement } from '@clapper/domain';
import * as Y from 'yjs';

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
}

// Fountain's forced-free scene heading prefixes: INT. EXT. INT./EXT. INT/EXT. I/E.
const sceneHeadingPrefix = /^(?:INT\.?\/EXT\.?|EXT\.?\/INT\.?|I\/E\.?|INT\.|EXT\.)(?:\s|$)/i;

/** Whether a line of a plain paragraph reads as a scene heading. */
export function isSceneHeadingLine(line: string): boolean {
  return sceneHeadingPrefix.test(line.trim());
}

/**
 * Reads a script doc written by Lexical's Yjs binding (`@lexical/yjs`, as wired by
 * `CollaborationPlugin`) without an editor: the root `XmlText` embeds one `XmlText` per
 * block, whose `__type` attribute is the Lexical node type; text nodes are a `Y.Map` of
 * properties followed by their characters; line breaks are a `Y.Map` with `__type: 'linebreak'`.
 */
export function readScript(doc: Y.Doc, rootName = 'root'): ScriptContent {
  const root = doc.get(rootName, Y.XmlText);
  const blocks: ScriptBlock[] = [];
  for (const op of root.toDelta() as { insert: unknown }[]) {
    if (op.insert instanceof Y.XmlText) {
      const type = op.insert.getAttribute('__type');
      blocks.push({ type: typeof type === 'string' ? type : 'unknown', text: textOf(op.insert) });
    } else if (typeof op.insert === 'string' && op.insert.length > 0) {
      blocks.push({ type: 'text', text: op.insert });
    }
  }
  const sceneHeadings: string[] = [];
  for (const block of blocks) {
    if (block.type === 'scene-heading') {
      const heading = block.text.trim();
      if (heading) sceneHeadings.push(heading);
    } else if (!isScreenplayElement(block.type)) {
      for (const line of block.text.split('\n')) if (isSceneHeadingLine(line)) sceneHeadings.push(line.trim());
    }
  }
  return { text: blocks.map((block) => block.text).join('\n'), sceneHeadings, blocks };
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
