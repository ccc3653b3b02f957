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
// `preloadProjectDatabase` opens the project's database as soon as the page knows the
// project and the user (before the workspace's code is fetched) with no dependencies of its
// own, so it is cheap to import from the page's first chunk; `createProjectAdapter` hands
// that connection to LokiJS, which reads through it (`takePreloadedCopy`). Reading the rows
// ahead too was tried: in same-period benchmark pairs the workspace's code then arrived
// ~140 ms later (median of 12 reopens at load 8-20), the read competing with it.

/** LokiJS's incremental IndexedDB adapter keeps a database's rows in this object store. */
export const lokiStoreName = 'LokiIncrementalData';

/**
 * The local database name of a project, per user when one is given (`clapper:<userId>:<projectId>`,
 * a prefix the web app wipes on sign-out); one database per project keeps quotas per project.
 */
export function projectDatabaseName(projectId: string, userId?: string): string {
  return userId === undefined ? `clapper-${projectId}` : `clapper:${userId}:${projectId}`;
}

export interface PreloadedCopy {
  /** The open connection, for LokiJS to keep (it reads and writes through it). */
  db: IDBDatabase;
  /** False once the connection closed (a delete from elsewhere, e.g. a sign-out in another tab). */
  isOpen(): boolean;
}

const preloads = new Map<string, Promise<PreloadedCopy | null>>();

/**
 * Opens the project's local database now. Opening creates it as LokiJS would (version 1,
 * its one object store) when it does not exist yet: a first open. Resolves to null when
 * anything fails; LokiJS then opens it on its own as before.
 */
export function preloadProjectDatabase(projectId: string, userId: string): void {
  if (typeof indexedDB === 'undefined') return;
  const name = projectDatabaseName(projectId, userId);
  if (preloads.has(name)) return;
  const opening = new Promise<PreloadedCopy | null>((resolve) => {
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
      resolve({ db, isOpen: () => open });
    };
  });
  preloads.set(name, opening);
}

/** The open started for database `name`, once: later loads (after a reset) open on their own. */
export function takePreloadedCopy(name: string): Promise<PreloadedCopy | null> | undefined {
  const read = preloads.get(name);
  preloads.delete(name);
  return read;
}
