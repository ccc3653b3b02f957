// Server entry. Browser code imports `@clapper/collab/client`.
export {
  type CollabMetrics,
  type CollabServer,
  type CollabServerOptions,
  type YjsAccess,
  collabLimitDefaults,
  createCollabServer,
} from './collab-server.ts';
export { DocState } from './doc-state.ts';
export { type CompactionResult, DocStore } from './doc-store.ts';
export { type SnapshotMerger, createSnapshotMerger } from './snapshot-merger.ts';
