import { Database } from '@nozbe/watermelondb';
import type { DatabaseAdapter } from '@nozbe/watermelondb/adapters/type';
import LokiJSAdapterModule from '@nozbe/watermelondb/adapters/lokijs';
import IncrementalIDBAdapter from 'lokijs/src/incremental-indexeddb-adapter';
import './lokijs-types.ts';
import { modelClasses, watermelonMigrations, watermelonSchema } from '@clapper/schema';
import { projectDatabaseName, takePreloadedCopy } from './local-copy-preload.ts';

export { projectDatabaseName };

export interface ProjectDatabaseOptions {
  projectId: string;
  /**
   * The signed-in user whose copy this is. Local data is kept per user and project, so a
   * second person signing in on the same browser never opens (or pushes) the first one's.
   */
  userId?: string;
  /** Defaults to LokiJS: IndexedDB in a browser, memory in Node. */
  adapter?: DatabaseAdapter;
}

function hasIndexedDB(): boolean {
  return typeof globalThis.indexedDB !== 'undefined' && typeof globalThis.window !== 'undefined';
}

// WatermelonDB ships CommonJS with `__esModule`; Node's ESM loader (tsx) hands us the
// module object, bundlers and Vitest hand us its default export.
const LokiJSAdapter: typeof LokiJSAdapterModule =
  (LokiJSAdapterModule as unknown as { default?: typeof LokiJSAdapterModule }).default ?? LokiJSAdapterModule;

/**
 * LokiJS's incremental IndexedDB adapter, given the IndexedDB connection that
 * `preloadProjectDatabase` opened when the page started (when it did), instead of opening
 * the database itself once WatermelonDB asks.
 */
class PreloadedIDBAdapter extends IncrementalIDBAdapter {
  override _getAllChunks(dbname: string, callback: (chunks: unknown) => void): void {
    // LokiJS's own read, as its loadDatabase would run it. A private method of a pinned
    // version (watermelondb 0.28.0's lokijs 1.5.12-wmelon6): e2e/board-open.spec.ts opens a
    // board through both paths, so a change of it fails there.
    // eslint-disable-next-line no-restricted-syntax -- see above
    const read = () => super._getAllChunks(dbname, callback);
    const preloaded = takePreloadedCopy(dbname);
    if (!preloaded) return read();
    void preloaded.then((copy) => {
      if (copy?.isOpen() && !this.idb) {
        const { db } = copy;
        this.idb = db;
        // As LokiJS's own open does: a delete from elsewhere (a sign-out) closes it.
        db.onversionchange = () => {
          if (this.idb !== db) return;
          db.close();
          this.idb = null;
        };
      }
      read();
    });
  }
}

export function createProjectAdapter(projectId: string, userId?: string): DatabaseAdapter {
  const common = {
    schema: watermelonSchema,
    migrations: watermelonMigrations,
    dbName: projectDatabaseName(projectId, userId),
    useWebWorker: false,
  } as const;
  if (hasIndexedDB()) {
    // Our own instance of the adapter WatermelonDB would make (`useIncrementalIndexedDB`),
    // handed over as `_testLokiAdapter`: WatermelonDB then skips its check of whether
    // IndexedDB opens at all (a `WatermelonIDBChecker` database opened and closed first,
    // the page's slowest IndexedDB round trip), and LokiJS takes the preloaded connection.
    return new LokiJSAdapter({
      ...common,
      useIncrementalIndexedDB: true,
      _testLokiAdapter: new PreloadedIDBAdapter(),
    } as ConstructorParameters<typeof LokiJSAdapter>[0]);
  }
  // Node (tests, scripts): memory only; autosave's interval timer would keep the process alive.
  return new LokiJSAdapter({ ...common, useIncrementalIndexedDB: false, extraLokiOptions: { autosave: false } });
}

/** One WatermelonDB database for one project, on the schema derived from @clapper/schema. */
export function createProjectDatabase(options: ProjectDatabaseOptions): Database {
  const adapter = options.adapter ?? createProjectAdapter(options.projectId, options.userId);
  return new Database({ adapter, modelClasses });
}
