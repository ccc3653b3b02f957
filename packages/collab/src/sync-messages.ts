import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { CollabError } from './collab-error.ts';

// y-websocket's message types (the first varUint of every message).
export const messageType = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const;
// y-protocols/sync's sub-types (the second varUint of a sync message).
export const syncType = { step1: 0, step2: 1, update: 2 } as const;

export type ClientMessage =
  | { kind: 'sync-step1'; stateVector: Uint8Array }
  | { kind: 'sync-update'; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'query-awareness' };

/**
 * Decodes one client message, strictly: an unknown type, a truncated payload or trailing
 * bytes are a CollabError('BAD_MESSAGE') and the connection that sent it is closed (Y9).
 */
export function decodeClientMessage(data: Uint8Array): ClientMessage {
  const decoder = decoding.createDecoder(data);
  let message: ClientMessage;
  try {
    const type = decoding.readVarUint(decoder);
    if (type === messageType.sync) {
      const sub = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (sub === syncType.step1) message = { kind: 'sync-step1', stateVector: payload };
      else if (sub === syncType.step2 || sub === syncType.update) message = { kind: 'sync-update', update: payload };
      else throw new CollabError('BAD_MESSAGE', `unknown sync message type ${sub}`);
    } else if (type === messageType.awareness) {
      message = { kind: 'awareness', update: decoding.readVarUint8Array(decoder) };
    } else if (type === messageType.queryAwareness) {
      message = { kind: 'query-awareness' };
    } else {
      throw new CollabError('BAD_MESSAGE', `unknown message type ${type}`);
    }
  } catch (error) {
    if (error instanceof CollabError) throw error;
    throw new CollabError('BAD_MESSAGE', `malformed message: ${(error as Error).message}`);
  }
  if (decoding.hasContent(decoder)) {
    throw new CollabError('BAD_MESSAGE', `${data.length - decoder.pos} trailing bytes after a ${message.kind} message`);
  }
  return message;
}

export function encodeSyncMessage(sub: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageType.sync);
  encoding.writeVarUint(encoder, sub);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export function encodeAwarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageType.awareness);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}
