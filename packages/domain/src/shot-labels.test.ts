import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { nextShotLabel, shotLetters } from './shot-labels.ts';

describe('shot labels', () => {
  test('[S5] scene 12 gets 12A, 12B, … skipping I and O, which read as 1 and 0 on a slate', () => {
    const used = new Set<string>();
    const labels: string[] = [];
    for (let i = 0; i < 10; i++) {
      const label = nextShotLabel('12', used);
      labels.push(label);
      used.add(label);
    }
    expect(labels).toEqual(['12A', '12B', '12C', '12D', '12E', '12F', '12G', '12H', '12J', '12K']);
    expect(shotLetters).not.toMatch(/[IO]/);
  });

  test('[S5] after 12Z the series goes on with a round number: 12A2, 12B2, …', () => {
    const used = new Set([...shotLetters].map((letter) => `12${letter}`));
    expect(nextShotLabel('12', used)).toBe('12A2');
    used.add('12A2');
    expect(nextShotLabel('12', used)).toBe('12B2');
  });

  test('[S5] a label the crew typed by hand, or another device added, is not handed out again', () => {
    expect(nextShotLabel('4', new Set(['4A', '4C']))).toBe('4B');
    expect(nextShotLabel('4', new Set(['4B']))).toBe('4A');
  });

  test('[S5] whatever labels a scene has, the next one is new and belongs to the scene series', () => {
    const letter = fc.constantFrom(...shotLetters);
    const label = fc
      .tuple(letter, fc.integer({ min: 1, max: 3 }))
      .map(([l, round]) => `7${l}${round > 1 ? round : ''}`);
    fc.assert(
      fc.property(fc.array(fc.oneof(label, fc.string()), { maxLength: 80 }), (labels) => {
        const used = new Set(labels);
        const next = nextShotLabel('7', used);
        expect(used.has(next)).toBe(false);
        expect(next).toMatch(/^7[A-HJ-NP-Z]([2-9]|\d{2,})?$/);
      }),
    );
  });
});
