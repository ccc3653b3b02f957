import { expect, test } from 'vitest';
import { formatDuration, formatEighths } from './records.ts';

test('page lengths read as a stripboard prints them: eighths of a page, whole pages first', () => {
  expect(formatEighths(3)).toBe('3/8');
  expect(formatEighths(8)).toBe('1');
  expect(formatEighths(11)).toBe('1 3/8');
  expect(formatEighths(null)).toBe('');
  expect(formatEighths(0)).toBe('');
});

test('shot durations read as seconds under a minute and m:ss above', () => {
  expect(formatDuration(12)).toBe('12s');
  expect(formatDuration(75)).toBe('1:15');
  expect(formatDuration(600)).toBe('10:00');
  expect(formatDuration(null)).toBe('');
});
