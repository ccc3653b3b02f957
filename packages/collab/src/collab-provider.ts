import { requestSocketTicket } from '@clapper/schema';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { crossTabSyncByDiffs } from './cross-tab-sync.ts';
import { parseDocName } from './doc-name.ts';
import { skipUpdateEncoding } from './skip-update-encoding.ts';
import { ticketedWebSocket } from './ticketed-websocket.ts';

export interface CollabUser {
  name: string;
  /** CSS colour of this editor's cursor and selection for the others. */
  color: string;
}

export interface CollabProviderOptions {
  /** The Clapper server, `http(s)://` or `ws(s)://`; `/yjs` is appended. */
  serverUrl: string;
  /** From `scriptDocName` / `noteDocName`. */
  docName: string;
  /**
   * The session token. It never goes into the socket URL: before every (re)connect the
   * provider exchanges it for a single-use ticket (`auth.socketTicket`).
   */
  token: string;
  /** Overrides fetch for the ticket request (tests). */
  fetch?: typeof globalThis.fetch;
  doc?: Y.Doc;
  /** Node has no global WebSocket before v22: pass `ws`. */
  WebSocketPolyfill?: typeof WebSocket;
  user?: CollabUser;
  /** Cap on the reconnect backoff (default 5 s). */
  maxBackoffTime?: number;
  /** Skip y-indexeddb even where IndexedDB exists and `localStoreName` is given. */
  offline?: boolean;
  /**
   * Name of the y-indexeddb copy (the web app names it per user, so one person's copy is
   * never another's). Without one the doc lives in memory only.
   */
  localStoreName?: string;
  /** Sync tabs of one browser through BroadcastChannel (default true; tests in one process turn it off). */
  crossTab?: boolean;
  connect?: boolean;
}

export interface CollabProvider {
  readonly doc: Y.Doc;
  readonly websocket: WebsocketProvider;
  readonly awareness: WebsocketProvider['awareness'];
  /** Local IndexedDB copy, when IndexedDB exists. */
  readonly local: IndexeddbPersistence | null;
  /** Resolves once the server's state is merged in (and the local copy loaded). */
  whenSynced(): Promise<void>;
  destroy(): void;
}

function projectOf(docName: string): string | undefined {
  try {
    return parseDocName(docName).projectId;
  } catch {
    return undefined; // the server refuses the upgrade with a message naming the problem
  }
}

/** The Yjs endpoint of a Clapper server: `/yjs` on the same origin, over ws(s). */
export function collabServerUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/yjs`;
  url.search = '';
  return url.toString().replace(/\/$/, '');
}

/** The longest a socket waits for the local copy to load before opening anyway. */
const localWaitMs = 3_000;

const localCopyKey = (name: string) => `clapper:local-copy:${name}`;

/**
 * Whether this browser may hold a local copy of the doc stored as `name`: set once one
 * was filled (from the server, or found non-empty). A browser that never held one opens
 * its socket at once instead of waiting for an empty store to open. Unknown (no
 * localStorage): assume it may.
 */
export function mayHoldLocalCopy(name: string): boolean {
  try {
    return typeof localStorage === 'undefined' || localStorage.getItem(localCopyKey(name)) !== null;
  } catch {
    return true;
  }
}

/** Notes that this browser's local copy `name` holds the doc (see mayHoldLocalCopy). */
export function markLocalCopy(name: string): void {
  try {
    if (typeof localStorage !== 'undefined') localStorage.setItem(localCopyKey(name), '1');
  } catch {
    // storage full or refused: the next open waits for the local copy, as before
  }
}

/**
 * A y-websocket provider for one Clapper doc: a fresh ticket for every connection, reconnect with
 * bounded exponential backoff (built into WebsocketProvider), and a y-indexeddb copy so
 * offline edits survive a reload and merge on reconnect (C-side of Y8).
 */
export function createCollabProvider(options: CollabProviderOptions): CollabProvider {
  const doc = options.doc ?? new Y.Doc();
  const local =
    options.offline !== true && options.localStoreName !== undefined && typeof indexedDB !== 'undefined'
      ? new IndexeddbPersistence(options.localStoreName, doc)
      : null;
  // Bound to the doc's project, a ticket that leaks opens nothing else.
  const projectId = projectOf(options.docName);
  const getTicket = () =>
    requestSocketTicket({
      serverUrl: options.serverUrl,
      token: options.token,
      ...(projectId !== undefined ? { projectId } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  const Base = options.WebSocketPolyfill ?? globalThis.WebSocket;
  const connect = options.connect ?? true;
  const localName = options.localStoreName;
  const waitForLocal = local !== null && localName !== undefined && mayHoldLocalCopy(localName);
  const websocket = new WebsocketProvider(collabServerUrl(options.serverUrl), options.docName, doc, {
    maxBackoffTime: options.maxBackoffTime ?? 5_000,
    disableBc: options.crossTab === false,
    // Connected below, once cross-tab sync is set to exchange diffs only.
    connect: false,
    WebSocketPolyfill: ticketedWebSocket(Base, getTicket),
  });
  // Other tabs get diffs, not this tab's whole doc at each connect (cross-tab-sync.ts).
  crossTabSyncByDiffs(websocket);
  // Loading the local copy (the whole doc, one transaction) is encoded as an update for no
  // one while neither the socket nor the other tabs are connected: every listener ignores
  // it (skip-update-encoding.ts), and they get it from the sync exchange when they connect.
  const stopSkipping =
    local === null
      ? () => undefined
      : skipUpdateEncoding(
          doc,
          (transaction) => transaction.origin === local && !websocket.wsconnected && !websocket.bcconnected,
        );
  // With a local copy, the socket (and BroadcastChannel) opens once the copy is in: the
  // first sync message then tells the server what the doc holds, and it answers with
  // what changed since instead of the whole doc again.
  if (connect && !waitForLocal) websocket.connect();
  let destroyed = false;
  if (local !== null && localName !== undefined) {
    // Once the server's state is in, the local copy holds it too (y-indexeddb stores every update).
    websocket.on('sync', (synced: boolean) => {
      if (synced) markLocalCopy(localName);
    });
    void local.whenSynced.then(() => {
      if (Y.encodeStateVector(doc).byteLength > 1) markLocalCopy(localName);
    });
  }
  if (connect && waitForLocal && local !== null) {
    let waiting = true;
    const start = () => {
      if (!waiting) return;
      waiting = false;
      clearTimeout(fallback);
      if (!destroyed) websocket.connect();
    };
    // A copy that never loads holds the socket back no longer than this.
    const fallback = setTimeout(start, localWaitMs);
    void local.whenSynced.then(start, start);
  }
  if (options.user) websocket.awareness.setLocalStateField('user', options.user);
  return {
    doc,
    websocket,
    awareness: websocket.awareness,
    local,
    async whenSynced() {
      if (local) await local.whenSynced;
      if (websocket.synced) return;
      await new Promise<void>((resolve) => {
        const onSync = (synced: boolean) => {
          if (!synced) return;
          websocket.off('sync', onSync);
          resolve();
        };
        websocket.on('sync', onSync);
      });
    },
    destroy() {
      destroyed = true;
      stopSkipping();
      websocket.destroy();
      void local?.destroy();
    },
  };
}
