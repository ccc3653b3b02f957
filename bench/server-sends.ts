// The server's side of the devices benchmark's latencies (bench only, in the server's
// process): ws's WebSocket#send is wrapped so that, for each message the server fans out,
// the send times the clients stamped into it (a pushed label `bench <ms>`; a typist's
// keystrokes' send times in a Yjs update, bench/yjs-typing.ts) are compared with the moment the server wrote it to
// the first and to the last of its sockets. So an end-to-end sample splits into
//   client sent -> server's first write (the sender's process, HTTP or the socket, the
//   server's work, PostgreSQL's commit), the fan-out (first -> last write), and
//   the rest (server's write -> the receiving process read it: that process's loop).
import * as decoding from 'lib0/decoding';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { keystrokeSendTimes, wallNow } from './yjs-typing.ts';

export interface SideSummary {
  messages: number;
  /** Client's send -> the server's first write of the message, ms. */
  toFirstWriteP50Ms: number;
  toFirstWriteP99Ms: number;
  /** The server's first -> last write of one message (its fan-out), ms. */
  fanOutP50Ms: number;
  fanOutP99Ms: number;
  fanOutMaxMs: number;
  /** Client's send -> the server's last write, ms. */
  toLastWriteP99Ms: number;
}

interface Fanout {
  sentAt: number[];
  first: number;
  last: number;
}

const benchLabel = /"label":"bench ([0-9.]+)"/g;

function yjsSendTimes(data: Uint8Array): number[] {
  try {
    const decoder = decoding.createDecoder(data);
    if (decoding.readVarUint(decoder) !== 0) return [];
    const sub = decoding.readVarUint(decoder);
    if (sub !== 2) return []; // updates only (not a joining client's step 2)
    return keystrokeSendTimes(Y.decodeUpdate(decoding.readVarUint8Array(decoder)).structs, wallNow());
  } catch {
    return [];
  }
}

export function watchServerSends(): { take(): { sync: SideSummary; yjs: SideSummary } } {
  // Keyed by the message object: the server encodes a fan-out once and sends the same bytes.
  let sync = new Map<object, Fanout>();
  let yjs = new Map<object, Fanout>();
  const proto = WebSocket.prototype as unknown as { send: (data: unknown, ...rest: unknown[]) => void };
  const original = proto.send;
  proto.send = function timedSend(this: WebSocket, data: unknown, ...rest: unknown[]) {
    original.call(this, data, ...rest);
    if (!(data instanceof Uint8Array) || data.length < 8) return;
    const now = wallNow();
    const text = data[0] === 0x7b; // '{': a /sync message
    const map = text ? sync : yjs;
    let entry = map.get(data);
    if (!entry) {
      let sentAt: number[];
      if (text) {
        const json = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString();
        sentAt = json.includes('"changes"') ? [...json.matchAll(benchLabel)].map((m) => Number(m[1])) : [];
      } else sentAt = yjsSendTimes(data);
      if (sentAt.length === 0) return;
      entry = { sentAt, first: now, last: now };
      map.set(data, entry);
    }
    entry.last = now;
  };
  const at = (sorted: number[], p: number) =>
    sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  const r = (v: number) => Math.round(v * 100) / 100;
  function summarize(map: Map<object, Fanout>): SideSummary {
    const toFirst: number[] = [];
    const toLast: number[] = [];
    const fanOut: number[] = [];
    for (const entry of map.values()) {
      fanOut.push(entry.last - entry.first);
      for (const sent of entry.sentAt) {
        toFirst.push(entry.first - sent);
        toLast.push(entry.last - sent);
      }
    }
    for (const list of [toFirst, toLast, fanOut]) list.sort((a, b) => a - b);
    return {
      messages: map.size,
      toFirstWriteP50Ms: r(at(toFirst, 0.5)),
      toFirstWriteP99Ms: r(at(toFirst, 0.99)),
      fanOutP50Ms: r(at(fanOut, 0.5)),
      fanOutP99Ms: r(at(fanOut, 0.99)),
      fanOutMaxMs: r(fanOut.at(-1) ?? 0),
      toLastWriteP99Ms: r(at(toLast, 0.99)),
    };
  }
  return {
    take() {
      const result = { sync: summarize(sync), yjs: summarize(yjs) };
      sync = new Map();
      yjs = new Map();
      return result;
    },
  };
}
