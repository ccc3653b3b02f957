// The screenplay's block kinds and the keyboard flow between them. Pure data: the
// Lexical nodes and keyboard plugin read it; nothing here touches the editor.

/** Element kinds in the order Tab cycles through them (and Ctrl/Cmd+1..6 selects them). */
export const screenplayElementTypes = [
  'scene-heading',
  'action',
  'character',
  'parenthetical',
  'dialogue',
  'transition',
] as const;

export type ScreenplayElementType = (typeof screenplayElementTypes)[number];

export const screenplayElementLabels: Record<ScreenplayElementType, string> = {
  'scene-heading': 'Scene heading',
  action: 'Action',
  character: 'Character',
  parenthetical: 'Parenthetical',
  dialogue: 'Dialogue',
  transition: 'Transition',
};

export function isScreenplayElementType(value: unknown): value is ScreenplayElementType {
  return typeof value === 'string' && (screenplayElementTypes as readonly string[]).includes(value);
}

/** What Enter at the end of a non-empty element creates next. */
const nextOnEnter: Record<ScreenplayElementType, ScreenplayElementType> = {
  'scene-heading': 'action',
  action: 'action',
  character: 'dialogue',
  parenthetical: 'dialogue',
  // A speech usually ends and the scene goes on; Tab on the new empty action turns it
  // into the next speaker's character cue.
  dialogue: 'action',
  transition: 'scene-heading',
};

export function elementAfterEnter(current: ScreenplayElementType): ScreenplayElementType {
  return nextOnEnter[current];
}

/**
 * What Enter on an EMPTY element turns it into instead of adding a line: screenwriters
 * press Enter twice to leave dialogue, so an empty dialogue/parenthetical/character
 * becomes action. Null: an empty element of this kind just adds a line.
 */
export function elementForEmptyEnter(current: ScreenplayElementType): ScreenplayElementType | null {
  return current === 'dialogue' || current === 'parenthetical' || current === 'character' ? 'action' : null;
}

/** Tab moves forward through `screenplayElementTypes`, Shift+Tab backward, wrapping. */
export function elementAfterTab(current: ScreenplayElementType, backwards: boolean): ScreenplayElementType {
  const count = screenplayElementTypes.length;
  const index = screenplayElementTypes.indexOf(current);
  const next = (index + (backwards ? count - 1 : 1)) % count;
  return screenplayElementTypes[next] as ScreenplayElementType;
}

/** Ctrl/Cmd + digit: 1 = scene heading ... 6 = transition; null for any other digit. */
export function elementForShortcutDigit(digit: number): ScreenplayElementType | null {
  return screenplayElementTypes[digit - 1] ?? null;
}

/** Kinds written in capitals in a screenplay (Fountain relies on it for character cues). */
export function isUppercaseElement(type: ScreenplayElementType): boolean {
  return type === 'scene-heading' || type === 'character' || type === 'transition';
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
