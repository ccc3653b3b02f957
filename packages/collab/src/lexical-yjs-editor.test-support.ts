// A headless Lexical editor bound to a Y.Doc exactly the way @lexical/react's
// CollaborationPlugin binds one (useYjsCollaboration): createBinding, Lexical updates ->
// syncLexicalUpdateToYjs, Yjs changes from others -> syncYjsChangesToLexical.
import { createHeadlessEditor } from '@lexical/headless';
import { type Provider, createBinding, syncLexicalUpdateToYjs, syncYjsChangesToLexical } from '@lexical/yjs';
import { type LexicalEditor, LineBreakNode, ParagraphNode, TextNode } from 'lexical';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { screenplayNodes } from './screenplay-nodes.test-support.ts';

export interface BoundEditor {
  editor: LexicalEditor;
  doc: Y.Doc;
  dispose(): void;
}

/** A provider stand-in for a doc with no network (binding needs only its awareness). */
export function offlineProvider(doc: Y.Doc): Provider {
  const awareness = new Awareness(doc);
  return {
    awareness: awareness as unknown as Provider['awareness'],
    connect() {},
    disconnect() {},
    on() {},
    off() {},
  } as Provider;
}

export function bindHeadlessEditor(doc: Y.Doc, provider: Provider = offlineProvider(doc)): BoundEditor {
  const editor = createHeadlessEditor({
    namespace: 'screenplay',
    nodes: [ParagraphNode, TextNode, LineBreakNode, ...screenplayNodes],
    onError(error) {
      throw error;
    },
  });
  const docMap = new Map<string, Y.Doc>([['main', doc]]);
  const binding = createBinding(editor, provider, 'main', doc, docMap);
  const sharedRoot = binding.root.getSharedType();
  const onYjsTreeChanges = (events: Y.YEvent<Y.AbstractType<unknown>>[], transaction: Y.Transaction) => {
    if (transaction.origin !== binding) {
      syncYjsChangesToLexical(
        binding,
        provider,
        events as Y.YEvent<Y.Text>[],
        transaction.origin instanceof Y.UndoManager,
      );
    }
  };
  sharedRoot.observeDeep(onYjsTreeChanges);
  const removeListener = editor.registerUpdateListener(
    ({ prevEditorState, editorState, dirtyLeaves, dirtyElements, normalizedNodes, tags }) => {
      if (!tags.has('skip-collab')) {
        syncLexicalUpdateToYjs(
          binding,
          provider,
          prevEditorState,
          editorState,
          dirtyElements,
          dirtyLeaves,
          normalizedNodes,
          tags,
        );
      }
    },
  );
  return {
    editor,
    doc,
    dispose() {
      removeListener();
      sharedRoot.unobserveDeep(onYjsTreeChanges);
    },
  };
}
