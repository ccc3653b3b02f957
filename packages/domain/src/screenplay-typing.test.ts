import { describe, expect, test } from 'vitest';
import { characterCueSuggestions, characterOfCue, startsParenthetical } from './screenplay-typing.ts';

describe('character cues', () => {
  test('[T1] a cue names its character without extensions, dual-dialogue caret or forcing @', () => {
    expect(characterOfCue('MARA')).toBe('MARA');
    expect(characterOfCue('MARA (V.O.)')).toBe('MARA');
    expect(characterOfCue("mara (cont'd)")).toBe('MARA');
    expect(characterOfCue('INSPECTOR  ADEYEMI (O.S.) ^')).toBe('INSPECTOR ADEYEMI');
    expect(characterOfCue('@McCLANE')).toBe('MCCLANE');
    expect(characterOfCue('(V.O.)')).toBe('');
    expect(characterOfCue('')).toBe('');
  });

  test('[T1] suggestions are the script’s characters starting with what is typed, most frequent first', () => {
    const cues = ['MARA', 'TOM', 'MARA (V.O.)', 'MARCUS', 'MARA', 'MARCUS', 'MAX', "TOM (CONT'D)"];
    expect(characterCueSuggestions(cues, 'ma')).toEqual(['MARA', 'MARCUS', 'MAX']);
    expect(characterCueSuggestions(cues, 'MARC')).toEqual(['MARCUS']);
    expect(characterCueSuggestions(cues, 'T')).toEqual(['TOM']);
    expect(characterCueSuggestions(cues, 'MA', 2)).toEqual(['MARA', 'MARCUS']);
  });

  test('[T1] nothing for an empty cue, a name typed in full, an unknown prefix or an extension being typed', () => {
    const cues = ['MARA', 'TOM'];
    expect(characterCueSuggestions(cues, '')).toEqual([]);
    expect(characterCueSuggestions(cues, '   ')).toEqual([]);
    expect(characterCueSuggestions(cues, 'MARA')).toEqual([]);
    expect(characterCueSuggestions(cues, 'ZED')).toEqual([]);
    expect(characterCueSuggestions(cues, 'MARA (')).toEqual([]);
    expect(characterCueSuggestions([], 'M')).toEqual([]);
  });

  test('[T1] equally frequent names come alphabetically; a forcing @ is ignored while typing', () => {
    expect(characterCueSuggestions(['SAM', 'SALLY', 'SAL'], 's')).toEqual(['SAL', 'SALLY', 'SAM']);
    expect(characterCueSuggestions(['McCLANE'], '@mc')).toEqual(['MCCLANE']);
  });
});

describe('parentheticals', () => {
  test('[T2] ( on an empty dialogue line starts a parenthetical, and nowhere else', () => {
    expect(startsParenthetical('dialogue', '', '(')).toBe(true);
    expect(startsParenthetical('dialogue', 'Hello', '(')).toBe(false);
    expect(startsParenthetical('action', '', '(')).toBe(false);
    expect(startsParenthetical('character', '', '(')).toBe(false);
    expect(startsParenthetical('dialogue', '', 'a')).toBe(false);
  });
});
