import { describe, expect, test } from 'vitest';
import { formatDuration, formatPageLength, headingFields, parseDuration, parsePageLength } from './board-entry.ts';

const value = <T>(parsed: { ok: true; value: T | null } | { ok: false; error: string }) =>
  parsed.ok ? parsed.value : `error: ${parsed.error}`;

describe('what a crew types into the board', () => {
  test('[E1] pages in eighths: 1 3/8, 3/8, 2, 1.5, 1/2; empty clears', () => {
    expect(value(parsePageLength('1 3/8'))).toBe(11);
    expect(value(parsePageLength('3/8'))).toBe(3);
    expect(value(parsePageLength('2'))).toBe(16);
    expect(value(parsePageLength('1.5'))).toBe(12);
    expect(value(parsePageLength('1/2'))).toBe(4);
    expect(value(parsePageLength('11/8'))).toBe(11);
    expect(value(parsePageLength(' 2 4/8 pgs '))).toBe(20);
    expect(value(parsePageLength(''))).toBeNull();
  });

  test('[E1] a page length the field cannot take is an error naming the form, never a guess', () => {
    for (const bad of ['abc', '1 9/8', '1/3', '0', '1.3', '-1', '1 3/8 7/8', '5000']) {
      const parsed = parsePageLength(bad);
      expect(parsed.ok, bad).toBe(false);
      if (!parsed.ok) expect(parsed.error, bad).toMatch(/1 3\/8|1\/8|eighth/);
    }
  });

  test('[E1] eighths read back as typed: formatting then parsing is the identity', () => {
    for (let eighths = 1; eighths < 200; eighths++)
      expect(value(parsePageLength(formatPageLength(eighths)))).toBe(eighths);
    expect(formatPageLength(11)).toBe('1 3/8');
    expect(formatPageLength(null)).toBe('');
  });

  test('[E2] durations take 90 and 1:30 alike, and the usual spellings', () => {
    expect(value(parseDuration('90'))).toBe(90);
    expect(value(parseDuration('1:30'))).toBe(90);
    expect(value(parseDuration('01:02:03'))).toBe(3723);
    expect(value(parseDuration('90s'))).toBe(90);
    expect(value(parseDuration('1m30s'))).toBe(90);
    expect(value(parseDuration('2 min'))).toBe(120);
    expect(value(parseDuration('2.5'))).toBe(2.5);
    expect(value(parseDuration('0:02.5'))).toBe(2.5);
    expect(value(parseDuration(''))).toBeNull();
  });

  test('[E2] a duration the field cannot take is an error, never dropped', () => {
    for (const bad of ['abc', '1:75', '-5', '1:', ':30', '1:2:3:4', '100:00:00']) {
      const parsed = parseDuration(bad);
      expect(parsed.ok, bad).toBe(false);
      if (!parsed.ok) expect(parsed.error, bad).toMatch(/1:30/);
    }
  });

  test('[E2] durations show as minutes:seconds and read back the same', () => {
    expect(formatDuration(90)).toBe('1:30');
    expect(formatDuration(45)).toBe('0:45');
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(formatDuration(2.5)).toBe('0:02.5');
    for (const seconds of [0, 1, 59, 60, 61, 599, 3600, 3661, 2.5]) {
      expect(value(parseDuration(formatDuration(seconds)))).toBe(seconds);
    }
  });

  test('[E3] a heading typed on the board fills location and time of day, in capitals', () => {
    expect(headingFields('int. kitchen - night')).toEqual({
      heading: 'INT. KITCHEN - NIGHT',
      location: 'KITCHEN',
      timeOfDay: 'NIGHT',
    });
    expect(headingFields('EXT.  CLIFF ROAD -  DUSK #12A#')).toEqual({
      heading: 'EXT. CLIFF ROAD - DUSK',
      location: 'CLIFF ROAD',
      timeOfDay: 'DUSK',
    });
    // Without a time of day the scene keeps the one it has.
    expect(headingFields('INT. HALL')).toEqual({ heading: 'INT. HALL', location: 'HALL' });
    expect(headingFields('  ')).toEqual({ heading: '' });
  });
});
