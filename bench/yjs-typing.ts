// What a benchmark typist does to its Yjs doc, and how a receiver reads the relay latency
// out of what it gets: shared by bench/collab-clients.ts and bench/devices-clients.ts.
import * as Y from 'yjs';

/** Wall-clock milliseconds with sub-ms precision, comparable across processes. */
export const wallNow = (): number => performance.timeOrigin + performance.now();

/**
 * One keystroke per call at the typist's cursor (now and then a backspace or a jump).
 * Every keystroke pushes its send time onto the typist's own `lat:<index>` array in the
 * same transaction; a receiver reads them straight out of each update it gets (merged or
 * not), so no keystroke is missed and no observer walks the doc.
 */
export function typist(doc: Y.Doc, index: number): () => void {
  const text = doc.getText('script');
  const lat = doc.getArray<number>(`lat:${index}`);
  let cursor = 0;
  let count = 0;
  return () => {
    doc.transact(() => {
      if (count % 97 === 0) cursor = Math.floor(Math.random() * (text.length + 1));
      cursor = Math.min(cursor, text.length);
      if (count % 11 === 10 && cursor > 0) text.delete(--cursor, 1);
      else text.insert(cursor++, String.fromCharCode(97 + (count % 26)));
      lat.push([wallNow()]);
      if (lat.length > 4) lat.delete(0, lat.length - 4);
    });
    count += 1;
  };
}

/**
 * Calls `sample(ms)` for every other typist's keystroke in each update `doc` receives from
 * `origin` (the provider). Only the lat arrays hold ContentAny, so those items are exactly
 * the timestamps. Returns the function that stops listening.
 */
export function observeRelayLatency(doc: Y.Doc, origin: unknown, sample: (ms: number) => void): () => void {
  const onUpdate = (update: Uint8Array, from: unknown) => {
    if (from !== origin) return;
    const received = wallNow();
    const own = doc.clientID;
    for (const struct of Y.decodeUpdate(update).structs) {
      if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentAny) || struct.id.client === own)
        continue;
      for (const sent of struct.content.getContent() as number[]) sample(received - sent);
    }
  };
  doc.on('update', onUpdate);
  return () => doc.off('update', onUpdate);
}
