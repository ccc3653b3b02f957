/**
 * "Build the shot list from the script": the scene headings of the screenplay, in script
 * order, become scenes on the board. Re-running it is safe: a heading that already has a
 * scene (same text, ignoring case and spacing) is left alone, and scenes that are not in
 * the script are never deleted — the crew may have added them, or shot them already.
 * The board is in shooting order, not script order, so matching is by heading, not by
 * position; new scenes are appended after `afterKey` in script order, for the crew to
 * drag into place. Each scene's length in eighths comes from the script's pagination
 * (`paginateScript`): new scenes get it, and a matched scene whose length changed is
 * updated, so the board's page counts follow the script.
 */
import { compareKeys, keysBetween } from './fractional-key.ts';
import type { ScriptBlock } from './screenplay-elements.ts';
import { parseSceneHeading, splitSceneNumber } from './screenplay-grammar.ts';
import { paginateScript } from './script-pages.ts';

export interface BoardScene {
  readonly id: string;
  readonly heading: string;
  readonly pageEighths?: number | null;
  /** Board position: scenes with one heading pair with its script scenes in (sortKey, id) order. */
  readonly sortKey?: string;
}

/** A scene as the script has it: heading (without `#n#`), number, printed length. */
export interface ScriptScene {
  readonly heading: string;
  /** As printed: the heading's own `#12A#`, else its position in the script (`paginateScript`). */
  readonly number: string;
  readonly pageEighths: number | null;
  /** The number is written in the heading (`#12A#`): a production draft's locked number. */
  readonly numbered?: boolean;
}

/** The script's scenes in script order, lengths from the same pages the PDF prints. */
export function scenesFromScript(blocks: readonly ScriptBlock[]): ScriptScene[] {
  return paginateScript(blocks).scenes.map((scene) => ({
    heading: scene.heading,
    number: scene.number,
    pageEighths: scene.eighths,
    numbered: splitSceneNumber(blocks[scene.blockIndex]?.text ?? '').number !== null,
  }));
}

export interface SceneToCreate {
  /** The scene's number in the script: its heading's `#12A#`, else its position. */
  readonly number: string;
  /**
   * A script that writes numbers in its headings is a locked production draft: its scenes
   * arrive with their numbers locked (N2). Otherwise the board numbers them (N1/N3).
   */
  readonly numberLocked: boolean;
  readonly heading: string;
  readonly location: string;
  readonly timeOfDay: string;
  readonly sortKey: string;
  readonly pageEighths: number | null;
}

export interface ScenesFromScriptPlan {
  readonly create: readonly SceneToCreate[];
  /** Board scenes each heading matched, by script position (null: created). */
  readonly matched: readonly (string | null)[];
  /** Ids of board scenes no heading matched. */
  readonly notInScript: readonly string[];
  /** Matched scenes whose length in the script changed. */
  readonly updateEighths: readonly { readonly id: string; readonly pageEighths: number }[];
}

/** The heading as matched: no `#n#`, spacing and case ignored. */
export function normalizeHeading(heading: string): string {
  return splitSceneNumber(heading).heading.replace(/\s+/g, ' ').toUpperCase();
}

/**
 * Board scenes with one heading pair up with that heading's script scenes in one order
 * every device shares (S1's board order, then id), never in the order a local query
 * happened to return them: otherwise two devices could link a repeated heading's scenes
 * the other way round, and write each other's page counts back and forth.
 */
function inBoardOrder(scenes: readonly BoardScene[]): readonly BoardScene[] {
  // Without keys (callers holding scenes already in board order) the given order is it.
  if (!scenes.every((scene) => scene.sortKey !== undefined)) return scenes;
  return [...scenes].sort((a, b) => compareKeys(a.sortKey ?? '', b.sortKey ?? '') || compareKeys(a.id, b.id));
}

export function planScenesFromScript(
  script: readonly (string | ScriptScene)[],
  scenes: readonly BoardScene[],
  afterKey: string | null,
): ScenesFromScriptPlan {
  const unused = new Map<string, string[]>();
  for (const scene of inBoardOrder(scenes)) {
    const key = normalizeHeading(scene.heading);
    if (!key) continue;
    const list = unused.get(key);
    if (list) list.push(scene.id);
    else unused.set(key, [scene.id]);
  }
  const eighthsById = new Map(scenes.map((scene) => [scene.id, scene.pageEighths ?? null]));
  const matched: (string | null)[] = [];
  const missing: { scene: ScriptScene; heading: string }[] = [];
  const updateEighths: { id: string; pageEighths: number }[] = [];
  script.forEach((entry, index) => {
    const scene: ScriptScene =
      typeof entry === 'string' ? { heading: entry, number: String(index + 1), pageEighths: null } : entry;
    const split = splitSceneNumber(scene.heading);
    const heading = split.heading.replace(/\s+/g, ' ');
    const id = unused.get(normalizeHeading(heading))?.shift() ?? null;
    matched.push(id);
    if (id === null && heading) missing.push({ scene: { ...scene, number: split.number ?? scene.number }, heading });
    if (id !== null && scene.pageEighths !== null && eighthsById.get(id) !== scene.pageEighths) {
      updateEighths.push({ id, pageEighths: scene.pageEighths });
    }
  });
  const keys = keysBetween(afterKey, null, missing.length);
  const numberLocked = script.some((entry) => typeof entry !== 'string' && entry.numbered === true);
  const create = missing.map(({ scene, heading }, i) => {
    const parsed = parseSceneHeading(heading);
    return {
      number: scene.number,
      numberLocked,
      heading,
      location: parsed.location,
      timeOfDay: parsed.timeOfDay.toUpperCase(),
      sortKey: keys[i] as string,
      pageEighths: scene.pageEighths,
    };
  });
  const used = new Set(matched.filter((id): id is string => id !== null));
  return {
    create,
    matched,
    notInScript: scenes.filter((scene) => !used.has(scene.id)).map((scene) => scene.id),
    updateEighths,
  };
}

/**
 * The live half of PG7: the page eighths of board scenes linked to the script's scenes
 * (matched as Build from script matches) whose stored value differs from the script's;
 * nothing for a value already stored, so a window that writes these and then computes
 * again from the same script writes nothing.
 */
export function planSceneEighths(
  script: readonly ScriptScene[],
  scenes: readonly BoardScene[],
): readonly { readonly id: string; readonly pageEighths: number }[] {
  return planScenesFromScript(script, scenes, null).updateEighths;
}
