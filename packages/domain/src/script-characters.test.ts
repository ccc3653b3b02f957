import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseFountain } from './fountain-parse.ts';
import {
  charactersByScriptScene,
  charactersOfBoardScenes,
  foldCharacterName,
  sameScriptCues,
  scriptCharacters,
  scriptCues,
} from './script-characters.ts';
import type { ScriptBlock } from './screenplay-elements.ts';

const script = parseFountain(`INT. LIGHTHOUSE - NIGHT #1#

Rain hammers the glass.

MARA (V.O.)
They never found the keeper.

TOM
Nobody looked.

MARA (CONT'D)
I did.

EXT. HARBOUR - DAWN #2#

Boats knock together.

@McCLANE
Morning.

BRICK ^
Morning.

INT. LIGHTHOUSE - NIGHT #3#

Silence.
`);

describe('characters from the script (CH)', () => {
  test('[CH1] a cue folds to the character: extensions, forcing, dual dialogue and case go', () => {
    expect(foldCharacterName('MARA (V.O.)')).toBe('MARA');
    expect(foldCharacterName("Mara (CONT'D)")).toBe('MARA');
    expect(foldCharacterName('MARA (O.S.) (CONT’D)')).toBe('MARA');
    expect(foldCharacterName("MARA CONT'D")).toBe('MARA');
    expect(foldCharacterName('@McCLANE')).toBe('MCCLANE');
    expect(foldCharacterName('BRICK ^')).toBe('BRICK');
    expect(foldCharacterName('  MRS.   O’HARA (into phone)  ')).toBe('MRS. O’HARA');
    expect(foldCharacterName('MARA (V.O.')).toBe('MARA');
    expect(foldCharacterName('(V.O.)')).toBe('');
  });

  test('[CH1] folding is idempotent and never leaves an extension or lower case', () => {
    const cue = fc
      .tuple(
        fc.constantFrom('MARA', 'Tom', 'McCLANE', 'R2-D2', 'MRS. O’HARA', ''),
        fc.array(fc.constantFrom(' (V.O.)', ' (O.S.)', " (CONT'D)", ' (O.C.)', ' (whispering)', ' ^', " CONT'D")),
        fc.boolean(),
      )
      .map(([name, extensions, forced]) => `${forced ? '@' : ''}${name}${extensions.join('')}`);
    fc.assert(
      fc.property(cue, (text) => {
        const folded = foldCharacterName(text);
        expect(foldCharacterName(folded)).toBe(folded);
        expect(folded).not.toMatch(/[()^@]|\p{Ll}|CONT'D$/u);
      }),
    );
  });

  test('[CH2] each script scene lists the characters with a cue in it, once, in name order', () => {
    expect(charactersByScriptScene(script)).toEqual([
      { heading: 'INT. LIGHTHOUSE - NIGHT', characters: ['MARA', 'TOM'] },
      { heading: 'EXT. HARBOUR - DAWN', characters: ['BRICK', 'MCCLANE'] },
      { heading: 'INT. LIGHTHOUSE - NIGHT', characters: [] },
    ]);
  });

  test('[CH2] cues before the first heading belong to no scene but are still characters of the script', () => {
    const blocks: ScriptBlock[] = [
      { type: 'character', text: 'NARRATOR (V.O.)' },
      { type: 'dialogue', text: 'Once.' },
      { type: 'scene-heading', text: '' },
      { type: 'scene-heading', text: 'INT. ROOM - DAY' },
      { type: 'character', text: 'ANA' },
    ];
    expect(charactersByScriptScene(blocks)).toEqual([{ heading: 'INT. ROOM - DAY', characters: ['ANA'] }]);
    expect(scriptCharacters(scriptCues(blocks))).toEqual([
      { name: 'ANA', scenes: 1 },
      { name: 'NARRATOR', scenes: 0 },
    ]);
  });

  test('[CH3] every character of the script, with the number of scenes they speak in', () => {
    expect(scriptCharacters(scriptCues(script))).toEqual([
      { name: 'BRICK', scenes: 1 },
      { name: 'MARA', scenes: 1 },
      { name: 'MCCLANE', scenes: 1 },
      { name: 'TOM', scenes: 1 },
    ]);
  });

  test('[CH4] board scenes get the characters of the script scene their heading matches, repeats in order', () => {
    const board = [
      { id: 'late', heading: 'int. lighthouse - night' },
      { id: 'harbour', heading: 'EXT. HARBOUR - DAWN' },
      { id: 'early', heading: 'INT. LIGHTHOUSE - NIGHT' },
      { id: 'pickup', heading: 'Second unit plates' },
    ];
    const characters = charactersOfBoardScenes(charactersByScriptScene(script), board);
    // Repeated headings pair up in board order, as Build from script pairs them.
    expect(characters.get('late')).toEqual(['MARA', 'TOM']);
    expect(characters.get('early')).toEqual([]);
    expect(characters.get('harbour')).toEqual(['BRICK', 'MCCLANE']);
    expect(characters.has('pickup')).toBe(false);
  });

  test('[CH2] two readings of a script are the same cues exactly when a heading, a scene’s characters or a name differ nowhere', () => {
    const same = scriptCues(script);
    expect(sameScriptCues(same, scriptCues([...script]))).toBe(true);
    // Typing action or dialogue changes no cue.
    expect(sameScriptCues(same, scriptCues([...script, { type: 'action', text: 'The tide turns.' }]))).toBe(true);
    const edited = (blocks: ScriptBlock[]) => expect(sameScriptCues(same, scriptCues(blocks))).toBe(false);
    edited(script.map((block) => (block.text === 'TOM' ? { ...block, text: 'TOMAS' } : block)));
    edited(
      script.map((block) => (block.text.startsWith('EXT. HARBOUR') ? { ...block, text: 'EXT. PIER - DAWN' } : block)),
    );
    edited([{ type: 'character', text: 'NARRATOR' }, ...script]);
    edited([...script, { type: 'character', text: 'MARA' }]);
    edited(script.filter((block) => !block.text.endsWith('#3#')));
  });
});
