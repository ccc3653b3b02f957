import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { looksLikeFountain, parseFountain } from './fountain-parse.ts';
import { printFountain } from './fountain-print.ts';
import { printedText, styledRuns } from './fountain-emphasis.ts';
import type { ScriptBlock } from './screenplay-elements.ts';

const sample = readFileSync(new URL('../test-data/the-last-lighthouse.fountain', import.meta.url), 'utf8');

const kinds = (source: string) => parseFountain(source).map((block) => [block.type, block.text]);

describe('Fountain import, rule by rule (fountain.io)', () => {
  test('[F1] a title page opens the file: one block per key, indented lines continue a key', () => {
    const source =
      'Title:\n    _**BRICK & STEEL**_\n    _**FULL RETIRED**_\nCredit: Written by\nAuthor: Stu\nDraft date: 1/20/2012\n\nEXT. PATIO - DAY\n';
    expect(kinds(source)).toEqual([
      ['title-page', 'Title:\n_**BRICK & STEEL**_\n_**FULL RETIRED**_'],
      ['title-page', 'Credit: Written by'],
      ['title-page', 'Author: Stu'],
      ['title-page', 'Draft date: 1/20/2012'],
      ['scene-heading', 'EXT. PATIO - DAY'],
    ]);
    // "FADE IN:" is not a title page key, and a key later in the script is action.
    expect(kinds('FADE IN:\n\nTitle: nope\n')).toEqual([
      ['action', 'FADE IN:'],
      ['action', 'Title: nope'],
    ]);
  });

  test('[F2] scene headings: natural (INT KITCHEN, EST. BRIDGE, I/E), forced with ".", scene numbers kept', () => {
    expect(
      kinds('INT KITCHEN - DAY\n\nEST. BRIDGE\n\nI/E. CAR - NIGHT #7A#\n\n.SNIPER SCOPE POV\n\n...and then she ran.\n'),
    ).toEqual([
      ['scene-heading', 'INT KITCHEN - DAY'],
      ['scene-heading', 'EST. BRIDGE'],
      ['scene-heading', 'I/E. CAR - NIGHT #7A#'],
      ['scene-heading', 'SNIPER SCOPE POV'],
      ['action', '...and then she ran.'],
    ]);
  });

  test('[F3] action: paragraphs keep their lines and indentation (a tab is four spaces), "!" forces it', () => {
    expect(kinds('She runs.\nHe follows.\n\n\tThe door slams.\n\n!SCREAMING\nstill\n\n!CUT TO:\n')).toEqual([
      ['action', 'She runs.\nHe follows.'],
      ['action', '    The door slams.'],
      ['action', 'SCREAMING\nstill'],
      ['action', 'CUT TO:'],
    ]);
  });

  test('[F4] speeches: cue, parentheticals and dialogue; extensions, "@" and dual "^"; a cue needs a line under it', () => {
    const source = [
      "MAYA (V.O.) (CONT'D)",
      '(quietly)',
      'Line one.',
      'Line two.',
      '  ',
      'After a blank line.',
      '(beat)',
      'Last.',
      '',
      '@McClane',
      'Yippee.',
      '',
      'BRICK',
      'Screw retirement.',
      '',
      'STEEL ^',
      'Screw retirement.',
      '',
      'BANG',
      '',
      'mary',
      'lower-case names are action unless forced',
      '',
    ].join('\n');
    expect(kinds(source)).toEqual([
      ['character', "MAYA (V.O.) (CONT'D)"],
      ['parenthetical', '(quietly)'],
      ['dialogue', 'Line one.\nLine two.\n\nAfter a blank line.'],
      ['parenthetical', '(beat)'],
      ['dialogue', 'Last.'],
      ['character', 'McClane'],
      ['dialogue', 'Yippee.'],
      ['character', 'BRICK'],
      ['dialogue', 'Screw retirement.'],
      ['character', 'STEEL ^'],
      ['dialogue', 'Screw retirement.'],
      ['action', 'BANG'],
      ['action', 'mary\nlower-case names are action unless forced'],
    ]);
  });

  test('[F5] transitions end in TO: with a blank line after, or are forced with ">"', () => {
    expect(kinds('CUT TO:\n\n> FADE TO BLACK.\n\nCUT TO:\nthe chase\n')).toEqual([
      ['transition', 'CUT TO:'],
      ['transition', 'FADE TO BLACK.'],
      ['action', 'CUT TO:\nthe chase'],
    ]);
  });

  test('[F6] "> centred <" text', () => {
    expect(kinds('> THE END <\n\n>   INTERMISSION<\n')).toEqual([
      ['centered', 'THE END'],
      ['centered', 'INTERMISSION'],
    ]);
  });

  test('[F7] notes on lines of their own are note blocks; inline notes stay in the text', () => {
    expect(kinds('[[Ask the DP about the lens.]]\n\n[[A note\nover two lines]]\n\nShe waves. [[or nods?]]\n')).toEqual([
      ['note', 'Ask the DP about the lens.'],
      ['note', 'A note\nover two lines'],
      ['action', 'She waves. [[or nods?]]'],
    ]);
  });

  test('[F7] a line of two spaces keeps a blank line inside a note, and an export writes one there', () => {
    expect(kinds('[[First thought.\n  \nSecond thought.]]\n\nShe waves.\n')).toEqual([
      ['note', 'First thought.\n\nSecond thought.'],
      ['action', 'She waves.'],
    ]);
    const blocks: ScriptBlock[] = [{ type: 'note', text: 'One.\n\n\nTwo.' }];
    expect(printFountain(blocks)).toBe('[[One.\n  \n  \nTwo.]]\n');
    expect(parseFountain(printFountain(blocks))).toEqual(blocks);
  });

  test('[F8] boneyard: everything between /* and */ is kept as one block, never read as script', () => {
    expect(kinds('/*\nINT. CUT SCENE - DAY\n\nBOB\nHi.\n*/\n\nINT. KEPT - DAY\n\n/* short */ After it.\n')).toEqual([
      ['boneyard', '\nINT. CUT SCENE - DAY\n\nBOB\nHi.\n'],
      ['scene-heading', 'INT. KEPT - DAY'],
      ['boneyard', ' short '],
      ['action', 'After it.'],
    ]);
  });

  test("[F8] a boneyard opened inside a paragraph hides what it cuts: it stays in that paragraph's text", () => {
    const source =
      'She waves. /* cut:\n\nINT. GONE - DAY\n\nBOB\nBye.\n*/ Then leaves.\n\nMAYA\nHi. /* old\n\n(beat)\nline */\n\nINT. KEPT - DAY\n';
    expect(kinds(source)).toEqual([
      ['action', 'She waves. /* cut:\n\nINT. GONE - DAY\n\nBOB\nBye.\n*/ Then leaves.'],
      ['character', 'MAYA'],
      ['dialogue', 'Hi. /* old\n\n(beat)\nline */'],
      ['scene-heading', 'INT. KEPT - DAY'],
    ]);
    expect(parseFountain(printFountain(parseFountain(source)))).toEqual(parseFountain(source));
    // A "/*" that never closes is only text.
    expect(kinds('He types /* and waits.\n\nINT. A - DAY\n')).toEqual([
      ['action', 'He types /* and waits.'],
      ['scene-heading', 'INT. A - DAY'],
    ]);
  });

  test('[F9] sections "#" (depth kept) and synopses "="', () => {
    expect(kinds('# ACT ONE\n\n## The heist\n\n= They rob the bank.\n')).toEqual([
      ['section', '# ACT ONE'],
      ['section', '## The heist'],
      ['synopsis', 'They rob the bank.'],
    ]);
  });

  test('[F10] "===" is a page break', () => {
    expect(kinds('Before.\n\n===\n\nAfter.\n')).toEqual([
      ['action', 'Before.'],
      ['page-break', ''],
      ['action', 'After.'],
    ]);
  });

  test('[F11] emphasis stays in the text as written and prints as styles', () => {
    expect(kinds('The *dark* and **loud** _night_.\n')).toEqual([['action', 'The *dark* and **loud** _night_.']]);
    expect(styledRuns('_**BRICK**_ and ***both*** \\*not\\*')).toEqual([
      { text: 'BRICK', bold: true, italic: false, underline: true },
      { text: ' and ', bold: false, italic: false, underline: false },
      { text: 'both', bold: true, italic: true, underline: false },
      { text: ' *not*', bold: false, italic: false, underline: false },
    ]);
    expect(printedText('2 * 3 * 4 [[a note]] /* cut */done')).toBe('2 * 3 * 4  done');
  });

  test("[F11] bold inside italics: the italics close at their own star, not at the bold's", () => {
    expect(styledRuns('*so **very** dark*')).toEqual([
      { text: 'so ', bold: false, italic: true, underline: false },
      { text: 'very', bold: true, italic: true, underline: false },
      { text: ' dark', bold: false, italic: true, underline: false },
    ]);
    expect(printedText('****')).toBe('****');
  });

  test('[F13] pasted text is Fountain when it has a heading, a speech, a transition or a title page; prose is not', () => {
    expect(looksLikeFountain('INT. HOUSE - DAY\n\nShe waits.')).toBe(true);
    expect(looksLikeFountain('MAYA\nHello.')).toBe(true);
    expect(looksLikeFountain('Title: X\nAuthor: Y\n\nAction.')).toBe(true);
    expect(looksLikeFountain('Just a sentence.')).toBe(false);
    expect(looksLikeFountain('Two lines\nof prose.')).toBe(false);
    expect(looksLikeFountain('# A markdown title\n\nand text')).toBe(false);
  });

  test('[F14] Windows line ends, a byte-order mark and stray whitespace read the same as clean text', () => {
    const clean = 'INT. HOUSE - DAY\n\nMAYA\nHello.\n';
    expect(parseFountain(`\uFEFF${clean.replace(/\n/g, '\r\n')}`)).toEqual(parseFountain(clean));
    expect(parseFountain('   INT. HOUSE - DAY   \n\n\t\tMAYA\n\t\tHello.   \n')).toEqual(parseFountain(clean));
  });

  test('[F1] an indented title page is still a title page: keys at its own indent, values further in', () => {
    expect(kinds('\tTitle: Brick\n\tAuthor: Stu\n\nINT. A - DAY\n')).toEqual([
      ['title-page', 'Title: Brick'],
      ['title-page', 'Author: Stu'],
      ['scene-heading', 'INT. A - DAY'],
    ]);
    expect(kinds('  Title:\n      Brick\n  Author: Stu\n')).toEqual([
      ['title-page', 'Title:\nBrick'],
      ['title-page', 'Author: Stu'],
    ]);
  });

  test('[F1] a title page key may hold a hyphen or an underscore (Draft-date:), not only letters and spaces', () => {
    expect(kinds('Title: Brick\nDraft-date: 1 May\nWGA_number: 123\n\nINT. A - DAY\n')).toEqual([
      ['title-page', 'Title: Brick'],
      ['title-page', 'Draft-date: 1 May'],
      ['title-page', 'WGA_number: 123'],
      ['scene-heading', 'INT. A - DAY'],
    ]);
  });
});

describe('Fountain export', () => {
  test('[F12] each kind is written naturally when that reads back the same, forced otherwise', () => {
    const blocks: ScriptBlock[] = [
      { type: 'scene-heading', text: 'THE SNIPER SCOPE POV' },
      { type: 'action', text: 'CUT TO:' },
      { type: 'action', text: 'MAYA\nlooks up.' },
      { type: 'character', text: 'Mrs. Penhallow' },
      { type: 'dialogue', text: 'Hello.\n\nAgain.' },
      { type: 'transition', text: 'FADE OUT.' },
      { type: 'centered', text: 'THE END' },
    ];
    const text = printFountain(blocks);
    expect(text).toBe(
      '.THE SNIPER SCOPE POV\n\n!CUT TO:\n\n!MAYA\nlooks up.\n\n@Mrs. Penhallow\nHello.\n  \nAgain.\n\n> FADE OUT.\n\n> THE END <\n',
    );
    expect(parseFountain(text)).toEqual(blocks);
  });

  test('[F12] title-page blocks go first, empty blocks are skipped', () => {
    const text = printFountain([
      { type: 'action', text: '' },
      { type: 'scene-heading', text: 'INT. A - DAY' },
      { type: 'title-page', text: 'Contact:\nline 1\nline 2' },
      { type: 'title-page', text: 'Title: X' },
    ]);
    expect(text).toBe('Contact:\n    line 1\n    line 2\nTitle: X\n\nINT. A - DAY\n');
  });

  test('[F12] import -> export -> import: blank lines at the edge of an action paragraph, spacing in a forced heading', () => {
    // A closing line of two spaces (or a bare "!") added an empty line the export then dropped.
    for (const source of ['She runs.\n  \n\nINT. A - DAY\n', '!\nBANG\n', '.FLASHBACK   -   1985\n']) {
      const first = parseFountain(source);
      expect(parseFountain(printFountain(first))).toEqual(first);
    }
    expect(kinds('She runs.\n  \n')).toEqual([['action', 'She runs.']]);
    expect(kinds('.FLASHBACK   -   1985\n')).toEqual([['scene-heading', 'FLASHBACK - 1985']]);
  });

  test('[F12] a title page survives export -> import when a custom key comes first or a value has a blank line', () => {
    const blocks: ScriptBlock[] = [
      { type: 'title-page', text: 'Episode: 3' },
      { type: 'title-page', text: 'Title: Brick' },
      { type: 'title-page', text: 'Contact:\n1 Main St\n\n555-1234' },
      { type: 'scene-heading', text: 'INT. A - DAY' },
    ];
    expect(kinds(printFountain(blocks))).toEqual([
      ['title-page', 'Title: Brick'],
      ['title-page', 'Episode: 3'],
      ['title-page', 'Contact:\n1 Main St\n555-1234'],
      ['scene-heading', 'INT. A - DAY'],
    ]);
  });

  test('[F12] a whole screenplay: import -> export -> import gives the same elements, and export is stable', () => {
    const first = parseFountain(sample);
    const exported = printFountain(first);
    expect(parseFountain(exported)).toEqual(first);
    expect(printFountain(parseFountain(exported))).toBe(exported);
  });

  test('[F12] any well-formed sequence of blocks survives export -> import (randomized)', () => {
    const word = fc.constantFrom(
      'rain',
      'Maya',
      'the',
      'LIGHT',
      'door',
      'runs',
      '*dark*',
      'TO:',
      'INT.',
      '(beat)',
      '#3#',
      '--',
      'cut',
      'O.S.',
      '!',
      '@',
      '>',
      '=',
      '[[x]]',
    );
    const words = fc.array(word, { minLength: 1, maxLength: 8 }).map((list) => list.join(' '));
    const lines = fc.array(words, { minLength: 1, maxLength: 3 }).map((list) => list.join('\n'));
    const upper = words.map((text) => text.toUpperCase());
    const paren = words.map((text) => `(${text.replace(/[()]/g, '')})`);
    const speech = fc
      .tuple(
        upper,
        fc.array(
          fc.oneof(
            paren.map((text) => ({ type: 'parenthetical' as const, text })), // A dialogue line wholly in parentheses is a parenthetical in Fountain.
            words.map((text) => ({ type: 'dialogue' as const, text: text.startsWith('(') ? `so ${text}` : text })),
          ),
          { minLength: 1, maxLength: 3 },
        ),
      )
      .map(([cue, parts]) => [
        { type: 'character' as const, text: cue.replace(/[\^@]/g, '').trim() || 'X' },
        ...mergeDialogue(parts),
      ]);
    const single = fc.oneof(
      upper.map((text) => [{ type: 'scene-heading' as const, text }]),
      lines.map((text) => [{ type: 'action' as const, text }]),
      upper.map((text) => [{ type: 'transition' as const, text }]),
      words.map((text) => [{ type: 'centered' as const, text: text.replace(/[<>]/g, '') || 'x' }]),
      words.map((text) => [{ type: 'note' as const, text: text.replace(/[[\]]/g, '') || 'x' }]),
      words.map((text) => [{ type: 'synopsis' as const, text: text.replace(/^[=\s]+/, '') || 'x' }]),
      fc.constant([{ type: 'page-break' as const, text: '' }]),
      speech,
    );
    fc.assert(
      fc.property(fc.array(single, { maxLength: 12 }), (groups) => {
        const blocks: ScriptBlock[] = groups
          .flat()
          .map((block) => ({ ...block, text: block.type === 'action' ? block.text : block.text.trim() }))
          .filter((block) => block.type === 'page-break' || block.text !== '');
        expect(parseFountain(printFountain(blocks))).toEqual(blocks);
      }),
      { numRuns: 300 },
    );
  });
});

/** Two dialogue blocks in a row are one dialogue in Fountain. */
function mergeDialogue(
  parts: { type: 'parenthetical' | 'dialogue'; text: string }[],
): { type: 'parenthetical' | 'dialogue'; text: string }[] {
  const out: { type: 'parenthetical' | 'dialogue'; text: string }[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (last?.type === 'dialogue' && part.type === 'dialogue')
      out[out.length - 1] = { type: 'dialogue', text: `${last.text}\n${part.text}` };
    else out.push(part);
  }
  return out;
}
