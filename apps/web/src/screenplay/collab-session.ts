// One collaborative doc as the Lexical CollaborationPlugin sees it: a fresh Y.Doc, the
// y-websocket connection from @clapper/collab, and a y-indexeddb copy for offline work.
//
// Ordering matters with Lexical's (v1) Yjs binding: it only reflects changes it observes,
// so nothing may land in the doc before the binding is attached. The plugin calls
// `connect()` only after it has bound the editor, so both the IndexedDB load and the
// websocket start there, never at construction.
import {
  type CollabProvider,
  createCollabProvider,
  markLocalCopy,
  mayHoldLocalCopy,
  skipUpdateEncoding,
} from '@clapper/collab/client';
import type { Provider, ProviderAwareness } from '@lexical/yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { localDocStoreNameFor, markDocUnsynced } from '../lib/local-data.ts';
import { getSession } from '../lib/session-store.ts';
import type * as Y from 'yjs';
import { caretSticksToOwnText } from './caret-sticks-to-own-text.ts';
import { isDocEmpty, seedEmptyDoc } from './empty-doc-seed.ts';
import { awarenessUpdatesOncePerFrame } from './once-per-frame.ts';

export type CollabStatus = 'offline' | 'connecting' | 'connected' | 'synced';

export interface CollabSessionOptions {
  serverUrl: string;
  docName: string;
  token: string;
  /** Lexical node type of the one empty block every client agrees an empty doc starts with. */
  seedBlockType: string;
  /** Name of the IndexedDB copy; by default the signed-in user's (local-data.ts), none when the token isn't theirs. */
  localStoreName?: string;
}

export interface CollabSession {
  readonly docName: string;
  readonly doc: Y.Doc;
  /** What CollaborationPlugin's providerFactory hands back. */
  readonly provider: Provider;
  readonly awareness: ProviderAwareness;
  status(): CollabStatus;
  /** True once the local IndexedDB copy (when there is one) has been loaded. */
  localLoaded(): boolean;
  subscribe(listener: () => void): () => void;
  destroy(): void;
}

type Listener = (...args: never[]) => void;

/** The longest the socket waits for the local copy to load before opening anyway. */
const localWaitMs = 3_000;

export function createCollabSession(options: CollabSessionOptions): CollabSession {
  const collab: CollabProvider = createCollabProvider({
    serverUrl: options.serverUrl,
    docName: options.docName,
    token: options.token,
    // The IndexedDB copy is started in connect(), after Lexical is bound (see above).
    offline: true,
    connect: false,
  });
  const { doc, websocket } = collab;
  let local: IndexeddbPersistence | null = null;
  // The local copy is the signed-in user's own (local-data.ts); with no matching session
  // the doc stays in memory (and there is nothing local to wait for).
  const localName = options.localStoreName ?? localDocStoreNameFor(options.token, options.docName);
  let localSynced = typeof indexedDB === 'undefined' || localName === undefined;
  let wantConnected = false;
  let destroyed = false;
  let wsStatus: 'connected' | 'connecting' | 'disconnected' = 'disconnected';
  // True once a connection attempt has ended without reaching the server.
  let wsFailed = false;
  const isOnline = () => typeof navigator === 'undefined' || navigator.onLine !== false;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };

  // Seed once the doc's real content had its chance to arrive: after the server's state
  // (websocket sync), or after the local copy when the server can't be reached. The seed
  // is the same struct on every client, so it can never be duplicated; waiting for the
  // server still matters on a new device, where typing into a seed the doc has since
  // replaced (its first block retyped) would be typing into a deleted block.
  const maybeSeed = () => {
    if (destroyed || !isDocEmpty(doc)) return;
    const serverSynced = websocket.synced;
    const serverUnreachable = !isOnline() || (wsFailed && !websocket.wsconnected);
    if (serverSynced || (localSynced && serverUnreachable)) seedEmptyDoc(doc, options.seedBlockType);
  };

  const onWsStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
    if (status === 'connected') wsFailed = false;
    wsStatus = status;
    maybeSeed();
    notify();
  };
  // y-websocket reports a refused or dropped attempt only through this event (its status
  // stays 'connecting' while it retries a server it never reached).
  const onWsClose = () => {
    wsFailed = true;
    maybeSeed();
    notify();
  };
  const onWsSync = (synced: boolean) => {
    if (synced) {
      maybeSeed();
      // The local copy now holds the server's state too: later opens wait for it (connect()).
      if (local !== null && localName !== undefined) markLocalCopy(localName);
    }
    notify();
  };
  websocket.on('status', onWsStatus);
  websocket.on('sync', onWsSync);
  websocket.on('connection-close', onWsClose);

  // Whose copy it is: their edits here are tracked as unsynced for the sign-out check.
  const owner = localName === undefined ? null : (getSession()?.user.id ?? null);
  // Edits made here are unsynced until a server round trip confirms them (sign-out asks).
  const onDocUpdate = (_update: Uint8Array, origin: unknown) => {
    if (owner !== null && origin !== websocket && origin !== local) markDocUnsynced(owner, options.docName);
  };
  doc.on('update', onDocUpdate);
  // Loading the local copy (the whole script, one transaction) is encoded as an update for
  // no one while neither the socket nor the other tabs are connected: every listener
  // ignores it (@clapper/collab's skip-update-encoding.ts), and they get it from the sync exchange.
  const stopSkipping = skipUpdateEncoding(
    doc,
    (transaction) => local !== null && transaction.origin === local && !websocket.wsconnected && !websocket.bcconnected,
  );
  let localLoadedNow: () => void = () => undefined;
  const whenLocal = new Promise<void>((resolve) => (localLoadedNow = resolve));
  // Connecting waits for the local copy (connect() below).
  let awaitingLocal = false;
  const startLocal = () => {
    if (local !== null || typeof indexedDB === 'undefined' || localName === undefined) return;
    local = new IndexeddbPersistence(localName, doc);
    void local.whenSynced.then(() => {
      if (localName !== undefined && !isDocEmpty(doc)) markLocalCopy(localName);
      localSynced = true;
      localLoadedNow();
      maybeSeed();
      notify();
    });
  };

  // Browsers keep an open WebSocket through a network drop for a long time (and a
  // DevTools/Playwright "offline" doesn't close it at all), so follow the browser's
  // online state: offline edits then go to IndexedDB only and merge on reconnect.
  const onOffline = () => {
    websocket.disconnect();
  };
  const onOnline = () => {
    if (wantConnected && !destroyed) websocket.connect();
  };
  if (typeof window !== 'undefined') {
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);
  }

  const provider: Provider = {
    // The binding keeps this editor's caret in awareness and restores it from there after
    // remote changes; stuck to the writer's own last character (see the file). Its
    // listeners (remote carets, the presence list) run once per frame (once-per-frame.ts).
    awareness: awarenessUpdatesOncePerFrame(
      caretSticksToOwnText(websocket.awareness as unknown as ProviderAwareness, doc),
    ),
    // Returns nothing on purpose: the plugin defers disconnect() behind a returned
    // promise, which under StrictMode's effect replay would disconnect after reconnecting.
    // The socket opens a microtask later, so StrictMode's connect/disconnect/connect
    // replay opens one socket rather than opening, dropping and reopening one.
    connect() {
      if (destroyed) return;
      wantConnected = true;
      startLocal();
      const open = () => {
        if (!wantConnected || destroyed) return;
        if (isOnline()) websocket.connect();
        else {
          maybeSeed();
          notify();
        }
      };
      // The socket (and the other tabs, over BroadcastChannel) opens once the local copy is
      // in: its first message tells the server what this doc holds, so the server answers
      // with what changed since, not the whole script again (at 120 pages a second full
      // apply, ~0.5 s, and the local copy sent back up). A local copy that never loads
      // holds the socket back no longer than localWaitMs.
      // A browser that never held a copy of this doc (a new device) has nothing to wait for.
      if (localSynced || localName === undefined || !mayHoldLocalCopy(localName)) queueMicrotask(open);
      else {
        awaitingLocal = true;
        const start = () => {
          if (!awaitingLocal) return;
          awaitingLocal = false;
          clearTimeout(fallback);
          open();
          notify();
        };
        const fallback = setTimeout(start, localWaitMs);
        void whenLocal.then(start);
      }
    },
    disconnect() {
      wantConnected = false;
      websocket.disconnect();
    },
    on(type: string, cb: Listener) {
      // 'reload' is a legacy Lexical event y-websocket never emits; 'update' isn't used by the plugin.
      if (type === 'sync' || type === 'status') websocket.on(type, cb as never);
    },
    off(type: string, cb: Listener) {
      if (type === 'sync' || type === 'status') websocket.off(type, cb as never);
    },
  } as Provider;

  return {
    docName: options.docName,
    doc,
    provider,
    awareness: provider.awareness,
    status() {
      if (awaitingLocal && isOnline()) return 'connecting';
      if (!isOnline() || wsStatus === 'disconnected' || (wsFailed && wsStatus !== 'connected')) return 'offline';
      if (wsStatus === 'connecting') return 'connecting';
      return websocket.synced ? 'synced' : 'connected';
    },
    localLoaded: () => localSynced,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      awaitingLocal = false;
      if (typeof window !== 'undefined') {
        window.removeEventListener('offline', onOffline);
        window.removeEventListener('online', onOnline);
      }
      websocket.off('status', onWsStatus);
      websocket.off('sync', onWsSync);
      websocket.off('connection-close', onWsClose);
      doc.off('update', onDocUpdate);
      stopSkipping();
      collab.destroy();
      // Destroying the persistence flushes nothing extra: y-indexeddb stores every update as it happens.
      void local?.destroy();
      doc.destroy();
      listeners.clear();
    },
  };
}
