// Which Lexical node properties the screenplay writes into its Yjs doc.
//
// Lexical's binding stores every property of a node as its own Yjs item: a block carried
// 15 items (the block and its text map, their types, the characters, and 10 properties at
// their defaults), so a 120-page script held ~76,000 items, and every window holding the
// script (the server too) kept them all alive: a large part of a receiver's heap, which
// its full GC's pause scales with. A screenplay block's look comes from its type alone:
// alignment, indent, direction and the element's text format/style are never set by the
// screenplay editor or are re-derived by each window's reconciler, and text style, mode
// and detail are never used. Left out, a block is 6 items: the block, its type, the text
// map, its type and format (bold, italic, underline are the writer's), the characters.
//
// Reading stays as before: a property missing from the doc is the node's default, and
// one an older app wrote is ignored here (a default, or a value each window derives
// itself). docs/protocol.md, "The script document".
import type { ExcludedProperties } from '@lexical/yjs';
import { TextNode } from 'lexical';
import { screenplayNodes } from './screenplay-nodes.ts';

/** Element properties (blocks and groups) the screenplay never syncs. */
const unsyncedElementProperties = new Set(['__format', '__style', '__indent', '__dir', '__textFormat', '__textStyle']);

/** Text properties the screenplay never syncs (its `__format` is synced). */
const unsyncedTextProperties = new Set(['__style', '__mode', '__detail']);

/**
 * For the binding (`CollaborationPlugin`'s `excludedProperties`, which only reads it): it
 * looks a node's class up exactly, so every block kind is listed, not their shared base
 * class, all with the one set.
 */
export const screenplayExcludedProperties: ExcludedProperties = new Map([
  ...screenplayNodes.map((klass) => [klass, unsyncedElementProperties] as const),
  [TextNode, unsyncedTextProperties],
]);
