/**
 * Stripboard colours by the industry's convention (production-formats.md): INT/DAY
 * white, INT/NIGHT blue, EXT/DAY yellow, EXT/NIGHT green. A strip also carries its class
 * as a label (`EXT · NIGHT`), so colour is never the only signal.
 *
 * INT/EXT comes from the heading's prefix; `EST` counts as exterior, and so do mixed
 * prefixes (`INT./EXT.`, `I/E`): weather and daylight govern such a day. DAY/NIGHT comes
 * from the time of day: dawn and dusk take the night colours (the common practice, they
 * are shot in low light), `CONTINUOUS` or `LATER` says nothing, and a strip whose class is
 * unknown is grey.
 */
import { parseSceneHeading } from './screenplay-grammar.ts';

export type IntExt = 'INT' | 'EXT';
export type DayNight = 'DAY' | 'NIGHT';
export type StripColour = 'white' | 'blue' | 'yellow' | 'green' | 'grey';

export interface StripClass {
  readonly intExt: IntExt | null;
  readonly dayNight: DayNight | null;
  readonly colour: StripColour;
  /** What the strip says next to its colour: `INT · DAY`, `EXT · ?`. */
  readonly label: string;
}

/** Background and text of each strip colour; every pair reads at WCAG AA (4.5:1) or better. */
export const stripPalette: Readonly<Record<StripColour, { readonly background: string; readonly text: string }>> = {
  white: { background: '#ffffff', text: '#1b1c20' },
  blue: { background: '#b9d3f7', text: '#10223f' },
  yellow: { background: '#fbe98a', text: '#2b2300' },
  green: { background: '#b5e0b5', text: '#0f2a12' },
  grey: { background: '#e2e3e8', text: '#1b1c20' },
};

const dayWords = new Set(['DAY', 'MORNING', 'AFTERNOON', 'NOON', 'MIDDAY', 'DAYTIME']);
const nightWords = new Set([
  'NIGHT',
  'EVENING',
  'DUSK',
  'DAWN',
  'SUNSET',
  'SUNRISE',
  'MIDNIGHT',
  'TWILIGHT',
  'NIGHTTIME',
]);

/** `NIGHT`, `Late night`, `DAWN (FLASHBACK)` -> NIGHT; `CONTINUOUS`, '' -> null. */
export function dayNightOf(timeOfDay: string): DayNight | null {
  for (const word of timeOfDay.toUpperCase().split(/[^A-Z]+/)) {
    if (dayWords.has(word)) return 'DAY';
    if (nightWords.has(word)) return 'NIGHT';
  }
  return null;
}

/** `INT. KITCHEN - NIGHT` -> INT; `EXT/INT`, `I/E`, `EST.` -> EXT; no prefix -> null. */
export function intExtOf(heading: string): IntExt | null {
  const { intExt } = parseSceneHeading(heading);
  if (intExt === '') return null;
  return intExt === 'INT' ? 'INT' : 'EXT';
}

/** A scene's strip: its class from the heading and time of day, its colour and label. */
export function classifyStrip(scene: { readonly heading: string; readonly timeOfDay: string }): StripClass {
  const intExt = intExtOf(scene.heading);
  // The time of day field first; a heading typed without filling it still says it.
  const dayNight = dayNightOf(scene.timeOfDay) ?? dayNightOf(parseSceneHeading(scene.heading).timeOfDay);
  const colour: StripColour =
    intExt === null || dayNight === null
      ? 'grey'
      : intExt === 'INT'
        ? dayNight === 'DAY'
          ? 'white'
          : 'blue'
        : dayNight === 'DAY'
          ? 'yellow'
          : 'green';
  return { intExt, dayNight, colour, label: `${intExt ?? '?'} · ${dayNight ?? '?'}` };
}

/** WCAG 2 contrast ratio of two `#rrggbb` colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

function relativeLuminance(hex: string): number {
  const channels = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [
    number,
    number,
    number,
  ];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
