import { describe, expect, test } from 'vitest';
import {
  elementForTypedAction,
  isSceneHeadingLine,
  isSceneHeadingOrForced,
  isTransitionLine,
  isTypedCharacterCue,
  parseCharacterCue,
  parseSceneHeading,
  splitSceneNumber,
} from './screenplay-grammar.ts';

describe('the screenplay grammar', () => {
  test('[G1] headings start with INT, EXT, EST, INT./EXT, INT/EXT or I/E, in any case, then a period or a space', () => {
    for (const line of [
      'INT. KITCHEN - NIGHT',
      'INT KITCHEN',
      'EST. BRIDGE',
      'EXT. HARBOUR - DAWN',
      'INT./EXT. CAR - DAY',
      'INT/EXT CAR - DAY',
      'EXT/INT. BARN',
      'I/E. CAR - CONTINUOUS',
      'int. lower case',
      '  ext. indented - day  ',
    ]) {
      expect(isSceneHeadingLine(line), line).toBe(true);
    }
    for (const line of [
      'INTERIOR',
      'EXTRA',
      'INT.',
      'INT',
      'Into the night',
      'Establishing shot',
      'ESTATE AGENT',
      '',
    ]) {
      expect(isSceneHeadingLine(line), line).toBe(false);
    }
    expect(isSceneHeadingOrForced('.SNIPER SCOPE POV')).toBe(true);
    expect(isSceneHeadingOrForced('...and then')).toBe(false);
    expect(isSceneHeadingOrForced('. not forced')).toBe(false);
  });

  test('[G2] a heading splits into INT/EXT, location, time of day and its own scene number', () => {
    expect(parseSceneHeading('INT. HOUSE - DAY #12A#')).toEqual({
      intExt: 'INT',
      location: 'HOUSE',
      timeOfDay: 'DAY',
      number: '12A',
    });
    expect(parseSceneHeading('EST. BRIDGE')).toEqual({
      intExt: 'EST',
      location: 'BRIDGE',
      timeOfDay: '',
      number: null,
    });
    expect(parseSceneHeading('INT KITCHEN - NIGHT')).toEqual({
      intExt: 'INT',
      location: 'KITCHEN',
      timeOfDay: 'NIGHT',
      number: null,
    });
    expect(parseSceneHeading('I/E. CAR - DAY')).toMatchObject({ intExt: 'I/E', location: 'CAR' });
    expect(parseSceneHeading('.SNIPER SCOPE POV #3#')).toEqual({
      intExt: '',
      location: 'SNIPER SCOPE POV',
      timeOfDay: '',
      number: '3',
    });
    expect(splitSceneNumber('  EXT. PIER - DAY   #1.1-B#  ')).toEqual({ heading: 'EXT. PIER - DAY', number: '1.1-B' });
    expect(splitSceneNumber('EXT. PIER #not a number#x')).toEqual({
      heading: 'EXT. PIER #not a number#x',
      number: null,
    });
  });

  test('[G3] a cue is a name in capitals (Mc/Mac allowed) with extensions, dual ^ and forced @', () => {
    expect(parseCharacterCue('MAYA')).toEqual({ name: 'MAYA', extension: '', dual: false, forced: false });
    expect(parseCharacterCue("RADIO (V.O.) (CONT'D)")).toMatchObject({ name: 'RADIO', extension: "(V.O.) (CONT'D)" });
    expect(parseCharacterCue('HANS (on the radio)')).toMatchObject({ name: 'HANS', extension: '(on the radio)' });
    expect(parseCharacterCue('MAYA ^')).toMatchObject({ name: 'MAYA', dual: true });
    expect(parseCharacterCue('McCLANE')).toMatchObject({ name: 'McCLANE', forced: false });
    expect(parseCharacterCue('@Mrs. Penhallow')).toMatchObject({ name: 'Mrs. Penhallow', forced: true });
    expect(parseCharacterCue("MRS. O'HARA")).not.toBeNull();
    expect(parseCharacterCue('R2-D2')).not.toBeNull();
    for (const line of [
      'Maya',
      'mrs. penhallow',
      '23',
      'INT. HOUSE',
      'CUT TO:',
      'BANG!',
      'STOP?',
      'MAYA (unclosed',
      '',
    ]) {
      expect(parseCharacterCue(line), line).toBeNull();
    }
  });

  test('[G4] a transition is in capitals and ends in TO:', () => {
    expect(isTransitionLine('CUT TO:')).toBe(true);
    expect(isTransitionLine('  SMASH CUT TO:')).toBe(true);
    expect(isTransitionLine('Cut to:')).toBe(false);
    expect(isTransitionLine('FADE IN:')).toBe(false);
    expect(isTransitionLine('FADE OUT.')).toBe(false);
  });

  test('[G5] an action line the writer leaves becomes a heading or transition when it is one; a cue ended with Enter becomes a cue', () => {
    expect(elementForTypedAction('EXT. STREET - DAY')).toEqual({ type: 'scene-heading', text: 'EXT. STREET - DAY' });
    expect(elementForTypedAction('int kitchen')).toEqual({ type: 'scene-heading', text: 'int kitchen' });
    expect(elementForTypedAction('.THE SNIPER SCOPE POV')).toEqual({
      type: 'scene-heading',
      text: 'THE SNIPER SCOPE POV',
    });
    expect(elementForTypedAction('CUT TO:')).toEqual({ type: 'transition', text: 'CUT TO:' });
    expect(elementForTypedAction('She looks at the street.')).toBeNull();
    expect(elementForTypedAction('EXT. STREET\nmore')).toBeNull();
    expect(isTypedCharacterCue('MAYA')).toBe(true);
    expect(isTypedCharacterCue('MAYA (V.O.)')).toBe(true);
    expect(isTypedCharacterCue('BANG!')).toBe(false);
    expect(isTypedCharacterCue('Maya walks in.')).toBe(false);
  });
});
