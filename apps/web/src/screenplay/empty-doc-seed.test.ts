import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { readScript } from '@clapper/collab/client';
import { scriptGroupType } from '@clapper/domain';
import { buildEmptyDocSeed, emptyDocSeed, frozenEmptyDocSeeds, seedEmptyDoc } from './empty-doc-seed.ts';

test('the frozen empty-doc seeds are exactly what buildEmptyDocSeed makes', () => {
  // Every client must apply byte-identical seeds forever, or old and new clients diverge.
  for (const type of Object.keys(frozenEmptyDocSeeds)) {
    expect(Buffer.from(emptyDocSeed(type)).toString('base64')).toBe(
      Buffer.from(buildEmptyDocSeed(type)).toString('base64'),
    );
  }
  expect(Object.keys(frozenEmptyDocSeeds).sort()).toEqual(['paragraph', 'scene-heading', 'script-group/scene-heading']);
});

test('a new script is seeded as one group holding one empty scene heading, beside (never over) the flat seed of older app versions', () => {
  const grouped = new Y.Doc();
  expect(seedEmptyDoc(grouped, 'script-group/scene-heading')).toBe(true);
  const root = grouped.get('root', Y.XmlText).toDelta() as { insert: Y.XmlText }[];
  expect(root).toHaveLength(1);
  expect(root[0]?.insert.getAttribute('__type')).toBe(scriptGroupType);
  expect(readScript(grouped).blocks).toEqual([{ type: 'scene-heading', text: '' }]);
  // An old and a new app seeding the same empty doc at once, in either order: both seeds
  // are kept (their struct ids differ), and the two copies are the same doc.
  const a = new Y.Doc();
  const b = new Y.Doc();
  Y.applyUpdate(a, emptyDocSeed('scene-heading'));
  Y.applyUpdate(a, emptyDocSeed('script-group/scene-heading'));
  Y.applyUpdate(b, emptyDocSeed('script-group/scene-heading'));
  Y.applyUpdate(b, emptyDocSeed('scene-heading'));
  expect(readScript(a).blocks).toHaveLength(2);
  expect(readScript(a)).toEqual(readScript(b));
  expect(Y.encodeStateAsUpdate(a)).toEqual(Y.encodeStateAsUpdate(b));
});
