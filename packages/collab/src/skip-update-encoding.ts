// Yjs encodes every transaction's changes as an update (Transaction.js, cleanupTransactions)
// whenever the doc has an 'update' listener, whether or not any listener then uses it.
// Loading a 120-page script from the local copy is one transaction holding the whole
// script, so every open from the local copy encoded the whole script again (~0.2-0.4 s of
// a traced open at load ~20: `writeUpdateMessageFromTransaction`) for listeners that all
// ignore it there: y-indexeddb skips its own load, the editor's session skips what came
// from the local copy, the board's script reader only notes that the doc changed, and
// y-websocket sends nothing while neither the socket nor the other tabs are connected
// (they get it from the sync exchange when they connect). The collab provider (its local
// copy) and the editor's session (its own) skip it that way.
//
// `skipUpdateEncoding(doc, skip)` hides the doc's 'update' listeners from Yjs for each
// transaction `skip` accepts, so it encodes nothing, and puts them back before anything
// else runs. A reader that needs every update's bytes (a replica fed by them) holds
// `needEveryUpdate(doc)` meanwhile, and no transaction is skipped.
import type * as Y from 'yjs';

type Observers = Map<string, Set<unknown>>;

const needs = new WeakMap<Y.Doc, number>();

/** While held, no transaction of `doc` goes without its 'update' event. Returns the release. */
export function needEveryUpdate(doc: Y.Doc): () => void {
  needs.set(doc, (needs.get(doc) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    needs.set(doc, (needs.get(doc) ?? 1) - 1);
  };
}

/** Transactions of `doc` that `skip` accepts emit no 'update' (and are not encoded for it). Returns the undo. */
export function skipUpdateEncoding(doc: Y.Doc, skip: (transaction: Y.Transaction) => boolean): () => void {
  // Yjs asks `doc._observers.has('update')`; it has no public way to ask for no encoding.
  // eslint-disable-next-line no-restricted-syntax -- no public hook (see above); the test pins the behaviour on the Yjs in use
  const observers = (doc as unknown as { _observers: Observers })._observers;
  let hidden: Set<unknown> | null = null;
  const restore = () => {
    if (hidden === null) return;
    // Listeners added meanwhile stay too.
    for (const listener of observers.get('update') ?? []) hidden.add(listener);
    observers.set('update', hidden);
    hidden = null;
  };
  // Emitted just before Yjs checks for 'update' listeners.
  const onCleanup = (transaction: Y.Transaction) => {
    restore();
    if ((needs.get(doc) ?? 0) > 0 || !observers.has('update') || !skip(transaction)) return;
    hidden = observers.get('update') ?? null;
    observers.delete('update');
  };
  // Back before the next transaction's observers (a cleanup batch holds several) and after the batch.
  doc.on('afterTransactionCleanup', onCleanup);
  doc.on('beforeObserverCalls', restore);
  doc.on('beforeTransaction', restore);
  doc.on('afterAllTransactions', restore);
  return () => {
    restore();
    doc.off('afterTransactionCleanup', onCleanup);
    doc.off('beforeObserverCalls', restore);
    doc.off('beforeTransaction', restore);
    doc.off('afterAllTransactions', restore);
  };
}
