'use client';
// A co-writer's name tag sits in the page's left margin, level with their caret, so it
// never hides the script's text (Lexical draws it above the caret, over the line before).
// Lexical positions each remote caret (`.sp-remote-caret`, its name `.sp-remote-name`
// inside) in the editor body; this moves the name, whenever a caret moves, from the caret
// to the margin left of the text column, clipped to the margin's width.
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { useEffect } from 'react';

/** The theme classes Lexical's cursor layer uses for carets and their names. */
export const remoteCaretTheme = { cursor: 'sp-remote-caret', cursorName: 'sp-remote-name' } as const;

const gap = 6;

function placeLabels(body: HTMLElement, text: HTMLElement): void {
  const carets = body.querySelectorAll<HTMLElement>(`.${remoteCaretTheme.cursor}`);
  // Reading a position lays the page out first: with no caret to place (the script just
  // opened, nobody else here) there is nothing to read it for.
  if (carets.length === 0) return;
  const bodyLeft = body.getBoundingClientRect().left;
  const textLeft = text.getBoundingClientRect().left;
  for (const caret of carets) {
    const name = caret.querySelector<HTMLElement>(`.${remoteCaretTheme.cursorName}`);
    if (!name) continue;
    // Right-aligned in the margin (the name is positioned in its caret's box): its right
    // edge `gap` px before the text column.
    const right = `${caret.getBoundingClientRect().right - textLeft + gap}px`;
    const maxWidth = `${Math.max(0, textLeft - bodyLeft - 2 * gap)}px`;
    if (name.style.right !== right) name.style.right = right;
    if (name.style.maxWidth !== maxWidth) name.style.maxWidth = maxWidth;
  }
}

export function RemoteCaretLabelsPlugin() {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    const observers: MutationObserver[] = [];
    const detach = () => {
      for (const observer of observers.splice(0)) observer.disconnect();
    };
    const attach = (root: HTMLElement | null) => {
      detach();
      const body = root?.parentElement;
      if (!root || !body) return;
      const place = () => placeLabels(body, root);
      // Lexical adds, removes and restyles carets in its cursor layer (the body's children
      // other than the text) on each cursor sync. Only that layer is watched, never the
      // text, and the names' own style changes are filtered out so placing them never
      // re-triggers this.
      const layers = new MutationObserver((records) => {
        if (
          records.some(
            (r) => r.type === 'childList' || (r.target as HTMLElement).classList?.contains(remoteCaretTheme.cursor),
          )
        )
          place();
      });
      const watchLayers = () => {
        layers.disconnect();
        for (const child of body.children) {
          if (child !== root)
            layers.observe(child, { subtree: true, childList: true, attributes: true, attributeFilter: ['style'] });
        }
        place();
      };
      const children = new MutationObserver(watchLayers);
      children.observe(body, { childList: true });
      observers.push(layers, children);
      watchLayers();
    };
    const unregister = editor.registerRootListener((root) => attach(root));
    return () => {
      unregister();
      detach();
    };
  }, [editor]);
  return null;
}
