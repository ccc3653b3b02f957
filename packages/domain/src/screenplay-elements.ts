/**
 * Screenplay element types and the keyboard flow screenwriters expect (Final Draft /
 * Fountain conventions): Enter starts the element that usually follows, Tab cycles the
 * current element's type.
 */
export const screenplayElements = ['scene-heading', 'action', 'character', 'parenthetical', 'dialogue', 'transition'] as const;

export type ScreenplayElement = (typeof screenplayElements)[number];

export const screenplayElementLabels: Record<ScreenplayElement, string> = {
  'scene-heading': 'Scene heading',
  action: 'Action',
  character: 'Character',
  parenthetical: 'Parenthetical',
  dialogue: 'Dialogue',
  transition: 'Transition',
};

export function isScreenplayElement(value: unknown): value is ScreenplayElement {
  return typeof value === 'string' && (screenplayElements as readonly string[]).includes(value);
}

const afterEnter: Record<ScreenplayElement, ScreenplayElement> = {
  'scene-heading': 'action',
  action: 'action',
  character: 'dialogue',
  parenthetical: 'dialogue',
  // A speech usually ends and the scene goes on; Tab on the new empty action turns it
  // into the next speaker's character cue.
  dialogue: 'action',
  transition: 'scene-heading',
};

/** The element a new line starts as after Enter at the end of a non-empty `current`. */
export function elementAfterEnter(current: ScreenplayElement): ScreenplayElement {
  return afterEnter[current];
}

/**
 * What Enter on an EMPTY element turns it into instead of adding a line: screenwriters
 * press Enter twice to leave dialogue, so an empty dialogue/parenthetical/character
 * becomes action. Null: an empty element of this kind just adds a line.
 */
export function elementForEmptyEnter(current: ScreenplayElement): ScreenplayElement | null {
  return current === 'dialogue' || current === 'parenthetical' || current === 'character' ? 'action' : null;
}

/** Tab moves to the next type in `screenplayElements` order, Shift+Tab to the previous; both wrap. */
export function elementAfterTab(current: ScreenplayElement, backwards = false): ScreenplayElement {
  const index = screenplayElements.indexOf(current);
  const step = backwards ? -1 : 1;
  return screenplayElements[(index + step + screenplayElements.length) % screenplayElements.length] as ScreenplayElement;
}

/** Ctrl/Cmd + digit: 1 = scene heading ... 6 = transition; null for any other digit. */
export function elementForShortcutDigit(digit: number): ScreenplayElement | null {
  return screenplayElements[digit - 1] ?? null;
}

/** Scene headings, character cues and transitions are written in capitals. */
export function isUppercaseElement(element: ScreenplayElement): boolean {
  return element === 'scene-heading' || element === 'character' || element === 'transition';
}

/**
 * Capitalises `text` character by character, leaving any character whose capital has a
 * different length (e.g. ß -> SS) as it is, so caret offsets stay valid.
 */
export function toCapitals(text: string): string {
  let out = '';
  for (const char of text) {
    const upper = char.toUpperCase();
    out += upper.length === char.length ? upper : char;
  }
  return out;
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
