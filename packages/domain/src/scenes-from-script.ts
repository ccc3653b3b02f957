/**
 * "Build the shot list from the script": the scene headings of the screenplay, in script
 * order, become scenes on the board. Re-running it is safe: a heading that already has a
 * scene (same text, ignoring case and spacing) is left alone, and scenes that are not in
 * the script are never deleted — the crew may have added them, or shot them already.
 * The board is in shooting order, not script order, so matching is by heading, not by
 * position; new scenes are appended after `afterKey` in script order, for the crew to
 * drag into place.
 */
import { keysBetween } from './fractional-key.ts';
import { parseSceneHeading } from './screenplay-elements.ts';

export interface BoardScene {
  readonly id: string;
  readonly heading: string;
}

export interface SceneToCreate {
  /** The scene's position in the script, 1-based, as its scene number. */
  readonly number: string;
  readonly heading: string;
  readonly location: string;
  readonly timeOfDay: string;
  readonly sortKey: string;
}

export interface ScenesFromScriptPlan {
  readonly create: readonly SceneToCreate[];
  /** Board scenes each heading matched, by script position (null: created). */
  readonly matched: readonly (string | null)[];
  /** Ids of board scenes no heading matched. */
  readonly notInScript: readonly string[];
}

export function normalizeHeading(heading: string): string {
  return heading.trim().replace(/\s+/g, ' ').toUpperCase();
}

export function planScenesFromScript(
  headings: readonly string[],
  scenes: readonly BoardScene[],
  afterKey: string | null,
): ScenesFromScriptPlan {
  const unused = new Map<string, string[]>();
  for (const scene of scenes) {
    const key = normalizeHeading(scene.heading);
    if (!key) continue;
    const list = unused.get(key);
    if (list) list.push(scene.id);
    else unused.set(key, [scene.id]);
  }
  const matched: (string | null)[] = [];
  const missing: { index: number; heading: string }[] = [];
  headings.forEach((raw, index) => {
    const heading = raw.trim().replace(/\s+/g, ' ');
    const id = unused.get(normalizeHeading(heading))?.shift() ?? null;
    matched.push(id);
    if (id === null && heading) missing.push({ index, heading });
  });
  const keys = keysBetween(afterKey, null, missing.length);
  const create = missing.map(({ index, heading }, i) => {
    const parsed = parseSceneHeading(heading);
    return {
      number: String(index + 1),
      heading,
      location: parsed.location,
      timeOfDay: parsed.timeOfDay.toUpperCase(),
      sortKey: keys[i] as string,
    };
  });
  const used = new Set(matched.filter((id): id is string => id !== null));
  return { create, matched, notInScript: scenes.filter((scene) => !used.has(scene.id)).map((scene) => scene.id) };
}
