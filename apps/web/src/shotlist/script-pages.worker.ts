// The board's live eighths paginate the script here, off the window's main thread
// (script-pages.ts starts it; script-pages-core.ts is what it does).
import { type ScriptPagesRequest, createScriptPagesHost } from './script-pages-core.ts';

const host = createScriptPagesHost();
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ScriptPagesRequest>) => void) | null;
  postMessage(message: unknown): void;
};
scope.onmessage = (event) => {
  const reply = host.handle(event.data);
  if (reply) scope.postMessage(reply);
};
// Its own script's address, for the window to keep it for offline use.
scope.postMessage({ type: 'ready', url: (self as unknown as { location: Location }).location.href });
