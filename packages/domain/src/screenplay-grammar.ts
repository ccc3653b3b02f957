/**
 * The one screenplay grammar: what a scene heading, a character cue and a transition
 * look like, line by line (fountain.io's rules). The editor's "a heading typed on an
 * action line becomes a heading", the headless script reader, the Fountain parser and
 * Build from script all ask these functions, so they never disagree.
 */

// INT, EXT, EST, INT./EXT, INT/EXT, EXT/INT, I/E — any case — then a period or a space
// and some text. "INTERIOR", "EXTRA" and a bare "INT." are not headings.
const headingPrefix = /^(INT\.?\s*\/\s*EXT|EXT\.?\s*\/\s*INT|I\s*\/\s*E|INT|EXT|EST)(?:\.\s*|\s+)(?=\S)/i;
// A forced heading starts with one period (". " and "..." are not forced headings).
const forcedHeading = /^\.(?![.\s])/;
// `#12A#` at the end of a heading: letters, digits, dashes and periods (fountain.io).
const sceneNumberSuffix = /\s*#([A-Za-z0-9.-]+)#\s*$/;

/** A line written as a natural (unforced) scene heading: `INT. KITCHEN - NIGHT`, `EST. BRIDGE`, `int kitchen`. */
export function isSceneHeadingLine(line: string): boolean {
  return headingPrefix.test(line.trim());
}

/** A natural scene heading, or a Fountain forced one (`.SNIPER SCOPE POV`). */
export function isSceneHeadingOrForced(line: string): boolean {
  const trimmed = line.trim();
  return headingPrefix.test(trimmed) || forcedHeading.test(trimmed);
}

export interface SceneHeading {
  /** `INT`, `EXT`, `EST`, `INT/EXT`, `I/E` or '' when the heading has no prefix. */
  readonly intExt: string;
  readonly location: string;
  readonly timeOfDay: string;
  /** The scene number written into the heading (`#12A#`), or null. */
  readonly number: string | null;
}

/**
 * `INT. KITCHEN - NIGHT #4#` -> {intExt: 'INT', location: 'KITCHEN', timeOfDay: 'NIGHT', number: '4'}.
 * The time of day is the text after the last ` - `; headings without one keep it empty.
 */
export function parseSceneHeading(text: string): SceneHeading {
  const { heading, number } = splitSceneNumber(text);
  const unforced = heading.replace(forcedHeading, '');
  const match = headingPrefix.exec(unforced);
  const intExt = match ? (match[1] as string).toUpperCase().replace(/[.\s]/g, '') : '';
  const rest = (match ? unforced.slice(match[0].length) : unforced).trim();
  const dash = rest.lastIndexOf(' - ');
  if (dash < 0) return { intExt, location: rest, timeOfDay: '', number };
  return { intExt, location: rest.slice(0, dash).trim(), timeOfDay: rest.slice(dash + 3).trim(), number };
}

/** `INT. HOUSE - DAY #12A#` -> {heading: 'INT. HOUSE - DAY', number: '12A'}; trims. */
export function splitSceneNumber(text: string): { heading: string; number: string | null } {
  const trimmed = text.trim();
  const match = sceneNumberSuffix.exec(trimmed);
  if (!match) return { heading: trimmed, number: null };
  return { heading: trimmed.slice(0, match.index).trim(), number: match[1] as string };
}

export interface CharacterCue {
  /** The name as written, without extensions: `MAYA`, `McCLANE`. */
  readonly name: string;
  /** Extensions as written, e.g. `(V.O.)` or `(O.S.) (CONT'D)`; '' when none. */
  readonly extension: string;
  /** Dual dialogue: the cue ends in `^` (this speech sits beside the previous one). */
  readonly dual: boolean;
  /** Written with Fountain's `@`: any text is a cue then. */
  readonly forced: boolean;
}

// Capitals, digits and the punctuation names carry (R2-D2, MRS. O'HARA, TOM & JERRY, #2).
const cueName = /^[\p{Lu}\p{Lt}\p{N}][\p{Lu}\p{Lt}\p{N} .'’\-&#/,]*$/u;
// Mc/Mac surnames keep their lower-case letters (McCLANE, MacLEOD).
const mcPrefix = /\b(Mc|Mac)(?=\p{Lu})/gu;

/**
 * Reads a line as a character cue: in capitals (an extension in parentheses may be in any
 * case), containing a letter, or forced with `@`. Says nothing about context: a cue must
 * also be followed by dialogue, which only the caller knows.
 */
export function parseCharacterCue(line: string): CharacterCue | null {
  let text = line.trim();
  const forced = text.startsWith('@');
  if (forced) text = text.slice(1).trim();
  const dual = text.endsWith('^');
  if (dual) text = text.slice(0, -1).trim();
  if (!text) return null;
  const paren = text.indexOf('(');
  const name = (paren < 0 ? text : text.slice(0, paren)).trim();
  const extension = paren < 0 ? '' : text.slice(paren).trim();
  if (forced) return name ? { name, extension, dual, forced } : { name: text, extension: '', dual, forced };
  if (!name || !/\p{L}/u.test(name) || name.length > 50) return null;
  if (!cueName.test(name.replace(mcPrefix, 'MC'))) return null;
  if (extension && !/^(\([^()]*\)\s*)+$/.test(extension)) return null;
  if (isSceneHeadingLine(text) || isTransitionLine(text)) return null;
  return { name, extension, dual, forced };
}

/** A natural transition: capitals, ending in `TO:` (`CUT TO:`, `SMASH CUT TO:`). */
export function isTransitionLine(line: string): boolean {
  const trimmed = line.trim();
  return /\bTO:$/.test(trimmed) && !/\p{Ll}/u.test(trimmed);
}

/** What an Action line the writer just left should become, and its text then; null: stays action. */
export function elementForTypedAction(text: string): { type: 'scene-heading' | 'transition'; text: string } | null {
  const trimmed = text.trim();
  if (!trimmed || trimmed.includes('\n')) return null;
  if (isSceneHeadingLine(trimmed)) return { type: 'scene-heading', text: trimmed };
  if (forcedHeading.test(trimmed)) return { type: 'scene-heading', text: trimmed.slice(1) };
  if (isTransitionLine(trimmed)) return { type: 'transition', text: trimmed };
  return null;
}

/**
 * Whether an Action line ended with Enter is a character cue (the next line then is its
 * dialogue): a natural cue in capitals, or `@name`. Punctuation a name never has
 * ("BANG!", "STOP?") keeps a shouted action line action.
 */
export function isTypedCharacterCue(text: string): boolean {
  const trimmed = text.trim();
  if (!trimmed || trimmed.includes('\n')) return false;
  return parseCharacterCue(trimmed) !== null;
}
