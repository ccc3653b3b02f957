// Tabs of one browser keep a doc in step over BroadcastChannel (y-websocket's "bc" path),
// by diffs only. y-websocket's own connectBc() publishes, on every connect, the tab's whole
// doc as an unsolicited sync step 2 (besides its state vector): at 120 pages that is the
// whole script encoded (~0.4 MB, tens to hundreds of ms) in the opening window, and applied
// again by every other tab holding the doc (the board's script reader in the same page is
// one: lib0 calls a page's own subscribers too), all of it garbage a moment later.
//
// Here a connecting tab publishes its state vector (sync step 1) only; each tab that hears
// it answers, as before, with what the newcomer lacks (step 2, a diff) and also with its own
// state vector under a message type of ours, which the newcomer answers with what that tab
// lacks. So both sides still get everything the other holds (offline edits included, no
// server needed), and only diffs cross. The reply type is never answered with another state
// vector, so there is no ping-pong. A tab of an older build ignores the reply type (it logs
// y-websocket's "Unable to compute message") and then gets the newcomer's extras through the
// server, as every tab also does.
import * as bc from 'lib0/broadcastchannel';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import { type WebsocketProvider, messageAwareness, messageQueryAwareness, messageSync } from 'y-websocket';
import * as Y from 'yjs';

/** A tab's state vector sent in answer to another tab's: answered with a diff, never with another state vector. */
export const messageStateVectorReply = 100;

function publishStateVector(provider: WebsocketProvider, messageType: number): void {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageType);
  if (messageType === messageSync) syncProtocol.writeSyncStep1(encoder, provider.doc);
  else encoding.writeVarUint8Array(encoder, Y.encodeStateVector(provider.doc));
  bc.publish(provider.bcChannel, encoding.toUint8Array(encoder), provider);
}

/** Makes `provider`'s cross-tab sync exchange diffs only (see the file). Call before it connects. */
export function crossTabSyncByDiffs(provider: WebsocketProvider): void {
  const handlers = provider.messageHandlers;
  const sync = handlers[messageSync];
  if (!sync) throw new Error('y-websocket has no sync message handler');
  handlers[messageSync] = (encoder, decoder, p, emitSynced, messageType) => {
    // emitSynced is false for messages from other tabs (true for the server's).
    const fromTab = !emitSynced && decoding.peekVarUint(decoder) === syncProtocol.messageYjsSyncStep1;
    sync(encoder, decoder, p, emitSynced, messageType);
    if (fromTab) publishStateVector(p, messageStateVectorReply);
  };
  handlers[messageStateVectorReply] = (encoder, decoder, p) => {
    encoding.writeVarUint(encoder, messageSync);
    syncProtocol.writeSyncStep2(encoder, p.doc, decoding.readVarUint8Array(decoder));
  };
  provider.connectBc = function connectBc(this: WebsocketProvider) {
    if (this.disableBc) return;
    if (!this.bcconnected) {
      // eslint-disable-next-line no-restricted-syntax -- y-websocket's own handler for other tabs' messages (its typings declare it); the test's exchange fails without it
      bc.subscribe(this.bcChannel, this._bcSubscriber);
      this.bcconnected = true;
    }
    // What this tab holds, so the others answer with what it lacks (and ask in turn).
    publishStateVector(this, messageSync);
    // Everyone's awareness, and this tab's (as y-websocket does).
    const query = encoding.createEncoder();
    encoding.writeVarUint(query, messageQueryAwareness);
    bc.publish(this.bcChannel, encoding.toUint8Array(query), this);
    const state = encoding.createEncoder();
    encoding.writeVarUint(state, messageAwareness);
    encoding.writeVarUint8Array(state, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID]));
    bc.publish(this.bcChannel, encoding.toUint8Array(state), this);
  };
}
