/**
 * Screenplay element types and the keyboard flow screenwriters expect (Final Draft /
 * Fountain conventions): Enter starts the element that usually follows, Tab cycles the
 * current element's type.
 */
export const screenplayElements = ['scene-heading', 'action', 'character', 'parenthetical', 'dialogue', 'transition'] as const;

export type ScreenplayElement = (typeof screenplayElements)[number];

export function isScreenplayElement(value: string): value is ScreenplayElement {
  return (screenplayElements as readonly string[]).includes(value);
}

const afterEnter: Record<ScreenplayElement, ScreenplayElement> = {
  'scene-heading': 'action',
  action: 'action',
  character: 'dialogue',
  parenthetical: 'dialogue',
  dialogue: 'character',
  transition: 'scene-heading',
};

/** The element a new line starts as after Enter at the end of `current`. */
export function elementAfterEnter(current: ScreenplayElement): ScreenplayElement {
  return afterEnter[current];
}

/** Tab moves to the next type in `screenplayElements` order, Shift+Tab to the previous; both wrap. */
export function elementAfterTab(current: ScreenplayElement, shift = false): ScreenplayElement {
  const index = screenplayElements.indexOf(current);
  const step = shift ? -1 : 1;
  return screenplayElements[(index + step + screenplayElements.length) % screenplayElements.length] as ScreenplayElement;
}

/** Scene headings, character cues and transitions are printed in capitals. */
export function isUppercaseElement(element: ScreenplayElement): boolean {
  return element === 'scene-heading' || element === 'character' || element === 'transition';
}

export interface SceneHeading {
  /** `INT`, `EXT`, `INT/EXT` or '' when the heading has no prefix. */
  readonly intExt: string;
  readonly location: string;
  readonly timeOfDay: string;
}

const headingPattern = /^\s*(INT\.?\/EXT|EXT\.?\/INT|I\/E|INT|EXT|EST)\.?\s+(.*)$/i;

/**
 * `INT. KITCHEN - NIGHT` -> {intExt: 'INT', location: 'KITCHEN', timeOfDay: 'NIGHT'}.
 * The time of day is the text after the last ` - `; headings without one keep it empty.
 */
export function parseSceneHeading(text: string): SceneHeading {
  const match = headingPattern.exec(text.trim());
  const intExt = match ? (match[1] as string).toUpperCase().replace(/\./g, '') : '';
  const rest = (match ? (match[2] as string) : text).trim();
  const dash = rest.lastIndexOf(' - ');
  if (dash < 0) return { intExt, location: rest, timeOfDay: '' };
  return { intExt, location: rest.slice(0, dash).trim(), timeOfDay: rest.slice(dash + 3).trim() };
}

/** True when a line reads as a scene heading (`INT.`/`EXT.` prefix, or a Fountain forced `.HEADING`). */
export function looksLikeSceneHeading(text: string): boolean {
  return headingPattern.test(text) || /^\.[A-Za-z0-9]/.test(text.trim());
}
