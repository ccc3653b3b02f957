import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Awareness } from 'y-protocols/awareness';
import { CollabError } from './collab-error.ts';

/**
 * Presence is owned (Y15): a connection publishes awareness only for its own client id,
 * states are size-limited, and the name others see is the account's.
 *
 * The y-protocols awareness update carries `[clientID, clock, stateJSON]` entries and says
 * nothing about who sent them, so the server pins ids to people: the first id a connection
 * publishes is its own (a stock y-websocket client has exactly one, its doc's clientID),
 * and an id someone else holds (a connection of another account here, or a state another
 * instance stamped with another account) is never taken over. Another connection of the
 * same account may take its own id over: that is a reconnect whose old socket has not
 * closed yet, or the same person on another instance.
 */
export const awarenessLimits = {
  /** Awareness client ids one connection may publish for (a y-websocket client uses one). */
  maxIdsPerConnection: 1,
  /** A state's JSON beyond this is dropped, not relayed (a cursor, name and colour are a few hundred bytes). */
  maxStateBytes: 8 * 1024,
} as const;

export interface AwarenessOwner {
  readonly userId: string;
  /** The account's display name: what every other client sees as this connection's name. */
  readonly userName: string;
  /** Client ids this connection owns; released when it closes. */
  readonly awarenessIds: Set<number>;
}

export interface OwnedAwarenessUpdate {
  /** The entries this connection may publish, their states stamped with the account; null when none is left. */
  update: Uint8Array | null;
  /** Entries dropped: another owner's id, too many ids, or an oversized or non-object state. */
  dropped: number;
}

interface Entry {
  clientID: number;
  clock: number;
  stateJson: string;
}

function decodeEntries(update: Uint8Array): Entry[] {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const entries: Entry[] = [];
    for (let i = 0; i < count; i++) {
      const clientID = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      entries.push({ clientID, clock, stateJson: decoding.readVarString(decoder) });
    }
    if (decoding.hasContent(decoder)) throw new Error('trailing bytes');
    return entries;
  } catch (error) {
    throw new CollabError('BAD_MESSAGE', `unreadable awareness update: ${(error as Error).message}`);
  }
}

function encodeEntries(entries: Entry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientID);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.stateJson);
  }
  return encoding.toUint8Array(encoder);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The state others will see: the account's id and name overwrite whatever the client
 * claimed (`name`, as Lexical's cursors read it, and `user.name`, as y-websocket examples
 * write it). Null (the client going away) stays null; anything but an object is refused.
 */
function stampState(stateJson: string, owner: AwarenessOwner): string | undefined {
  let state: unknown;
  try {
    state = JSON.parse(stateJson);
  } catch {
    return undefined;
  }
  if (state === null) return 'null';
  if (!isPlainObject(state)) return undefined;
  const stamped: Record<string, unknown> = { ...state, name: owner.userName, userId: owner.userId };
  if (isPlainObject(state.user)) stamped.user = { ...state.user, name: owner.userName };
  return JSON.stringify(stamped);
}

/** Who owns which awareness client id in one loaded doc on this instance. */
export class AwarenessOwnership {
  private readonly owners = new Map<number, AwarenessOwner>();

  constructor(private readonly awareness: Awareness) {}

  /** The part of `update` that `owner` may publish, stamped; throws CollabError when it does not decode. */
  filter(owner: AwarenessOwner, update: Uint8Array): OwnedAwarenessUpdate {
    const entries = decodeEntries(update);
    const kept: Entry[] = [];
    for (const entry of entries) {
      if (Buffer.byteLength(entry.stateJson) > awarenessLimits.maxStateBytes) continue;
      if (!this.claim(owner, entry.clientID)) continue;
      const stateJson = stampState(entry.stateJson, owner);
      if (stateJson === undefined) continue;
      kept.push({ ...entry, stateJson });
    }
    return { update: kept.length > 0 ? encodeEntries(kept) : null, dropped: entries.length - kept.length };
  }

  /** The connection closed: its ids are free again. Returns them (their states are to be removed). */
  release(owner: AwarenessOwner): number[] {
    const ids = [...owner.awarenessIds].filter((id) => this.owners.get(id) === owner);
    for (const id of ids) this.owners.delete(id);
    owner.awarenessIds.clear();
    return ids;
  }

  private claim(owner: AwarenessOwner, clientID: number): boolean {
    const holder = this.owners.get(clientID);
    if (holder === owner) return true;
    if (holder !== undefined && holder.userId !== owner.userId) return false;
    if (holder === undefined) {
      // Held on another instance? Its server stamped the state with the account.
      const state: unknown = this.awareness.getStates().get(clientID);
      if (isPlainObject(state) && state.userId !== owner.userId) return false;
    }
    if (owner.awarenessIds.size >= awarenessLimits.maxIdsPerConnection) return false;
    // Unheld, or held by another connection of the same account (a reconnect): take it over.
    holder?.awarenessIds.delete(clientID);
    this.owners.set(clientID, owner);
    owner.awarenessIds.add(clientID);
    return true;
  }
}
