import { expect, test } from 'vitest';
import { castNumberProblem, parseCastNumber } from './cast-actions.ts';

test('a cast number is a whole number from 1, or empty for crew; anything else is refused by name', () => {
  expect(parseCastNumber('1')).toBe(1);
  expect(parseCastNumber(' 12 ')).toBe(12);
  expect(parseCastNumber('')).toBeNull();
  expect(parseCastNumber('  ')).toBeNull();
  expect(castNumberProblem('7')).toBeNull();
  for (const bad of ['0', '-1', '1.5', 'lead', '1e3']) {
    expect(castNumberProblem(bad)).toMatch(/^Cast # must be/);
    expect(() => parseCastNumber(bad)).toThrow(
      `Cast # must be a whole number from 1 up, or empty for crew (not "${bad}")`,
    );
  }
});
