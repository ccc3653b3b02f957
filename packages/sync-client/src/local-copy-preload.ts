// Reading a project's local copy out of IndexedDB before WatermelonDB is loaded.
//
// In a browser a project's WatermelonDB database is LokiJS's incremental IndexedDB adapter:
// one IndexedDB database (`projectDatabaseName`) whose object store `LokiIncrementalData`
// holds the whole copy as rows `{key, value}` (`loki`, `<table>.metadata`,
// `<table>.chunk.<n>`, the values JSON text). WatermelonDB reads it only once its own code
// has loaded and run, and then through a wait of its own: it first opens and closes a
// `WatermelonIDBChecker` database to see whether IndexedDB works at all, then opens the
// project's, then reads the keys, then the rows. Each is a round trip to the browser
// process with the main thread idle; the first IndexedDB open of a page is the slow one.
//
// `preloadProjectDatabase` starts that read as soon as the page knows the project and the
// user (before the workspace's code is fetched) with no dependencies of its own, so it is
// cheap to import from the page's first chunk; `createProjectAdapter` hands what it read to
// LokiJS in place of LokiJS's own read (`takePreloadedCopy`).

/** LokiJS's incremental IndexedDB adapter keeps a database's rows in this object store. */
export const lokiStoreName = 'LokiIncrementalData';

/**
 * The local database name of a project, per user when one is given (`clapper:<userId>:<projectId>`,
 * a prefix the web app wipes on sign-out); one database per project keeps quotas per project.
 */
export function projectDatabaseName(projectId: string, userId?: string): string {
  return userId === undefined ? `clapper-${projectId}` : `clapper:${userId}:${projectId}`;
}

/** A row of LokiJS's object store as IndexedDB returns it. */
export interface LokiRow {
  key: string;
  value: string;
}

export interface PreloadedCopy {
  /** The open connection, for LokiJS to keep (it writes through it). */
  db: IDBDatabase;
  /** Every row of the store, as read when the page started. */
  rows: LokiRow[];
  /** False once the connection closed (a delete from elsewhere, e.g. a sign-out in another tab). */
  isOpen(): boolean;
}

const preloads = new Map<string, Promise<PreloadedCopy | null>>();

/**
 * Opens the project's local database and reads all of it, now. Opening creates it as LokiJS
 * would (version 1, its one object store) when it does not exist yet: a first open.
 * Resolves to null when anything fails; LokiJS then reads on its own as before.
 */
export function preloadProjectDatabase(projectId: string, userId: string): void {
  if (typeof indexedDB === 'undefined') return;
  const name = projectDatabaseName(projectId, userId);
  if (preloads.has(name)) return;
  const read = new Promise<PreloadedCopy | null>((resolve) => {
    let request: IDBOpenDBRequest;
    try {
      request = indexedDB.open(name, 1);
    } catch {
      return resolve(null);
    }
    request.onupgradeneeded = (event) => {
      if (event.oldVersion < 1) request.result.createObjectStore(lokiStoreName, { keyPath: 'key' });
    };
    request.onerror = () => resolve(null);
    request.onsuccess = () => {
      const db = request.result;
      let open = true;
      // Until LokiJS takes the connection over: let a delete (sign-out) through.
      db.onversionchange = () => {
        open = false;
        db.close();
      };
      if (!db.objectStoreNames.contains(lokiStoreName)) {
        db.close();
        return resolve(null);
      }
      const rows = db.transaction([lokiStoreName], 'readonly').objectStore(lokiStoreName).getAll();
      rows.onsuccess = () => resolve({ db, rows: rows.result as LokiRow[], isOpen: () => open });
      rows.onerror = () => {
        db.close();
        resolve(null);
      };
    };
  });
  preloads.set(name, read);
}

/** The read started for database `name`, once: later loads (after a reset) read on their own. */
export function takePreloadedCopy(name: string): Promise<PreloadedCopy | null> | undefined {
  const read = preloads.get(name);
  preloads.delete(name);
  return read;
}
