// LokiJS as WatermelonDB ships it (`lokijs`, @nozbe/lokijs): the incremental IndexedDB
// adapter WatermelonDB's LokiJSAdapter uses in a browser, and what project-database.ts
// reaches of it.
declare module 'lokijs/src/incremental-indexeddb-adapter' {
  export default class IncrementalIDBAdapter {
    constructor(options?: Record<string, unknown>);
    idb: IDBDatabase | null;
    _getAllChunks(dbname: string, callback: (chunks: unknown) => void): void;
  }
}
