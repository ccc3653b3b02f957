// A caret key the browser handles itself (End, Home, arrows, Page Up/Down) moves the
// page's selection at once, but Lexical learns of it only from the next `selectionchange`
// event, which Chromium dispatches later, as a task of its own. Until then Lexical's
// selection is the one from before the key, and two things act on it:
//
// - the next key, if it comes first: Lexical handles Delete, Backspace, Enter and typing
//   at keydown with its own selection (it reads the page's selection only for
//   selectionchange, beforeinput and a few others), so End then Delete deleted the
//   character after where the caret had been before End;
// - a co-writer's change, if it arrives first: the binding applies it in an update that
//   keeps Lexical's selection (restored from the writer's awareness, which is as old),
//   and writes that selection back to the page, undoing the caret's move.
//
// Both now catch Lexical up with the page's selection first: at every keydown in the
// editor, and before every change from elsewhere is applied to the doc, when the two differ.
import {
  $createRangeSelectionFromDom,
  $getSelection,
  $isRangeSelection,
  $setSelection,
  type LexicalEditor,
} from 'lexical';
import type { Doc, Transaction } from 'yjs';

/** The DOM node Lexical maps a selection point to: a text node's text, or an element. */
function samePoint(
  editor: LexicalEditor,
  point: { key: string; offset: number; type: string },
  node: Node | null,
  offset: number,
) {
  const element = editor.getElementByKey(point.key);
  if (element === null || node === null) return false;
  if (point.type === 'text') {
    // A text node's DOM is its span (or the text itself); the page's point is in its text.
    const text = element.nodeType === Node.TEXT_NODE ? element : element.firstChild;
    return node === text && offset === point.offset;
  }
  return node === element && offset === point.offset;
}

/** True when the page's selection is in the editor and is not where Lexical's selection says. */
function pageSelectionMoved(editor: LexicalEditor): boolean {
  const root = editor.getRootElement();
  const dom = root?.ownerDocument.getSelection();
  if (!root || !dom || dom.rangeCount === 0 || !root.contains(dom.anchorNode) || !root.contains(dom.focusNode)) {
    return false;
  }
  const selection = editor.getEditorState().read(() => $getSelection());
  if (!$isRangeSelection(selection)) return true;
  return !(
    samePoint(editor, selection.anchor, dom.anchorNode, dom.anchorOffset) &&
    samePoint(editor, selection.focus, dom.focusNode, dom.focusOffset)
  );
}

/** Takes the page's selection into Lexical now (one discrete update), if it moved. */
export function catchUpWithPageSelection(editor: LexicalEditor): void {
  if (editor.isComposing() || !pageSelectionMoved(editor)) return;
  editor.update(
    () => {
      const next = $createRangeSelectionFromDom(editor.getRootElement()?.ownerDocument.getSelection() ?? null, editor);
      if (next !== null && !next.is($getSelection())) $setSelection(next);
    },
    { discrete: true },
  );
}

/** Keeps Lexical's selection up with the page's before each key and each change from elsewhere. */
export function registerSelectionFollowsDom(editor: LexicalEditor, doc: Doc): () => void {
  const onKeyDown = () => {
    const root = editor.getRootElement();
    if (root !== null && root.ownerDocument.activeElement === root) catchUpWithPageSelection(editor);
  };
  // Capture on the window: before Lexical's own keydown handler on the editor's root.
  addEventListener('keydown', onKeyDown, true);
  const beforeTransaction = (transaction: Transaction) => {
    // Changes from elsewhere (the server, another tab, the local copy) are not local.
    if (transaction.local) return;
    const root = editor.getRootElement();
    if (root !== null && root.ownerDocument.activeElement === root) catchUpWithPageSelection(editor);
  };
  doc.on('beforeTransaction', beforeTransaction);
  return () => {
    removeEventListener('keydown', onKeyDown, true);
    doc.off('beforeTransaction', beforeTransaction);
  };
}
