/**
 * Characters as the script gives them: every character cue, folded to the name a cast
 * list and a casting use (`MARA (V.O.)`, `Mara (CONT'D)` and `@Mara ^` are all `MARA`),
 * and the characters of each scene, matched to the board's scenes the way Build from
 * script matches them (by heading, `planScenesFromScript`).
 */
import { type BoardScene, planScenesFromScript } from './scenes-from-script.ts';
import type { ScriptBlock } from './screenplay-elements.ts';
import { splitSceneNumber } from './screenplay-grammar.ts';

// CONT'D written without parentheses (`MARA CONT'D`), with either apostrophe or none.
const bareContinued = /(^|\s+)CONT['’]?D\.?$/i;

/**
 * The character a cue names: without `@` (forced), `^` (dual dialogue) and every
 * extension — `(V.O.)`, `(O.S.)`, `(O.C.)`, `(CONT'D)`, `(into phone)` — in upper case
 * with single spaces. '' when nothing is left.
 */
export function foldCharacterName(cue: string): string {
  let text = cue.trim().replace(/^@/, '');
  text = text
    .replace(/\([^()]*\)?/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  // Extensions written outside parentheses, in any order at the end: `^`, CONT'D.
  for (let before = ''; before !== text;) {
    before = text;
    text = text
      .replace(/\s*\^$/, '')
      .replace(bareContinued, '')
      .trim();
  }
  return text.toUpperCase();
}

export interface ScriptSceneCharacters {
  /** The scene heading, without its `#n#`. */
  readonly heading: string;
  /** Each character with a cue in the scene, once, in name order. */
  readonly characters: readonly string[];
}

/**
 * The script's scenes in order, each with the characters who speak in it. A scene runs
 * from a (non-empty) scene heading to the next; cues before the first heading belong to
 * no scene.
 */
export function charactersByScriptScene(blocks: readonly ScriptBlock[]): ScriptSceneCharacters[] {
  const scenes: { heading: string; characters: Set<string> }[] = [];
  for (const block of blocks) {
    if (block.type === 'scene-heading') {
      const heading = splitSceneNumber(block.text).heading;
      if (heading !== '') scenes.push({ heading, characters: new Set() });
    } else if (block.type === 'character') {
      const name = foldCharacterName(block.text);
      const scene = scenes[scenes.length - 1];
      if (name !== '' && scene) scene.characters.add(name);
    }
  }
  return scenes.map(({ heading, characters }) => ({ heading, characters: sortNames(characters) }));
}

export interface ScriptCharacter {
  readonly name: string;
  /** How many scenes the character speaks in (0: only before the first heading). */
  readonly scenes: number;
}

/**
 * All the cast views need of a script (a few hundred names, not its thousands of blocks),
 * so a window can get it from a worker's reading of a long script.
 */
export interface ScriptCues {
  /** The script's scenes in order, each with its characters (`charactersByScriptScene`). */
  readonly scenes: readonly ScriptSceneCharacters[];
  /** Every character with a cue anywhere, in name order, also those before the first heading. */
  readonly names: readonly string[];
}

export function scriptCues(blocks: readonly ScriptBlock[]): ScriptCues {
  const names = new Set<string>();
  for (const block of blocks) {
    if (block.type !== 'character') continue;
    const name = foldCharacterName(block.text);
    if (name !== '') names.add(name);
  }
  return { scenes: charactersByScriptScene(blocks), names: sortNames(names) };
}

export function sameScriptCues(a: ScriptCues, b: ScriptCues): boolean {
  const sameList = (x: readonly string[], y: readonly string[]) =>
    x.length === y.length && x.every((item, index) => item === y[index]);
  return (
    sameList(a.names, b.names) &&
    a.scenes.length === b.scenes.length &&
    a.scenes.every(
      (scene, index) =>
        scene.heading === b.scenes[index]?.heading && sameList(scene.characters, b.scenes[index].characters),
    )
  );
}

/** Every character with a cue anywhere in the script, in name order, with their scene count. */
export function scriptCharacters(cues: ScriptCues): ScriptCharacter[] {
  const counts = new Map<string, number>(cues.names.map((name) => [name, 0]));
  for (const scene of cues.scenes) {
    for (const name of scene.characters) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return sortNames(counts.keys()).map((name) => ({ name, scenes: counts.get(name) ?? 0 }));
}

/**
 * The characters of each board scene (by scene id), from the script scene its heading
 * matches; board scenes the script lacks are absent (the caller shows them with none).
 */
export function charactersOfBoardScenes(
  scriptScenes: readonly ScriptSceneCharacters[],
  boardScenes: readonly BoardScene[],
): Map<string, readonly string[]> {
  const { matched } = planScenesFromScript(
    scriptScenes.map((scene) => scene.heading),
    boardScenes,
    null,
  );
  const result = new Map<string, readonly string[]>();
  matched.forEach((sceneId, index) => {
    if (sceneId !== null) result.set(sceneId, scriptScenes[index]?.characters ?? []);
  });
  return result;
}

function sortNames(names: Iterable<string>): string[] {
  return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
