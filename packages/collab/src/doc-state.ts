import * as Y from 'yjs';

/**
 * A loaded doc as the server holds it: the Yjs update bytes of everything stored, not a
 * Y.Doc. The server never reads a doc's content; it only answers "what do I have" (a state
 * vector) and "what do you lack" (a diff), and both come from the bytes (Yjs's update API).
 * A Y.Doc keeps an object per struct: a typed doc took ~46 heap bytes per keystroke where
 * its encoding takes a few, and those long-lived objects, made a few at a time amid the
 * relay's garbage, left old space fragmented (the devices soak's RSS grew with them).
 *
 * Merging is O(what is merged), so updates are not merged into the whole doc one by one:
 * they gather in a short list, merged into a run once it is full, and runs of like size are
 * merged together (a log-structured merge: each byte is merged O(log doc) times). Answering
 * a client merges what is left into one. Deleted content stays in the bytes until the doc
 * is reloaded from its GC'd snapshot (a Y.Doc would have dropped it at once); a client that
 * loads the doc drops it.
 */
export class DocState {
  /** Merged runs, oldest and biggest first; each at most half of the one before it. */
  private runs: Uint8Array[] = [];
  private runsBytes = 0;
  /** Updates added since the last run was made. */
  private recent: Uint8Array[] = [];
  private recentBytes = 0;
  /** Per client, the clock up to which every struct is here: the state vector. Valid unless `gapState` is null. */
  private clocks = new Map<number, number>();
  /** What the doc waits for (see `gap`), '' for nothing; null: unknown until the bytes are read again. */
  private gapState: string | null = '';
  /**
   * The last diff answered, for the state vector it answered, until the next update. When a
   * network blip drops a doc's clients they come back together, synced to the same state:
   * one diff (O(doc) from the bytes) serves all of them.
   */
  private lastDiff: { stateVector: Uint8Array; diff: Uint8Array } | null = null;

  /**
   * Adds an update (throws, adding nothing, when Yjs cannot read it). Order does not
   * matter: an update that builds on one not here yet is kept and waits (`gap`).
   */
  add(update: Uint8Array): void {
    const decoded = Y.decodeUpdate(update);
    this.lastDiff = null;
    this.recent.push(update);
    this.recentBytes += update.length;
    if (this.gapState !== '' || !extendContiguously(this.clocks, decoded)) this.gapState = null;
    if (this.recent.length >= recentUpdates || this.recentBytes >= recentBytes) this.mergeRecent();
  }

  /** The whole doc as one update. */
  update(): Uint8Array {
    this.mergeRecent();
    if (this.runs.length > 1) {
      const whole = Y.mergeUpdates(this.runs);
      this.runs = [whole];
      this.runsBytes = whole.length;
    }
    return this.runs[0] ?? emptyUpdate;
  }

  /** Encoded size of what is held. */
  get bytes(): number {
    return this.runsBytes + this.recentBytes;
  }

  stateVector(): Uint8Array {
    this.refresh();
    return Y.encodeStateVector(this.clocks);
  }

  /** What a client with `stateVector` lacks (throws on an unreadable state vector). */
  diff(stateVector: Uint8Array): Uint8Array {
    const last = this.lastDiff;
    if (last && sameBytes(last.stateVector, stateVector)) return last.diff;
    const diff = Y.diffUpdate(this.update(), stateVector);
    this.lastDiff = { stateVector: stateVector.slice(), diff };
    return diff;
  }

  /**
   * What the doc waits for: for each client whose structs stop at a missing clock, that
   * clock (`client:clock`, joined by commas), and `|ds` when it deletes structs it does
   * not hold. '' when nothing is missing. Yjs holds such updates as pending in a Y.Doc.
   */
  gap(): string {
    this.refresh();
    return this.gapState as string;
  }

  /**
   * Adds `updates` (an unreadable one is passed to `unreadable` and skipped) and returns
   * what they brought that was not here (structs past the state vector, and the delete
   * set when it grew), or null when they brought nothing.
   */
  absorb(updates: Uint8Array[], unreadable: (error: unknown) => void): Uint8Array | null {
    const before = this.update();
    this.refresh();
    const clocksBefore = new Map(this.clocks);
    for (const update of updates) {
      try {
        this.add(update);
      } catch (error) {
        unreadable(error);
      }
    }
    const after = this.update();
    this.refresh();
    const newStructs = [...this.clocks].some(([client, clock]) => clock > (clocksBefore.get(client) ?? 0));
    if (!newStructs && Y.equalDeleteSets(Y.decodeUpdate(before).ds, Y.decodeUpdate(after).ds)) return null;
    return Y.diffUpdate(after, Y.encodeStateVector(clocksBefore));
  }

  private mergeRecent(): void {
    if (this.recent.length === 0) return;
    // Yjs's merge re-sorts its inputs at every break in a run of structs: a few at a time.
    let run = mergeMany(this.recent);
    this.recent = [];
    this.recentBytes = 0;
    for (let last = this.runs.at(-1); last !== undefined && run.length * 2 >= last.length; last = this.runs.at(-1)) {
      this.runs.pop();
      run = Y.mergeUpdates([last, run]);
    }
    this.runs.push(run);
    this.runsBytes = this.runs.reduce((sum, bytes) => sum + bytes.length, 0);
  }

  /** Reads the bytes again for the state vector and the gap, when an update may have left one (or filled it). */
  private refresh(): void {
    if (this.gapState !== null) return;
    const { structs, ds } = Y.decodeUpdate(this.update());
    this.clocks = integrableClocks(structs);
    const clocks = this.clocks;
    /** Per client, the end of the structs held: past the integrable clock, they wait. */
    const held = new Map<number, number>();
    for (const struct of structs) {
      if (!(struct instanceof Y.Skip)) held.set(struct.id.client, struct.id.clock + struct.length);
    }
    const missing = [...held]
      .filter(([client, end]) => end > (clocks.get(client) ?? 0))
      .sort(([a], [b]) => a - b)
      .map(([client]) => `${client}:${clocks.get(client) ?? 0}`);
    const deletesMissing = [...ds.clients].some(([client, ranges]) =>
      ranges.some((range) => range.clock + range.len > (clocks.get(client) ?? 0)),
    );
    this.gapState = missing.length === 0 && !deletesMissing ? '' : `${missing.join(',')}|${deletesMissing ? 'ds' : ''}`;
  }
}

/** Updates (or bytes: a loaded snapshot goes on as a run by itself) gathered before they are merged into a run. */
const recentUpdates = 32;
const recentBytes = 16 * 1024;
/** An update with no structs and no deletes. */
const emptyUpdate = new Uint8Array([0, 0]);

/** Merges many updates in groups, so no single merge sorts more than a few inputs at a time. */
export function mergeMany(updates: Uint8Array[]): Uint8Array {
  let level = updates;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += mergeGroup) next.push(Y.mergeUpdates(level.slice(i, i + mergeGroup)));
    level = next;
  }
  return level[0] ?? emptyUpdate;
}
const mergeGroup = 16;

type Struct = ReturnType<typeof Y.decodeUpdate>['structs'][number];

/**
 * Moves `clocks` past `update`'s structs when every one can be integrated: it starts where
 * its client's clock stands (or before: a struct already held), and what it builds on
 * (origin, right origin, parent) is held. False when one cannot, or the update deletes
 * something not held: then the bytes must be read again (`integrableClocks`).
 */
function extendContiguously(clocks: Map<number, number>, update: ReturnType<typeof Y.decodeUpdate>): boolean {
  for (const struct of update.structs) {
    if (struct instanceof Y.Skip) return false;
    const { client, clock } = struct.id;
    const have = clocks.get(client) ?? 0;
    if (clock > have) return false;
    clocks.set(client, Math.max(have, clock + struct.length));
  }
  // Checked after: an update's structs may build on each other, in any client order.
  if (!update.structs.every((struct) => dependenciesHeld(struct, clocks))) return false;
  for (const [client, ranges] of update.ds.clients) {
    if (ranges.some((range) => range.clock + range.len > (clocks.get(client) ?? 0))) return false;
  }
  return true;
}

/**
 * Per client, the clock up to which its structs can be integrated, as a Y.Doc would: each
 * client's structs in order, stopping at a missing clock or at a struct that builds on
 * one not integrable (which may stop at another client's gap: repeated until it settles).
 */
function integrableClocks(structs: Struct[]): Map<number, number> {
  const clocks = new Map<number, number>();
  const stopped = new Set<number>();
  for (const struct of structs) {
    const { client, clock } = struct.id;
    if (stopped.has(client)) continue;
    const have = clocks.get(client) ?? 0;
    if (struct instanceof Y.Skip || clock > have) stopped.add(client);
    else clocks.set(client, Math.max(have, clock + struct.length));
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const struct of structs) {
      const { client, clock } = struct.id;
      if (clock >= (clocks.get(client) ?? 0) || dependenciesHeld(struct, clocks)) continue;
      clocks.set(client, clock);
      changed = true;
    }
  }
  for (const [client, clock] of clocks) if (clock === 0) clocks.delete(client);
  return clocks;
}

function dependenciesHeld(struct: Struct, clocks: Map<number, number>): boolean {
  if (!(struct instanceof Y.Item)) return true;
  const held = (id: Y.ID | null) => id === null || id.clock < (clocks.get(id.client) ?? 0);
  return held(struct.origin) && held(struct.rightOrigin) && (!(struct.parent instanceof Y.ID) || held(struct.parent));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
