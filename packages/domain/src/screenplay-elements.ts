import { isSceneHeadingOrForced } from './screenplay-grammar.ts';

/**
 * Screenplay element types and the keyboard flow screenwriters expect (Final Draft /
 * Fountain conventions): Enter starts the element that usually follows, Tab cycles the
 * current element's type.
 */
export const screenplayElements = [
  'scene-heading',
  'action',
  'character',
  'parenthetical',
  'dialogue',
  'transition',
] as const;

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

/**
 * Parts of a script the writer does not pick from the toolbar but a Fountain file
 * carries, kept as blocks of their own so an import loses nothing and an export writes
 * them back: the title page (one block per key), `> centred <` text, `[[notes]]`,
 * `/* boneyard *\/`, `# sections`, `= synopses` and `===` page breaks. Notes, boneyard,
 * sections and synopses are never printed.
 */
export const extraScriptElements = [
  'title-page',
  'centered',
  'note',
  'boneyard',
  'section',
  'synopsis',
  'page-break',
] as const;

export type ExtraScriptElement = (typeof extraScriptElements)[number];

/** Every block kind a script doc holds (the Lexical node types / Yjs `__type`s). */
export type ScriptElement = ScreenplayElement | ExtraScriptElement;

export const scriptElements: readonly ScriptElement[] = [...screenplayElements, ...extraScriptElements];

export const scriptElementLabels: Record<ScriptElement, string> = {
  ...screenplayElementLabels,
  'title-page': 'Title page',
  centered: 'Centered',
  note: 'Note',
  boneyard: 'Boneyard',
  section: 'Section',
  synopsis: 'Synopsis',
  'page-break': 'Page break',
};

export function isScriptElement(value: unknown): value is ScriptElement {
  return typeof value === 'string' && (scriptElements as readonly string[]).includes(value);
}

/** One block of a script: its kind and its text (lines joined by `\n`). */
export interface ScriptBlock {
  readonly type: ScriptElement;
  readonly text: string;
}

const afterEnter: Record<ScriptElement, ScreenplayElement> = {
  'scene-heading': 'action',
  action: 'action',
  character: 'dialogue',
  parenthetical: 'dialogue',
  // A speech usually ends and the scene goes on; Tab on the new empty action turns it
  // into the next speaker's character cue.
  dialogue: 'action',
  transition: 'scene-heading',
  'title-page': 'action',
  centered: 'action',
  note: 'action',
  boneyard: 'action',
  section: 'scene-heading',
  synopsis: 'action',
  'page-break': 'scene-heading',
};

/** The element a new line starts as after Enter at the end of a non-empty `current`. */
export function elementAfterEnter(current: ScriptElement): ScreenplayElement {
  return afterEnter[current];
}

/**
 * What Enter on an EMPTY element turns it into instead of adding a line: screenwriters
 * press Enter twice to leave dialogue, so an empty dialogue/parenthetical/character
 * becomes action. Null: an empty element of this kind just adds a line.
 */
export function elementForEmptyEnter(current: ScriptElement): ScreenplayElement | null {
  return current === 'dialogue' || current === 'parenthetical' || current === 'character' ? 'action' : null;
}

/** Tab moves to the next type in `screenplayElements` order, Shift+Tab to the previous; both wrap. */
export function elementAfterTab(current: ScriptElement, backwards = false): ScreenplayElement {
  // An extra kind (note, section, ...) cycles as if it were action.
  const index = isScreenplayElement(current) ? screenplayElements.indexOf(current) : 1;
  const step = backwards ? -1 : 1;
  return screenplayElements[
    (index + step + screenplayElements.length) % screenplayElements.length
  ] as ScreenplayElement;
}

/** Ctrl/Cmd + digit: 1 = scene heading ... 6 = transition; null for any other digit. */
export function elementForShortcutDigit(digit: number): ScreenplayElement | null {
  return screenplayElements[digit - 1] ?? null;
}

/** Scene headings, character cues and transitions are written in capitals. */
export function isUppercaseElement(element: ScriptElement): boolean {
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

/** True when a line reads as a scene heading, natural (`INT.`, `EST`, ...) or forced (`.HEADING`). */
export function looksLikeSceneHeading(text: string): boolean {
  return isSceneHeadingOrForced(text);
}
