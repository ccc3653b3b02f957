// Screenplay editors bound to Yjs docs through the real @lexical/yjs binding, as
// CollaborationPlugin binds the app's (its nodes, the properties it leaves out of the
// doc), for tests of what the editor writes, reads and exchanges.
import {
  type Binding,
  type Provider,
  createYjsBinding,
  syncLexicalUpdateToYjs,
  syncYjsChangesToLexical,
} from '@lexical/yjs';
import { type LexicalEditor, createEditor } from 'lexical';
import * as Y from 'yjs';
import { screenplayNodes } from './screenplay-nodes.ts';
import { screenplayExcludedProperties } from './screenplay-synced-properties.ts';

// No awareness state: the binding then skips publishing the selection.
const provider = { awareness: { getLocalState: () => null } } as unknown as Provider;

export interface BoundEditor {
  editor: LexicalEditor;
  doc: Y.Doc;
  binding: Binding;
}

/** `syncsEveryProperty`: bind as the apps from before 2026-12-03 did, every node property in the doc. */
export function boundEditor(name: string, options: { syncsEveryProperty?: boolean } = {}): BoundEditor {
  const doc = new Y.Doc();
  const editor = createEditor({
    namespace: name,
    nodes: screenplayNodes,
    onError: (error) => {
      throw error;
    },
  });
  const excludedProperties = options.syncsEveryProperty ? undefined : screenplayExcludedProperties;
  const binding = createYjsBinding({ editor, id: name, doc, docMap: new Map([[name, doc]]), excludedProperties });
  binding.root.getSharedType().observeDeep((events, transaction) => {
    if (transaction.origin !== binding) syncYjsChangesToLexical(binding, provider, events, false, () => undefined);
  });
  editor.registerUpdateListener(({ prevEditorState, editorState, dirtyElements, dirtyLeaves, normalizedNodes, tags }) =>
    syncLexicalUpdateToYjs(
      binding,
      provider,
      prevEditorState,
      editorState,
      dirtyElements,
      dirtyLeaves,
      normalizedNodes,
      tags,
    ),
  );
  return { editor, doc, binding };
}

/** Two windows whose docs pass each other every update. */
export function boundPair(a: BoundEditor, b: BoundEditor): { a: BoundEditor; b: BoundEditor } {
  a.doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'remote') Y.applyUpdate(b.doc, update, 'remote');
  });
  b.doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'remote') Y.applyUpdate(a.doc, update, 'remote');
  });
  return { a, b };
}

/** Runs `fn` as one update; the other window applies it in an update Lexical commits in a microtask. */
export async function updated(editor: LexicalEditor, fn: () => void): Promise<void> {
  editor.update(fn, { discrete: true });
  await new Promise((resolve) => setTimeout(resolve, 0));
}
