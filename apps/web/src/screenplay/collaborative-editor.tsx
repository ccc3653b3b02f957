'use client';
// The shell both the screenplay and the notes editors are built on: a Lexical editor
// bound to one Yjs doc through CollaborationPlugin, with offline copy, presence and a
// connection badge. What differs (nodes, toolbar, keys, look) comes in as props.
import { CollaborationPlugin } from '@lexical/react/LexicalCollaborationPlugin';
import { LexicalCollaboration } from '@lexical/react/LexicalCollaborationContext';
import { LexicalComposer, type InitialConfigType } from '@lexical/react/LexicalComposer';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { ContentEditable } from '@lexical/react/LexicalContentEditable';
import { LexicalErrorBoundary } from '@lexical/react/LexicalErrorBoundary';
import { RichTextPlugin } from '@lexical/react/LexicalRichTextPlugin';
import { type ExcludedProperties, type Provider, syncCursorPositions } from '@lexical/yjs';
import { $getRoot } from 'lexical';
import { type ReactNode, createContext, useEffect, useRef, useState } from 'react';
import type { CollabSession } from './collab-session.ts';
import { type OncePerFrameAwareness, oncePerFrame } from './once-per-frame.ts';
import { registerSelectionFollowsDom } from './selection-follows-dom.ts';
import { useCollabSession, useCollabStatus, usePresence } from './use-collab-session.ts';
import { installYjsSyncSkipsCleanBlocks } from './yjs-sync-skips-clean-blocks.ts';

// A keystroke writes the block it changed to the Yjs doc, not every block (see the file).
installYjsSyncSkipsCleanBlocks();

/**
 * After a remote change, remote carets are re-placed at the next frame, by the awareness
 * listeners (the plugin's places them), once with a caret message in the same frame (once-per-frame.ts).
 */
const syncCursorsOncePerFrame = (binding: Parameters<typeof syncCursorPositions>[0], provider: Provider) => {
  const awareness = provider.awareness as Partial<OncePerFrameAwareness>;
  if (!awareness.listenersOncePerFrame?.()) oncePerFrame(syncCursorPositions, binding, provider);
};

export interface CollabUserProps {
  name: string;
  color: string;
}

export interface CollaborativeEditorProps {
  serverUrl: string;
  token: string;
  docName: string;
  user: CollabUserProps;
  readOnly: boolean;
  namespace: string;
  nodes: InitialConfigType['nodes'];
  theme?: InitialConfigType['theme'];
  /** Node properties left out of the doc (per node class); every property is synced without. */
  excludedProperties?: ExcludedProperties;
  /** Node type of the single empty block an empty doc starts with (same on every client). */
  seedBlockType: string;
  /** `data-testid` and class prefix of the outer element. */
  testId: string;
  className?: string;
  ariaLabel: string;
  placeholder: string;
  /** Rendered in the header, inside the Lexical composer (may use its context). */
  toolbar?: ReactNode;
  /** Extra Lexical plugins. */
  children?: ReactNode;
}

/** The editor's collab session (its doc and connection), for plugins that watch the doc itself. */
export const CollabSessionContext = createContext<CollabSession | null>(null);

/** Remounts everything (editor, binding, session) when the doc, token or server changes. */
export function CollaborativeEditor(props: CollaborativeEditorProps) {
  return <BoundEditor key={`${props.serverUrl}|${props.docName}|${props.token}`} {...props} />;
}

function BoundEditor(props: CollaborativeEditorProps) {
  const { providerFactory, session } = useCollabSession({
    serverUrl: props.serverUrl,
    token: props.token,
    seedBlockType: props.seedBlockType,
  });
  const cursorsContainerRef = useRef<HTMLDivElement | null>(null);
  const [initialConfig] = useState<InitialConfigType>(() => ({
    namespace: props.namespace,
    nodes: props.nodes,
    theme: props.theme ?? {},
    // Content comes from the Yjs doc only; until it is there the editor stays read-only
    // (EditableWhenReady), so nothing typed can race the doc's first block.
    editorState: null,
    editable: false,
    onError(error: Error) {
      // Surfacing beats silently diverging from the doc.
      console.error(`[${props.namespace}]`, error);
    },
  }));
  const status = useCollabStatus(session);

  return (
    <LexicalCollaboration>
      <LexicalComposer initialConfig={initialConfig}>
        <section
          className={`collab-editor ${props.className ?? ''}`}
          data-testid={props.testId}
          data-doc-name={props.docName}
          data-status={status}
          data-readonly={props.readOnly ? 'true' : 'false'}
        >
          <header className="collab-editor-header">
            {props.toolbar}
            <div className="collab-editor-meta">
              <PresenceList session={session} />
              <span
                className={`collab-status collab-status-${status}`}
                data-testid={`${props.testId}-status`}
                title="Connection"
              >
                {statusLabel(status, props.readOnly)}
              </span>
            </div>
          </header>
          <div className="collab-editor-body" ref={cursorsContainerRef}>
            <RichTextPlugin
              contentEditable={
                <ContentEditable
                  className="collab-editor-input"
                  aria-label={props.ariaLabel}
                  aria-placeholder={props.placeholder}
                  placeholder={<div className="collab-editor-placeholder">{props.placeholder}</div>}
                />
              }
              ErrorBoundary={LexicalErrorBoundary}
            />
          </div>
          <CollaborationPlugin
            id={props.docName}
            providerFactory={providerFactory}
            // Never Lexical's bootstrap: it inserts a block per client. The session seeds
            // an empty doc with one deterministic block instead (empty-doc-seed.ts).
            shouldBootstrap={false}
            initialEditorState={null}
            username={props.user.name}
            cursorColor={props.user.color}
            cursorsContainerRef={cursorsContainerRef}
            syncCursorPositionsFn={syncCursorsOncePerFrame}
            excludedProperties={props.excludedProperties}
          />
          <EditableWhenReady readOnly={props.readOnly} />
          <SelectionFollowsDom session={session} />
          <CollabSessionContext value={session}>{props.children}</CollabSessionContext>
        </section>
      </LexicalComposer>
    </LexicalCollaboration>
  );
}

function statusLabel(status: ReturnType<typeof useCollabStatus>, readOnly: boolean): string {
  const base = {
    offline: 'Offline — changes saved on this device',
    connecting: 'Connecting…',
    connected: 'Syncing…',
    synced: 'Saved',
  }[status];
  return readOnly ? `${status === 'synced' ? 'Live' : base} · view only` : base;
}

/** Editable once the doc has its first block (and never for viewers). */
function EditableWhenReady({ readOnly }: { readOnly: boolean }) {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    const apply = () => {
      const ready = editor.getEditorState().read(() => $getRoot().getChildrenSize() > 0);
      editor.setEditable(!readOnly && ready);
      const root = editor.getRootElement();
      if (root) root.dataset.ready = ready ? 'true' : 'false';
    };
    apply();
    return editor.registerUpdateListener(apply);
  }, [editor, readOnly]);
  return null;
}

/** Lexical's selection catches up with the page's before keys and remote changes act on it (see the file). */
function SelectionFollowsDom({ session }: { session: CollabSession | null }) {
  const [editor] = useLexicalComposerContext();
  useEffect(() => (session ? registerSelectionFollowsDom(editor, session.doc) : undefined), [editor, session]);
  return null;
}

function PresenceList({ session }: { session: CollabSession | null }) {
  const users = usePresence(session);
  return (
    <ul className="collab-presence" data-testid="presence" aria-label="Who is here">
      {users.map((user) => (
        <li
          key={user.clientIds[0]}
          data-self={user.self ? 'true' : 'false'}
          title={user.focusing ? `${user.name} is editing` : user.name}
          style={{ borderColor: user.color }}
        >
          <span className="collab-presence-dot" style={{ background: user.color }} aria-hidden="true" />
          <span className="collab-presence-name">
            {user.name}
            {user.self ? ' (you)' : ''}
            {user.clientIds.length > 1 ? ` ×${user.clientIds.length}` : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Styles shared by both editors (plain CSS in a style tag: no CSS pipeline needed). */
export const collaborativeEditorCss = `
.collab-editor { display: flex; flex-direction: column; gap: 8px; flex: 1; min-width: 0; min-height: 0; overflow: auto; }
.collab-editor-header {
  display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 8px; padding: 6px 12px;
  position: sticky; top: 0; z-index: 20; background: var(--bg, #fff);
}
.collab-editor-meta { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 10px; min-width: 0; font: 12px system-ui, sans-serif; }
.collab-presence { display: flex; flex-wrap: wrap; gap: 4px 6px; min-width: 0; list-style: none; margin: 0; padding: 0; }
.collab-presence li { display: inline-flex; align-items: center; gap: 4px; padding: 1px 8px; border: 1px solid; border-radius: 999px; max-width: 16em; min-width: 0; }
.collab-presence-name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; }
.collab-presence-dot { width: 8px; height: 8px; border-radius: 50%; display: inline-block; flex: none; }
.collab-status { color: #666; }
.collab-status-offline { color: #b45309; }
.collab-editor-body { position: relative; }
/* Remote carets and name tags (Lexical's cursor layer) must never catch a click meant for the text. */
.collab-editor-body > div:not([contenteditable]) { pointer-events: none; }
.collab-editor-input { outline: none; }
.collab-editor-input[data-ready="false"] { opacity: .5; }
.collab-editor-placeholder { position: absolute; top: 0; left: 0; color: #999; pointer-events: none; user-select: none; }
`;
