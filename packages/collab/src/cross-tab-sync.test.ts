// Cross-tab sync over BroadcastChannel exchanges diffs only (cross-tab-sync.ts). Two or
// three providers in one process share lib0's channel for the doc, as tabs of one browser
// (and the editor and the board's reader in one page) do; no server is needed for it.
import * as bc from 'lib0/broadcastchannel';
import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { type CollabProvider, createCollabProvider } from './collab-provider.ts';
import { scriptDocName } from './doc-name.ts';

const opened: CollabProvider[] = [];
afterEach(() => {
  for (const provider of opened.splice(0)) provider.destroy();
});

/** A tab's provider for `docName` (not connected: connectBc() below opens only the cross-tab side). */
function tab(docName: string, doc: Y.Doc): CollabProvider {
  const provider = createCollabProvider({ serverUrl: 'http://127.0.0.1:9', docName, token: 't', doc, connect: false });
  opened.push(provider);
  return provider;
}

/** A feature-length script's worth of text (~200 KB) in a doc. */
function bigDoc(): Y.Doc {
  const doc = new Y.Doc();
  const root = doc.get('root', Y.XmlText);
  doc.transact(() => {
    for (let i = 0; i < 2_000; i += 1) {
      const block = new Y.XmlText();
      root.insertEmbed(root.length, block);
      block.insert(0, `Block ${i}: the rain drums on the tin roof while a lamp swings above the table.`);
    }
  });
  return doc;
}

/** Sizes (bytes) of everything published on the doc's channel while `run` runs. */
function published(channel: string, run: () => void): number[] {
  const sizes: number[] = [];
  const listen = (data: ArrayBuffer) => sizes.push(new Uint8Array(data).byteLength);
  bc.subscribe(channel, listen);
  try {
    run();
  } finally {
    bc.unsubscribe(channel, listen);
  }
  return sizes;
}

test('[C2] a tab connecting with a feature-length doc publishes no copy of it to the other tabs', () => {
  const docName = scriptDocName('p-cross-tab-1', 's1');
  const doc = bigDoc();
  const full = Y.encodeStateAsUpdate(doc).byteLength;
  expect(full).toBeGreaterThan(150_000);
  const other = tab(docName, new Y.Doc());
  const typist = tab(docName, new Y.Doc());
  Y.applyUpdate(typist.doc, Y.encodeStateAsUpdate(doc));
  Y.applyUpdate(other.doc, Y.encodeStateAsUpdate(doc));
  other.websocket.connectBc();
  const sizes = published(typist.websocket.bcChannel, () => typist.websocket.connectBc());
  // Before: the connecting tab's whole doc as a sync step 2 (~full bytes).
  expect(Math.max(...sizes)).toBeLessThan(1_000);
  expect(sizes.reduce((sum, size) => sum + size, 0)).toBeLessThan(2_000);
  expect(other.doc.get('root', Y.XmlText).toString()).toBe(typist.doc.get('root', Y.XmlText).toString());
});

test('[C2] tabs still get what each other holds, both ways, by diffs', () => {
  const docName = scriptDocName('p-cross-tab-2', 's1');
  const base = bigDoc();
  const tabs = [tab(docName, new Y.Doc()), tab(docName, new Y.Doc()), tab(docName, new Y.Doc())];
  for (const t of tabs) Y.applyUpdate(t.doc, Y.encodeStateAsUpdate(base));
  const [first, second, newcomer] = tabs as [CollabProvider, CollabProvider, CollabProvider];
  // Each made an edit the others lack (offline, say): an insert, and a delete.
  first.doc.get('root', Y.XmlText).insertEmbed(0, new Y.XmlText('FIRST TAB'));
  second.doc.get('root', Y.XmlText).delete(5, 3);
  newcomer.doc.get('root', Y.XmlText).insertEmbed(1, new Y.XmlText('NEWCOMER'));
  first.websocket.connectBc();
  second.websocket.connectBc();
  const sizes = published(newcomer.websocket.bcChannel, () => newcomer.websocket.connectBc());
  const texts = tabs.map((t) => t.doc.get('root', Y.XmlText).toString());
  expect(texts[0]).toContain('FIRST TAB');
  expect(texts[0]).toContain('NEWCOMER');
  expect(texts[1]).toBe(texts[0]);
  expect(texts[2]).toBe(texts[0]);
  expect(first.doc.get('root', Y.XmlText).length).toBe(base.get('root', Y.XmlText).length + 2 - 3);
  // Only diffs crossed when the newcomer connected (no message near the doc's size).
  expect(Math.max(...sizes)).toBeLessThan(2_000);
});
