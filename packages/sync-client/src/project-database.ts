import { Database } from '@nozbe/watermelondb';
import type { DatabaseAdapter } from '@nozbe/watermelondb/adapters/type';
import LokiJSAdapterModule from '@nozbe/watermelondb/adapters/lokijs';
import { modelClasses, watermelonMigrations, watermelonSchema } from '@clapper/schema';

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

/**
 * The local database name of a project, per user when one is given (`clapper:<userId>:<projectId>`,
 * a prefix the web app wipes on sign-out); one database per project keeps quotas per project.
 */
export function projectDatabaseName(projectId: string, userId?: string): string {
  return userId === undefined ? `clapper-${projectId}` : `clapper:${userId}:${projectId}`;
}

// WatermelonDB ships CommonJS with `__esModule`; Node's ESM loader (tsx) hands us the
// module object, bundlers and Vitest hand us its default export.
const LokiJSAdapter: typeof LokiJSAdapterModule =
  (LokiJSAdapterModule as unknown as { default?: typeof LokiJSAdapterModule }).default ?? LokiJSAdapterModule;

export function createProjectAdapter(projectId: string, userId?: string): DatabaseAdapter {
  const common = {
    schema: watermelonSchema,
    migrations: watermelonMigrations,
    dbName: projectDatabaseName(projectId, userId),
    useWebWorker: false,
  } as const;
  if (hasIndexedDB()) {
    return new LokiJSAdapter({ ...common, useIncrementalIndexedDB: true });
  }
  // Node (tests, scripts): memory only; autosave's interval timer would keep the process alive.
  return new LokiJSAdapter({ ...common, useIncrementalIndexedDB: false, extraLokiOptions: { autosave: false } });
}

/** One WatermelonDB database for one project, on the schema derived from @clapper/schema. */
export function createProjectDatabase(options: ProjectDatabaseOptions): Database {
  const adapter = options.adapter ?? createProjectAdapter(options.projectId, options.userId);
  return new Database({ adapter, modelClasses });
}
