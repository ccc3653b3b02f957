// Browser-safe entry: nothing here imports the server, pg or ws.
export { CollabError, type CollabErrorCode, collabErrorCodes } from './collab-error.ts';
export { type DocName, noteDocName, parseDocName, scriptDocName } from './doc-name.ts';
export {
  type CollabProvider,
  type CollabProviderOptions,
  type CollabUser,
  type LexicalProviderFactory,
  collabServerUrl,
  createCollabProvider,
  createLexicalProviderFactory,
} from './collab-provider.ts';
export {
  type ScriptBlock,
  type ScriptContent,
  isSceneHeadingLine,
  readScript,
} from './read-script.ts';
