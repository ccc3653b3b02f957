// Lexical's Yjs binding (v1, @lexical/yjs 0.52) writes a local update to the doc by
// diffing the dirty root's children against the previous state, and for every child whose
// key is unchanged it calls `_syncChildFromLexical`, which reads the child's properties
// and node state from its Y type and recurses into its children. That is all 5,000 blocks
// of a feature script on each keystroke (about half of the typist's JavaScript at 120
// pages), though only the block being typed in changed.
//
// A child that is the same node instance in the previous and the next state and is not
// marked dirty has not changed, nor has anything under it (Lexical marks every ancestor of
// a changed node dirty), so its diff writes nothing: this skips it. The one update whose
// dirty marks do not cover its changes is `editor.setEditorState` (Lexical marks only the
// root and reconciles everything): an update marking only the root is diffed in full, as
// before.
import { $getNodeByKey, type LexicalEditor, type LexicalNode, type NodeKey, createEditor } from 'lexical';
import { createYjsBinding } from '@lexical/yjs';
import { Doc } from 'yjs';

type SyncChild = (
  this: unknown,
  binding: unknown,
  index: number,
  key: NodeKey,
  prevNodeMap: Map<NodeKey, LexicalNode> | null,
  dirtyElements: Map<NodeKey, boolean> | null,
  dirtyLeaves: Set<NodeKey> | null,
) => void;

const patched = Symbol.for('clapper.yjsSyncSkipsCleanBlocks');

/** True when the dirty marks are those `setEditorState` leaves: the root alone. */
const isFullReconcile = (dirtyElements: Map<NodeKey, boolean>, dirtyLeaves: Set<NodeKey>) =>
  dirtyLeaves.size === 0 && dirtyElements.size === 1 && dirtyElements.has('root');

/** Installs the skip on the binding's element-node class (once per page; safe to call again). */
export function installYjsSyncSkipsCleanBlocks(): void {
  // The class is not exported: it is the prototype of a binding's root.
  const editor: LexicalEditor = createEditor({ namespace: 'probe', onError: () => undefined });
  const doc = new Doc();
  const proto = Object.getPrototypeOf(createYjsBinding({ editor, id: 'probe', doc, docMap: new Map() }).root) as {
    _syncChildFromLexical?: SyncChild;
    [patched]?: true;
  };
  doc.destroy();
  if (proto[patched]) return;
  // A private method (@lexical/yjs is pinned; its test fails on an upgrade that drops it,
  // and the editor then only loses the speed-up).
  // eslint-disable-next-line no-restricted-syntax -- no public hook for the binding's children diff
  const original = proto._syncChildFromLexical;
  if (typeof original !== 'function') return;
  // eslint-disable-next-line no-restricted-syntax -- see above
  proto._syncChildFromLexical = function (binding, index, key, prevNodeMap, dirtyElements, dirtyLeaves) {
    if (
      prevNodeMap !== null &&
      dirtyElements !== null &&
      dirtyLeaves !== null &&
      !dirtyElements.has(key) &&
      !dirtyLeaves.has(key) &&
      !isFullReconcile(dirtyElements, dirtyLeaves) &&
      prevNodeMap.get(key) === $getNodeByKey(key)
    ) {
      return;
    }
    original.call(this, binding, index, key, prevNodeMap, dirtyElements, dirtyLeaves);
  };
  proto[patched] = true;
}
