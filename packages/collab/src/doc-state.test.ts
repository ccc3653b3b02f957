import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { DocState, mergeMany } from './doc-state.ts';

/** A writer's updates, one per edit, recorded as the server would receive them. */
function recordingDoc(clientID: number): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  return { doc, updates };
}

function stateVectorOf(state: DocState): Map<number, number> {
  return Y.decodeStateVector(state.stateVector());
}

function docFrom(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc;
}

/** Seeded, so a failure replays. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

describe('DocState', () => {
  test('holds what a Y.Doc fed the same updates holds: state vector, content, and the diff a client lacks', () => {
    const a = recordingDoc(1);
    const b = recordingDoc(2);
    a.doc.getText('t').insert(0, 'INT. HOUSE - DAY');
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc));
    b.doc.getText('t').insert(16, '\nShe waits.');
    a.doc.getText('t').delete(0, 5);
    b.doc.getMap('meta').set('title', 'Night Shoot');

    const state = new DocState();
    const reference = new Y.Doc();
    for (const update of [...a.updates, ...b.updates]) {
      state.add(update);
      Y.applyUpdate(reference, update);
    }
    expect(stateVectorOf(state)).toEqual(Y.decodeStateVector(Y.encodeStateVector(reference)));
    expect(state.gap()).toBe('');
    expect(docFrom(state.update()).getText('t').toString()).toBe(reference.getText('t').toString());
    expect(docFrom(state.update()).getMap('meta').get('title')).toBe('Night Shoot');

    // A client holding only a's first edit gets the rest from the diff.
    const client = docFrom(a.updates[0] as Uint8Array);
    Y.applyUpdate(client, state.diff(Y.encodeStateVector(client)));
    expect(client.getText('t').toString()).toBe(reference.getText('t').toString());
    expect(() => state.diff(new Uint8Array([255, 255, 255]))).toThrow();
  });

  test('clients coming back with the same state vector share one diff, until the doc changes', () => {
    const writer = recordingDoc(9);
    writer.doc.getText('t').insert(0, 'CUT TO:');
    const state = new DocState();
    state.add(writer.updates[0] as Uint8Array);
    const synced = Y.encodeStateVector(writer.doc);
    const first = state.diff(synced);
    expect(state.diff(synced.slice())).toBe(first);
    writer.doc.getText('t').insert(7, ' EXT.');
    state.add(writer.updates[1] as Uint8Array);
    const after = state.diff(synced);
    expect(after).not.toBe(first);
    const client = docFrom(writer.updates[0] as Uint8Array);
    Y.applyUpdate(client, after);
    expect(client.getText('t').toString()).toBe('CUT TO: EXT.');
  });

  test('an update that builds on one not here waits: the state vector stops at the gap, and the gap names it until it is filled', () => {
    const writer = recordingDoc(7);
    const text = writer.doc.getText('t');
    text.insert(0, 'A');
    text.insert(1, 'B');
    text.insert(2, 'C');
    const [first, lost, third] = writer.updates as [Uint8Array, Uint8Array, Uint8Array];
    const state = new DocState();
    state.add(first);
    state.add(third);
    expect(state.gap()).toBe('7:1|');
    expect(stateVectorOf(state)).toEqual(new Map([[7, 1]]));
    // A client with nothing gets what is integrable and the waiting update; it converges once the gap fills.
    const client = docFrom(state.diff(Y.encodeStateVector(new Y.Doc())));
    expect(client.getText('t').toString()).toBe('A');

    state.add(lost);
    expect(state.gap()).toBe('');
    expect(stateVectorOf(state)).toEqual(new Map([[7, 3]]));
    Y.applyUpdate(client, state.diff(Y.encodeStateVector(client)));
    expect(client.getText('t').toString()).toBe('ABC');
  });

  test('a delete of something not here is a gap too', () => {
    const writer = recordingDoc(3);
    writer.doc.getText('t').insert(0, 'cut me');
    writer.doc.getText('t').delete(0, 4);
    const [insert, remove] = writer.updates as [Uint8Array, Uint8Array];
    const state = new DocState();
    state.add(remove);
    expect(state.gap()).toBe('|ds');
    state.add(insert);
    expect(state.gap()).toBe('');
    expect(docFrom(state.update()).getText('t').toString()).toBe('me');
  });

  test('an unreadable update throws and adds nothing', () => {
    const writer = recordingDoc(4);
    writer.doc.getText('t').insert(0, 'kept');
    const state = new DocState();
    state.add(writer.updates[0] as Uint8Array);
    const before = state.update();
    expect(() => state.add(new Uint8Array([1, 200, 3]))).toThrow();
    expect(state.update()).toEqual(before);
    expect(state.gap()).toBe('');
  });

  test('absorb returns only what was missing: nothing for what is held, the new structs, or a delete alone', () => {
    const writer = recordingDoc(5);
    const text = writer.doc.getText('t');
    text.insert(0, 'FADE IN:');
    const state = new DocState();
    state.add(writer.updates[0] as Uint8Array);
    const unreadable: unknown[] = [];
    const note = (error: unknown) => unreadable.push(error);
    expect(state.absorb([Y.encodeStateAsUpdate(writer.doc)], note)).toBeNull();

    text.insert(8, ' EXT.');
    const gained = state.absorb([Y.encodeStateAsUpdate(writer.doc), new Uint8Array([9, 9])], note);
    expect(unreadable).toHaveLength(1);
    const client = docFrom(writer.updates[0] as Uint8Array);
    Y.applyUpdate(client, gained as Uint8Array);
    expect(client.getText('t').toString()).toBe('FADE IN: EXT.');

    text.delete(0, 9);
    const deleted = state.absorb([Y.encodeStateAsUpdate(writer.doc)], note);
    expect(deleted).not.toBeNull();
    Y.applyUpdate(client, deleted as Uint8Array);
    expect(client.getText('t').toString()).toBe('EXT.');
  });

  test('fuzz: many writers, updates in any order and duplicated, against a Y.Doc fed the same', () => {
    for (let seed = 1; seed <= 20; seed += 1) {
      const next = random(seed);
      const writers = [1, 2, 3].map((id) => recordingDoc(id * 1000 + seed));
      for (let step = 0; step < 120; step += 1) {
        const writer = writers[Math.floor(next() * writers.length)] as ReturnType<typeof recordingDoc>;
        const text = writer.doc.getText('t');
        if (text.length > 0 && next() < 0.3) {
          const at = Math.floor(next() * text.length);
          text.delete(at, Math.min(text.length - at, 1 + Math.floor(next() * 3)));
        } else {
          text.insert(Math.floor(next() * (text.length + 1)), String.fromCharCode(97 + Math.floor(next() * 26)));
        }
        // Writers sometimes sync with each other, as clients of one doc do.
        if (next() < 0.2) {
          const other = writers[Math.floor(next() * writers.length)] as ReturnType<typeof recordingDoc>;
          Y.applyUpdate(other.doc, Y.encodeStateAsUpdate(writer.doc, Y.encodeStateVector(other.doc)));
        }
      }
      // Every update once (in a shuffled order), some twice.
      const all = writers.flatMap((w) => w.updates);
      const shuffled = [...all, ...all.filter(() => next() < 0.1)].sort(() => next() - 0.5);
      const state = new DocState();
      const reference = new Y.Doc();
      for (const [index, update] of shuffled.entries()) {
        state.add(update);
        Y.applyUpdate(reference, update);
        if (index % 37 === 0) {
          const at = `seed ${seed} at ${index}`;
          const pending = reference.store.pendingStructs !== null || reference.store.pendingDs !== null;
          expect(state.gap() === '', at).toBe(!pending);
          // A Y.Doc sets aside the rest of an update once one struct waits, so with a gap its
          // state vector may stop earlier; without one they are the same.
          const held = stateVectorOf(state);
          const integrated = Y.decodeStateVector(Y.encodeStateVector(reference));
          if (!pending) expect(held, at).toEqual(integrated);
          for (const [client, clock] of integrated) expect(held.get(client), at).toBeGreaterThanOrEqual(clock);
        }
      }
      expect(state.gap()).toBe('');
      expect(docFrom(state.update()).getText('t').toString(), `seed ${seed}`).toBe(reference.getText('t').toString());
      expect(docFrom(mergeMany(all)).getText('t').toString()).toBe(reference.getText('t').toString());
    }
  });
});
