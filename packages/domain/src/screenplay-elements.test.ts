import { describe, expect, test } from 'vitest';
import {
  elementAfterEnter,
  elementAfterTab,
  elementForEmptyEnter,
  elementForShortcutDigit,
  isUppercaseElement,
  looksLikeSceneHeading,
  type ScreenplayElement,
  screenplayElements,
  toCapitals,
} from './screenplay-elements.ts';
import { parseSceneHeading } from './screenplay-grammar.ts';

describe('screenplay elements', () => {
  test('a writer pressing Enter flows heading -> action, character -> dialogue -> action; Enter on an empty cue or line leaves it', () => {
    expect(elementAfterEnter('scene-heading')).toBe('action');
    expect(elementAfterEnter('action')).toBe('action');
    expect(elementAfterEnter('character')).toBe('dialogue');
    expect(elementAfterEnter('parenthetical')).toBe('dialogue');
    expect(elementAfterEnter('dialogue')).toBe('action');
    expect(elementAfterEnter('transition')).toBe('scene-heading');
    expect(elementForEmptyEnter('dialogue')).toBe('action');
    expect(elementForEmptyEnter('character')).toBe('action');
    expect(elementForEmptyEnter('action')).toBeNull();
  });

  test('Ctrl/Cmd+1..6 pick the elements in order; capitals keep caret offsets', () => {
    expect([1, 2, 3, 4, 5, 6].map(elementForShortcutDigit)).toEqual([...screenplayElements]);
    expect(elementForShortcutDigit(7)).toBeNull();
    expect(toCapitals('int. straße - day')).toBe('INT. STRAßE - DAY');
  });

  test('Tab cycles through every element and Shift+Tab undoes it', () => {
    let element: ScreenplayElement = 'scene-heading';
    const seen = new Set<string>();
    for (let i = 0; i < screenplayElements.length; i++) {
      seen.add(element);
      const next = elementAfterTab(element);
      expect(elementAfterTab(next, true)).toBe(element);
      element = next;
    }
    expect(element).toBe(screenplayElements[0]);
    expect(seen.size).toBe(screenplayElements.length);
  });

  test('headings, cues and transitions are capitalised; action and dialogue are not', () => {
    expect(screenplayElements.filter(isUppercaseElement)).toEqual(['scene-heading', 'character', 'transition']);
  });

  test('scene headings split into INT/EXT, location and time of day', () => {
    expect(parseSceneHeading('INT. KITCHEN - NIGHT')).toEqual({
      intExt: 'INT',
      location: 'KITCHEN',
      timeOfDay: 'NIGHT',
      number: null,
    });
    expect(parseSceneHeading('ext. harbour - pier 4 - dawn')).toEqual({
      intExt: 'EXT',
      location: 'harbour - pier 4',
      timeOfDay: 'dawn',
      number: null,
    });
    expect(parseSceneHeading('INT./EXT. CAR - DAY')).toEqual({
      intExt: 'INT/EXT',
      location: 'CAR',
      timeOfDay: 'DAY',
      number: null,
    });
    expect(parseSceneHeading('MONTAGE')).toEqual({ intExt: '', location: 'MONTAGE', timeOfDay: '', number: null });
    expect(looksLikeSceneHeading('INT. KITCHEN - NIGHT')).toBe(true);
    expect(looksLikeSceneHeading('.FLASHBACK')).toBe(true);
    expect(looksLikeSceneHeading('Interior design is her passion.')).toBe(false);
  });
});
