// Browser-safe entry: nothing here imports the server, pg or ws.
export { noteDocName, scriptDocName } from './doc-name.ts';
export {
  type CollabProvider,
  type CollabProviderOptions,
  type CollabUser,
  createCollabProvider,
  markLocalCopy,
  mayHoldLocalCopy,
} from './collab-provider.ts';
export { type ScriptBlock, type ScriptContent, readScript } from './read-script.ts';
export { needEveryUpdate, skipUpdateEncoding } from './skip-update-encoding.ts';
