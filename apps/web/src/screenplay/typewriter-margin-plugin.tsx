'use client';
// The line being written never sits at the window's bottom edge: when the writer's own
// typing or caret keys bring the caret within a margin (a third of the editor's visible
// height) of the visible bottom, the editor scrolls so the caret line sits that margin
// above it, as screenwriting apps keep a writer's line up the page (Final Draft's
// typewriter mode, WriterDuet's bottom padding). Space below the script's last line
// (`typewriterCss`) lets the last line come up too.
//
// Besides reading better, it keeps typing fast: in headless, software-composited
// Chromium a keystroke whose line sits within ~80 px of the window's bottom waits
// 1-1.6 s for its frame to be presented (a plain contenteditable does the same; README,
// "Typing at the window's bottom edge").
//
// Only the local writer's keyboard moves it (typing, Enter, arrows, undo): updates from
// others (Lexical's 'collaboration' tag) never scroll, a click never scrolls (the writer
// put the caret where they are looking), and the wheel, a touch or a click ends a typing
// spell, so a writer who scrolled away to read is not brought back by a later update.
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { COLLABORATION_TAG, type LexicalEditor } from 'lexical';
import { useEffect } from 'react';

/** A keydown keeps the caret clear of the bottom for the updates of this long after it (ms). */
const keyWindowMs = 400;

/** The margin kept under the caret line: a third of the editor's visible height. */
export const typewriterMarginShare = 1 / 3;

/** The nearest ancestor that scrolls vertically (the page's scroller when none does). */
function scrollerOf(element: HTMLElement): HTMLElement {
  for (let node = element.parentElement; node !== null; node = node.parentElement) {
    const { overflowY } = getComputedStyle(node);
    if ((overflowY === 'auto' || overflowY === 'scroll') && node.scrollHeight > node.clientHeight) return node;
  }
  return (document.scrollingElement as HTMLElement | null) ?? document.documentElement;
}

/** The collapsed caret's line box in the viewport, or null (no caret, or a selection). */
function caretRect(root: HTMLElement): DOMRect | null {
  const selection = getSelection();
  if (!selection || selection.rangeCount === 0 || !selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!root.contains(range.startContainer)) return null;
  const rect = range.getBoundingClientRect();
  if (rect.height > 0) return rect;
  // An empty line has no glyph to measure: its block does.
  const block = range.startContainer instanceof Element ? range.startContainer : range.startContainer.parentElement;
  return block?.getBoundingClientRect() ?? null;
}

/** Scrolls `root`'s scroller so the caret line sits at least the margin above its visible bottom. */
export function keepCaretClearOfBottom(root: HTMLElement): void {
  const caret = caretRect(root);
  if (caret === null) return;
  const scroller = scrollerOf(root);
  const isPage = scroller === document.scrollingElement || scroller === document.documentElement;
  const box = isPage ? { top: 0, bottom: innerHeight } : scroller.getBoundingClientRect();
  const top = Math.max(box.top, 0);
  const bottom = Math.min(box.bottom, visualViewport?.height ?? innerHeight);
  const margin = Math.round((bottom - top) * typewriterMarginShare);
  const over = caret.bottom - (bottom - margin);
  // Only down: a caret above the margin line is where the writer keeps it (and Lexical
  // already brings one above the top into view).
  if (over <= 0 || caret.top - over < top) return;
  scroller.scrollTop += Math.ceil(over);
}

export function registerTypewriterMargin(editor: LexicalEditor): () => void {
  let lastKeyAt = Number.NEGATIVE_INFINITY;
  const onKey = (event: KeyboardEvent) => {
    lastKeyAt = event.timeStamp;
  };
  // The writer's own scrolling or pointing ends the typing spell.
  const onOther = () => {
    lastKeyAt = Number.NEGATIVE_INFINITY;
  };
  const removeRootListener = editor.registerRootListener((root, previous) => {
    previous?.removeEventListener('keydown', onKey, true);
    root?.addEventListener('keydown', onKey, true);
  });
  const ends = ['pointerdown', 'wheel', 'touchstart'] as const;
  for (const type of ends) addEventListener(type, onOther, { capture: true, passive: true });
  const removeUpdateListener = editor.registerUpdateListener(({ tags }) => {
    if (tags.has(COLLABORATION_TAG)) return;
    if (performance.now() - lastKeyAt > keyWindowMs) return;
    const root = editor.getRootElement();
    if (root === null || document.activeElement !== root) return;
    keepCaretClearOfBottom(root);
  });
  return () => {
    removeUpdateListener();
    removeRootListener();
    for (const type of ends) removeEventListener(type, onOther, { capture: true });
  };
}

export function TypewriterMarginPlugin() {
  const [editor] = useLexicalComposerContext();
  useEffect(() => registerTypewriterMargin(editor), [editor]);
  return null;
}
