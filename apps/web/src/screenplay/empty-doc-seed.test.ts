import { expect, test } from 'vitest';
import { buildEmptyDocSeed, emptyDocSeed, frozenEmptyDocSeeds } from './empty-doc-seed.ts';

test('the frozen empty-doc seeds are exactly what buildEmptyDocSeed makes', () => {
  // Every client must apply byte-identical seeds forever, or old and new clients diverge.
  for (const type of Object.keys(frozenEmptyDocSeeds)) {
    expect(Buffer.from(emptyDocSeed(type)).toString('base64')).toBe(
      Buffer.from(buildEmptyDocSeed(type)).toString('base64'),
    );
  }
  expect(Object.keys(frozenEmptyDocSeeds).sort()).toEqual(['paragraph', 'scene-heading']);
});
