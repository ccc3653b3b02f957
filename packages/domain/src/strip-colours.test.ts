import { describe, expect, test } from 'vitest';
import { classifyStrip, contrastRatio, stripPalette } from './strip-colours.ts';

const colourOf = (heading: string, timeOfDay = '') => classifyStrip({ heading, timeOfDay }).colour;

describe('strip colours', () => {
  test('[SC1] INT/DAY white, INT/NIGHT blue, EXT/DAY yellow, EXT/NIGHT green', () => {
    expect(colourOf('INT. KITCHEN', 'DAY')).toBe('white');
    expect(colourOf('INT. KITCHEN', 'NIGHT')).toBe('blue');
    expect(colourOf('EXT. CLIFF ROAD', 'DAY')).toBe('yellow');
    expect(colourOf('EXT. CLIFF ROAD', 'NIGHT')).toBe('green');
  });

  test('[SC1] the time of day may come from the heading; dawn and dusk take the night colours', () => {
    expect(colourOf('int. kitchen - night')).toBe('blue');
    expect(colourOf('EXT. PIER - DUSK')).toBe('green');
    expect(colourOf('EXT. PIER', 'DAWN')).toBe('green');
    expect(colourOf('INT. OFFICE', 'MORNING')).toBe('white');
    expect(colourOf('EXT. FIELD - DAY (FLASHBACK)')).toBe('yellow');
  });

  test('[SC1] establishing shots and mixed INT./EXT. headings count as exterior', () => {
    expect(colourOf('EST. BRIDGE - NIGHT')).toBe('green');
    expect(colourOf('INT./EXT. CAR - DAY')).toBe('yellow');
    expect(colourOf('I/E CAR', 'NIGHT')).toBe('green');
  });

  test('[SC2] unknown INT/EXT or DAY/NIGHT is grey, and the label says what is unknown', () => {
    expect(classifyStrip({ heading: 'INT. HALL - CONTINUOUS', timeOfDay: 'CONTINUOUS' })).toMatchObject({
      colour: 'grey',
      label: 'INT · ?',
    });
    expect(classifyStrip({ heading: '', timeOfDay: 'NIGHT' })).toMatchObject({ colour: 'grey', label: '? · NIGHT' });
    expect(classifyStrip({ heading: 'EXT. PIER', timeOfDay: 'DAY' }).label).toBe('EXT · DAY');
  });

  test('[SC2] every strip colour carries its text at WCAG AA contrast (4.5:1) or better', () => {
    for (const [colour, { background, text }] of Object.entries(stripPalette)) {
      expect(contrastRatio(text, background), colour).toBeGreaterThanOrEqual(4.5);
    }
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#777777')).toBeCloseTo(1, 5);
  });
});
