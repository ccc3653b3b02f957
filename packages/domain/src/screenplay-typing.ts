import type { ScriptElement } from './screenplay-elements.ts';

/**
 * What a screenwriting app does as the writer types (rules T1, T2 in SPEC.md): character
 * cues complete from the names the script already has, and `(` on an empty dialogue line
 * starts a parenthetical.
 */

/**
 * The character a cue names: capitals, without extensions (`(V.O.)`, `(CONT'D)`), the
 * dual-dialogue caret or a forcing `@`, spaces collapsed. Empty when it names no one.
 */
export function characterOfCue(cue: string): string {
  return cue
    .replace(/^\s*@/, '')
    .replace(/\^\s*$/, '')
    .replace(/\([^)]*\)?/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toUpperCase();
}

/**
 * Names to offer for a cue being typed (T1): the script's characters whose name starts
 * with what is typed (any case), most frequent first, then alphabetical; not the name
 * when it is already typed in full, nothing for an empty cue. `cues` are the texts of the
 * script's character cues, the one being typed excluded.
 */
export function characterCueSuggestions(cues: Iterable<string>, typed: string, limit = 5): string[] {
  const prefix = typed.replace(/^\s*@/, '').replace(/\s+/g, ' ').trimStart().toUpperCase();
  if (prefix === '' || prefix.includes('(')) return [];
  const counts = new Map<string, number>();
  for (const cue of cues) {
    const name = characterOfCue(cue);
    if (name !== '') counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts.entries()]
    .filter(([name]) => name.startsWith(prefix) && name !== prefix.trimEnd())
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, limit)
    .map(([name]) => name);
}

/**
 * T2: typing `(` at the start of an empty dialogue line turns it into a parenthetical
 * (holding the `(`), as a wryly goes between a cue and its dialogue.
 */
export function startsParenthetical(element: ScriptElement, blockText: string, typed: string): boolean {
  return element === 'dialogue' && blockText === '' && typed === '(';
}
