// Bootstrapping an empty collaborative doc without duplicates.
//
// Lexical's own `shouldBootstrap` inserts a fresh block with the local client's id, so
// two people opening an empty doc at once each insert one and Yjs keeps both. Instead,
// every client inserts the SAME first block: one built under a fixed Yjs client id with
// fixed clocks, so every copy of it has identical struct ids and Yjs integrates it once
// however many clients (or reconnects, or IndexedDB reloads) apply it. Applying it to a
// doc that already holds it, even one where the block has since been deleted, is a no-op.
//
// Invariant: for a given block type the bytes never change. If the seed changed between
// app versions, two versions would write different content under the same struct ids
// and their docs would diverge. So the bytes are frozen below, and a test checks that
// `buildEmptyDocSeed` (how they were made) still produces them.
import * as Y from 'yjs';

/** Reserved: no real Y.Doc gets client id 0 (they are random 32-bit, never 0 by convention here). */
export const seedClientId = 0;

/**
 * Reserved too, for the grouped seeds (`<group type>/<block type>`: one empty block in one
 * group, what a new script starts as). Not 0: app versions from before groups seed an
 * empty script with the flat block under client 0, clocks 0 and 1; a different block under
 * the same ids would make the two copies of the doc diverge. Under its own client id, an
 * old and a new app seeding the same empty doc at once give it two first blocks (one
 * flat, one in a group), both kept, nothing lost.
 */
export const groupedSeedClientId = 1;

/** Frozen `buildEmptyDocSeed(type)` output, base64. Never edit an entry; add new types only. */
export const frozenEmptyDocSeeds: Readonly<Record<string, string>> = {
  'scene-heading': 'AQIAAAcBBHJvb3QGKAAAAAZfX3R5cGUBdw1zY2VuZS1oZWFkaW5nAA==',
  paragraph: 'AQIAAAcBBHJvb3QGKAAAAAZfX3R5cGUBdwlwYXJhZ3JhcGgA',
  'script-group/scene-heading':
    'AQQBAAcBBHJvb3QGKAABAAZfX3R5cGUBdwxzY3JpcHQtZ3JvdXAHAAEABigAAQIGX190eXBlAXcNc2NlbmUtaGVhZGluZwA=',
};

/**
 * The Yjs update that holds one empty block of `seedType` as the doc's first child, or
 * for `<group type>/<block type>` one group holding one empty block.
 */
export function emptyDocSeed(seedType: string): Uint8Array {
  const frozen = frozenEmptyDocSeeds[seedType];
  if (frozen === undefined) throw new Error(`no frozen empty-doc seed for block type ${JSON.stringify(seedType)}`);
  return Uint8Array.from(atob(frozen), (c) => c.charCodeAt(0));
}

/**
 * How the frozen seeds were made: one embedded XmlText block under client id 0, clocks 0
 * and 1; a grouped seed, one XmlText group embedding one XmlText block under client id 1.
 */
export function buildEmptyDocSeed(seedType: string): Uint8Array {
  const [groupType, blockType] = seedType.includes('/') ? seedType.split('/') : [null, seedType];
  const doc = new Y.Doc();
  doc.clientID = groupType ? groupedSeedClientId : seedClientId;
  // The root Lexical's binding uses (`doc.get('root', XmlText)`); a block is an embedded
  // XmlText whose `__type` attribute names the Lexical node type, and so is a group.
  const root = doc.get('root', Y.XmlText);
  doc.transact(() => {
    let parent = root;
    if (groupType) {
      parent = new Y.XmlText();
      root.insertEmbed(0, parent);
      parent.setAttribute('__type', groupType);
    }
    const block = new Y.XmlText();
    parent.insertEmbed(0, block);
    block.setAttribute('__type', blockType);
  });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** True when the doc has no blocks yet (never seeded, never edited). */
export function isDocEmpty(doc: Y.Doc): boolean {
  return doc.get('root', Y.XmlText).length === 0;
}

export const seedOrigin = Symbol('clapper-empty-doc-seed');

/** Applies the seed when the doc is empty; safe to call any number of times on any client. */
export function seedEmptyDoc(doc: Y.Doc, blockType: string): boolean {
  if (!isDocEmpty(doc)) return false;
  Y.applyUpdate(doc, emptyDocSeed(blockType), seedOrigin);
  return true;
}
