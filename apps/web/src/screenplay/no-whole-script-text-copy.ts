// Lexical keeps each element's text (its children's, joined) on its DOM element, and
// after an update it patches the changed element's ancestors' copies. For the root of a
// script held in page-sized groups it takes the root's cached text, cuts the changed
// group's old text off its end and appends the new (its "suffix" fast path): the cached
// text is a joined (cons) string, so cutting it makes V8 copy the whole script's text,
// ~200 KB at 120 pages, on every keystroke in the typist's window and on every remote
// keystroke in everyone else's. Too big for the young generation, each copy went to the
// old one, and a major GC followed every ~100 keystrokes: the receiving window's frames
// over 50 ms (README, the editor benchmark).
//
// Without a cached text on the root Lexical takes its structural walk instead, joining
// the children's cached texts (about a hundred groups: a few microseconds, nothing
// copied), so the root's copy is dropped after each update. Flat scripts (thousands of
// blocks in the root) keep the fast path, whose walk would cost more there.
import type { LexicalEditor } from 'lexical';

/** Roots with more children than this (older, flat scripts) keep Lexical's cached text. */
const maxRootChildren = 1_000;

/** Lexical's per-element text cache on the DOM (a documented-nowhere expando of the reconciler). */
type WithTextCache = HTMLElement & { __lexicalTextContent?: string };

export function registerNoWholeScriptTextCopy(editor: LexicalEditor): () => void {
  return editor.registerUpdateListener(() => {
    const root = editor.getRootElement() as WithTextCache | null;
    if (root === null || root.__lexicalTextContent === undefined) return;
    if (root.childElementCount > maxRootChildren) return;
    // Assigned, not deleted: the element keeps its shape.
    root.__lexicalTextContent = undefined;
  });
}
