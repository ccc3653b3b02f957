// What a benchmark typist does to its Yjs doc, and how a receiver reads the relay latency
// out of what it gets: shared by bench/collab-clients.ts, bench/devices-clients.ts and the
// devices server's split (bench/server-sends.ts).
import * as Y from 'yjs';

/** Wall-clock milliseconds with sub-ms precision, comparable across processes. */
export const wallNow = (): number => performance.timeOrigin + performance.now();

/**
 * How a typed character carries its send time: U+3400 + (send ms mod 27,648), CJK
 * ideographs (and the Yijing hexagrams between them), one UTF-16 unit each and no
 * surrogates, so a keystroke is still one character of text. A receiver reads the age of
 * the keystroke from the character and its own clock: exact to 1 ms up to 27.6 s (later
 * ones wrap around and read short).
 */
const stampBase = 0x3400;
export const stampRangeMs = 0xa000 - stampBase;
const stampChar = (ms: number) => String.fromCharCode(stampBase + (Math.floor(ms) % stampRangeMs));

/** The send times in a typed string (characters the typist stamped), as seen at `now`. */
function typedSendTimes(text: string, now: number, into: number[]): void {
  const nowMod = now % stampRangeMs;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i) - stampBase;
    if (code < 0 || code >= stampRangeMs) continue;
    into.push(now - ((nowMod - code + stampRangeMs) % stampRangeMs));
  }
}

/**
 * The send times of the keystrokes in decoded update structs, seen at `now`, skipping
 * `skipClient`'s: the typed characters' stamps, or the `lat:` arrays' numbers of
 * `stamps: true` typists.
 */
export function keystrokeSendTimes(structs: ReadonlyArray<unknown>, now: number, skipClient = -1): number[] {
  const times: number[] = [];
  for (const struct of structs) {
    if (!(struct instanceof Y.Item) || struct.id.client === skipClient) continue;
    if (struct.content instanceof Y.ContentAny) {
      for (const value of struct.content.getContent()) if (typeof value === 'number') times.push(value);
    } else if (struct.content instanceof Y.ContentString) {
      typedSendTimes(struct.content.str, now, times);
    }
  }
  return times;
}

/**
 * One keystroke per call at the typist's cursor (now and then a backspace or a jump), as a
 * writer types: consecutive keystrokes of one client merge into one Yjs struct, and the
 * typed character itself is the keystroke's send time (`stampChar`).
 *
 * `stamps: true` (the collab benchmark, and `BENCH_DEVICES_STAMPS=1`) types the letters
 * a-z and also pushes each keystroke's send time onto the typist's own `lat:<index>` array
 * in the same transaction. Then one client's clocks alternate between the text and the
 * array and no two keystrokes merge: ~9x the structs and ~13x the heap a keystroke of a
 * writer's typing, for as long as the doc is loaded.
 */
export function typist(doc: Y.Doc, index: number, options: { stamps: boolean } = { stamps: true }): () => void {
  const text = doc.getText('script');
  const lat = doc.getArray<number>(`lat:${index}`);
  let cursor = 0;
  let count = 0;
  return () => {
    doc.transact(() => {
      if (count % 97 === 0) cursor = Math.floor(Math.random() * (text.length + 1));
      cursor = Math.min(cursor, text.length);
      if (count % 11 === 10 && cursor > 0) text.delete(--cursor, 1);
      else text.insert(cursor++, options.stamps ? String.fromCharCode(97 + (count % 26)) : stampChar(wallNow()));
      if (options.stamps) {
        lat.push([wallNow()]);
        if (lat.length > 4) lat.delete(0, lat.length - 4);
      }
    });
    count += 1;
  };
}

/**
 * Calls `sample(ms)` for every other typist's keystroke in each update `doc` receives from
 * `origin` (the provider), read straight out of the update (merged or not): no keystroke
 * is missed and no observer walks the doc. A backspace carries no stamp and is not
 * sampled. Returns the function that stops listening.
 */
export function observeRelayLatency(
  doc: Y.Doc,
  origin: unknown,
  sample: (ms: number, sentAt: number) => void,
): () => void {
  const onUpdate = (update: Uint8Array, from: unknown) => {
    if (from !== origin) return;
    const received = wallNow();
    for (const sent of keystrokeSendTimes(Y.decodeUpdate(update).structs, received, doc.clientID))
      sample(received - sent, sent);
  };
  doc.on('update', onUpdate);
  return () => doc.off('update', onUpdate);
}
