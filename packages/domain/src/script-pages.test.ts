import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseFountain } from './fountain-parse.ts';
import { printedText } from './fountain-emphasis.ts';
import type { ScriptBlock } from './screenplay-elements.ts';
import { formatEighths, type PrintedFragment, type ScriptPage, pageLayout, paginateScript } from './script-pages.ts';

const sample = readFileSync(new URL('../test-data/the-last-lighthouse.fountain', import.meta.url), 'utf8');

const b = (type: ScriptBlock['type'], text: string): ScriptBlock => ({ type, text });
const actions = (count: number, text = 'A line.') => Array.from({ length: count }, () => b('action', text));

/** Rows of body text (fragments other than scene numbers), as `row: text`. */
function rowsOf(page: ScriptPage): Map<number, PrintedFragment[]> {
  const rows = new Map<number, PrintedFragment[]>();
  for (const fragment of page.fragments) {
    if (fragment.kind === 'scene-number') continue;
    rows.set(fragment.row, [...(rows.get(fragment.row) ?? []), fragment]);
  }
  return rows;
}

function lastRow(page: ScriptPage): PrintedFragment[] {
  const rows = rowsOf(page);
  return rows.get(Math.max(...rows.keys())) ?? [];
}

/** Invariants every paginated script keeps, whatever its content. */
function expectIndustryPages(blocks: readonly ScriptBlock[]) {
  const { pages, scenes } = paginateScript(blocks);
  pages.forEach((page, index) => {
    expect(page.number).toBe(index + 1);
    for (const fragment of page.fragments) {
      expect(fragment.row).toBeGreaterThanOrEqual(0);
      expect(fragment.row).toBeLessThan(pageLayout.linesPerPage);
      // Nothing runs past the right margin (scene numbers live in it).
      if (fragment.kind !== 'scene-number')
        expect(fragment.x + fragment.text.length * 0.1).toBeLessThanOrEqual(7.5 + 1e-9);
    }
    const foot = lastRow(page);
    if (index < pages.length - 1 && foot.length > 0) {
      // [PG2] [PG4] no heading, cue or parenthetical alone at a page's foot.
      expect(foot.map((f) => f.kind)).not.toContain('scene-heading');
      expect(foot.map((f) => f.kind)).not.toContain('character');
      expect(foot.map((f) => f.kind)).not.toContain('parenthetical');
    }
    // No transition opens a page.
    if (index > 0) expect(rowsOf(page).get(0)?.[0]?.kind).not.toBe('transition');
    if (foot.some((f) => f.kind === 'more')) {
      const next = pages[index + 1] as ScriptPage;
      const top = rowsOf(next).get(0) ?? [];
      expect(top[0]?.text).toMatch(/\(CONT'D\)$/);
    }
  });
  for (const scene of scenes) expect(scene.eighths).toBeGreaterThanOrEqual(1);
  return { pages, scenes };
}

describe('industry pages', () => {
  test('[PG1] US Letter, Courier 12 pt: 55 lines a page, one blank line between elements, standard columns', () => {
    const { pages } = paginateScript(actions(30));
    expect(pages).toHaveLength(2);
    expect(pages[0]?.fragments.map((f) => f.row)).toEqual(Array.from({ length: 28 }, (_, i) => i * 2));
    expect(pages[1]?.fragments.map((f) => f.row)).toEqual([0, 2]);
    const speech = paginateScript([
      b('scene-heading', 'int. kitchen - night'),
      b('action', 'word '.repeat(30).trim()),
      b('character', 'MAYA'),
      b('parenthetical', '(quietly)'),
      b('dialogue', 'word '.repeat(20).trim()),
      b('transition', 'CUT TO:'),
    ]).pages[0] as ScriptPage;
    const body = speech.fragments.filter((f) => f.kind !== 'scene-number');
    expect(body.map((f) => [f.row, f.kind, f.x, f.text])).toEqual([
      [0, 'scene-heading', 1.5, 'INT. KITCHEN - NIGHT'],
      [2, 'action', 1.5, 'word '.repeat(12).trim()],
      [3, 'action', 1.5, 'word '.repeat(12).trim()],
      [4, 'action', 1.5, 'word '.repeat(6).trim()],
      [6, 'character', 3.7, 'MAYA'],
      [7, 'parenthetical', 3.1, '(quietly)'],
      [8, 'dialogue', 2.5, 'word '.repeat(7).trim()],
      [9, 'dialogue', 2.5, 'word '.repeat(7).trim()],
      [10, 'dialogue', 2.5, 'word '.repeat(6).trim()],
      [12, 'transition', 7.5 - 0.7, 'CUT TO:'],
    ]);
  });

  test('[PG2] a heading never ends a page: it moves to the next with its first lines', () => {
    // 27 one-line actions fill rows 0..52; the heading would be alone on row 54.
    const blocks = [...actions(27), b('scene-heading', 'EXT. PIER - DAY'), b('action', 'Gulls.')];
    const { pages, scenes } = paginateScript(blocks);
    expect(pages).toHaveLength(2);
    expect(scenes[0]).toMatchObject({ page: 2, row: 0 });
    expect(rowsOf(pages[1] as ScriptPage).get(2)?.[0]?.text).toBe('Gulls.');
    // 25 actions fill rows 0..48: the heading (50) and two more rows (52, 53) would fit, but
    // what follows may not break there (one sentence, a speech): the heading would be left alone.
    const oneSentence = `${'word '.repeat(70)}end.`;
    const speech = [b('character', 'MAYA'), b('dialogue', `${'word '.repeat(40)}end.`)];
    for (const after of [[b('action', oneSentence)], speech]) {
      const moved = paginateScript([...actions(25), b('scene-heading', 'EXT. PIER - DAY'), ...after]);
      expect(moved.scenes[0]).toMatchObject({ page: 2, row: 0 });
      expect(lastRow(moved.pages[0] as ScriptPage)[0]?.text).toBe('A line.');
    }
    // A heading opening a page keeps its text even when that text has no allowed break.
    const long = paginateScript([
      ...actions(3),
      b('scene-heading', 'EXT. PIER - DAY'),
      b('action', `${'word '.repeat(700)}end.`),
    ]);
    expect(long.scenes[0]).toMatchObject({ page: 2, row: 0 });
    expect(rowsOf(long.pages[1] as ScriptPage).get(2)?.[0]?.kind).toBe('action');
  });

  test('a transition never opens a page: the last lines before it go along', () => {
    // 28 actions fill rows 0..54: CUT TO: would open page 2; the last action goes with it.
    const short = paginateScript([...actions(28), b('transition', 'CUT TO:'), b('scene-heading', 'INT. B - DAY')]);
    expect(lastRow(short.pages[0] as ScriptPage)[0]?.row).toBe(52);
    expect([...rowsOf(short.pages[1] as ScriptPage).values()].flat().map((f) => f.text)).toEqual([
      'A line.',
      'CUT TO:',
      'INT. B - DAY',
    ]);
    // Nor does it take a heading's only line along, leaving the heading alone at the foot.
    const afterHeading = paginateScript([
      ...actions(26),
      b('scene-heading', 'INT. A - DAY'),
      b('action', 'One line.'),
      b('transition', 'CUT TO:'),
    ]);
    expect(afterHeading.scenes[0]).toMatchObject({ page: 2, row: 0 });
    // A paragraph breaks after a sentence so that two of its lines go along; a speech, with (MORE).
    const sentence = `${'word '.repeat(11)}end.`; // one 60-character row
    const paragraph = b('action', Array.from({ length: 8 }, () => sentence).join(' '));
    const line = `${'word '.repeat(6)}end.`; // one 35-character dialogue row
    const speech = [b('character', 'MAYA'), b('dialogue', Array.from({ length: 8 }, () => line).join(' '))];
    for (const before of [[paragraph], speech]) {
      const { pages } = paginateScript([...actions(23), ...before, b('transition', 'CUT TO:')]);
      const top = [...rowsOf(pages[1] as ScriptPage).values()].flat();
      expect(top.at(-1)?.text).toBe('CUT TO:');
      expect(top.filter((f) => f.kind === 'action' || f.kind === 'dialogue')).toHaveLength(2);
    }
  });

  test('[PG3] action breaks only after a sentence, keeping two lines or more on each side', () => {
    const sentence = `${'word '.repeat(11)}end.`; // exactly one 60-character row
    const paragraph = [sentence, sentence, sentence, sentence, sentence, sentence].join(' ');
    // 25 actions fill rows 0..48; the paragraph starts at row 50 with 5 rows of room.
    const { pages } = paginateScript([...actions(25), b('action', paragraph)]);
    const first = [...rowsOf(pages[0] as ScriptPage).values()].flat().filter((f) => f.text.startsWith('word'));
    const second = [...rowsOf(pages[1] as ScriptPage).values()].flat();
    // Five rows would fit, but one alone would go over: four here, two there.
    expect(first).toHaveLength(4);
    expect(second).toHaveLength(2);
    // Not enough room for two lines: the whole paragraph moves.
    const moved = paginateScript([...actions(27), b('action', paragraph)]).pages;
    expect([...rowsOf(moved[1] as ScriptPage).values()].flat()).toHaveLength(6);
    // No sentence ends where the page does: the paragraph moves rather than breaking mid-sentence.
    const oneSentence = `${'word '.repeat(70)}end.`;
    const kept = paginateScript([...actions(25), b('action', oneSentence)]).pages;
    expect([...rowsOf(kept[0] as ScriptPage).values()].flat().filter((f) => f.text.startsWith('word'))).toHaveLength(0);
    expect([...rowsOf(kept[1] as ScriptPage).values()].flat()).toHaveLength(6);
  });

  test('[PG3] [PG4] a sentence ending inside a line is a break point too: the rest of the line opens the next page', () => {
    // Rows of 60 (action) or 35 (dialogue) characters: some end mid-sentence, with sentence ends inside.
    const text = 'Go on now. '.repeat(40).trim();
    const printedText = (fragments: readonly PrintedFragment[]) =>
      fragments
        .filter((f) => f.kind === 'action' || f.kind === 'dialogue')
        .map((f) => f.text)
        .join(' ');
    // 25 actions fill rows 0..48; the paragraph starts at row 50 with 5 rows of room.
    const action = paginateScript([...actions(25), b('action', text)]).pages;
    const here = (action[0] as ScriptPage).fragments.filter((f) => f.row >= 50);
    expect(here).toHaveLength(5);
    // The page ends where a sentence does, inside what was its last row.
    expect(here[4]?.text).toMatch(/now\.$/);
    expect(here[4]?.text.length).toBeLessThan(55);
    expect(printedText(action.flatMap((page) => page.fragments)).replace(/^(A line\. )+/, '')).toBe(text);
    // Dialogue the same, with (MORE) and (CONT'D).
    const speech = paginateScript([...actions(25), b('character', 'MAYA'), b('dialogue', text)]).pages;
    const foot = rowsOf(speech[0] as ScriptPage);
    expect(foot.get(54)?.[0]?.kind).toBe('more');
    expect(foot.get(53)?.[0]?.text).toMatch(/now\.$/);
    expect(rowsOf(speech[1] as ScriptPage).get(0)?.[0]?.text).toBe("MAYA (CONT'D)");
    expect(printedText(speech.flatMap((page) => page.fragments)).replace(/^(A line\. )+/, '')).toBe(text);
    expectIndustryPages([...actions(25), b('action', text), b('character', 'MAYA'), b('dialogue', text)]);
  });

  test("[PG4] dialogue breaking across pages: (MORE) under the last line, the cue again with (CONT'D)", () => {
    const sentence = `${'word '.repeat(6)}end.`; // one 35-character dialogue row
    const speech = [
      b('character', 'MAYA (V.O.)'),
      b('parenthetical', '(low)'),
      b('dialogue', Array.from({ length: 8 }, () => sentence).join(' ')),
    ];
    // 24 actions fill rows 0..46; the speech starts at 48: cue, paren, 4 rows, (MORE) fill 48..54.
    const { pages } = paginateScript([...actions(24), ...speech]);
    const foot = rowsOf(pages[0] as ScriptPage);
    expect(foot.get(48)?.[0]?.text).toBe('MAYA (V.O.)');
    expect(foot.get(54)?.[0]).toMatchObject({ text: '(MORE)', kind: 'more', x: 3.7 });
    const top = rowsOf(pages[1] as ScriptPage);
    expect(top.get(0)?.[0]).toMatchObject({ text: "MAYA (V.O.) (CONT'D)", kind: 'character', x: 3.7 });
    expect([...top.values()].flat().filter((f) => f.kind === 'dialogue')).toHaveLength(4);
    // A cue already marked (CONT'D) is not marked twice.
    const again = paginateScript([
      ...actions(24),
      b('character', "MAYA (CONT'D)"),
      b('dialogue', Array.from({ length: 8 }, () => sentence).join(' ')),
    ]);
    expect(rowsOf(again.pages[1] as ScriptPage).get(0)?.[0]?.text).toBe("MAYA (CONT'D)");
    const curly = paginateScript([
      ...actions(24),
      b('character', 'MAYA (CONT’D)'),
      b('dialogue', Array.from({ length: 8 }, () => sentence).join(' ')),
    ]);
    expect(rowsOf(curly.pages[1] as ScriptPage).get(0)?.[0]?.text).toBe('MAYA (CONT’D)');
    // Room for the cue and a parenthetical only: the speech moves whole.
    const moved = paginateScript([...actions(26), ...speech]).pages;
    expect(rowsOf(moved[1] as ScriptPage).get(0)?.[0]?.text).toBe('MAYA (V.O.)');
    // Two lines or more under the cue: room for the cue, one line and (MORE) only (52..54),
    // and the speech moves whole.
    const bare = [b('character', 'MAYA'), b('dialogue', Array.from({ length: 6 }, () => sentence).join(' '))];
    const whole = paginateScript([...actions(26), ...bare]).pages;
    expect(whole.flatMap((page) => page.fragments).filter((f) => f.kind === 'more')).toEqual([]);
    expect(rowsOf(whole[1] as ScriptPage).get(0)?.[0]?.text).toBe('MAYA');
  });

  test("[PG5] scene numbers in both margins (the heading's own #n# or its position), page numbers, a title page", () => {
    const result = paginateScript([
      b('title-page', 'Title: _**THE LAST LIGHTHOUSE**_'),
      b('title-page', 'Credit: Written by'),
      b('title-page', 'Author: A. Writer'),
      b('title-page', 'Draft date: 1 Dec 2026'),
      b('title-page', 'Contact:\n12 Harbour Road'),
      b('scene-heading', 'INT. A - DAY'),
      b('scene-heading', 'INT. B - DAY #7A#'),
      b('scene-heading', 'INT. C - DAY'),
    ]);
    const numbers = (result.pages[0] as ScriptPage).fragments.filter((f) => f.kind === 'scene-number');
    expect(numbers.map((f) => [f.row, f.text, f.x < 1.5 ? 'left' : 'right'])).toEqual([
      [0, '1', 'left'],
      [0, '1', 'right'],
      [2, '7A', 'left'],
      [2, '7A', 'right'],
      [4, '3', 'left'],
      [4, '3', 'right'],
    ]);
    expect(result.scenes.map((s) => [s.number, s.heading])).toEqual([
      ['1', 'INT. A - DAY'],
      ['7A', 'INT. B - DAY'],
      ['3', 'INT. C - DAY'],
    ]);
    // A heading added to a numbered draft doesn't print the number a later heading has (3).
    const added = paginateScript(
      ['INT. A - DAY #1#', 'INT. B - DAY #2#', 'INT. NEW - DAY', 'INT. C - DAY #3#', 'INT. D - DAY'].map((text) =>
        b('scene-heading', text),
      ),
    );
    expect(added.scenes.map((s) => s.number)).toEqual(['1', '2', '2A', '3', '5']);
    // A number written in lower case or with spaces prints as the board shows it.
    const typed = paginateScript([b('scene-heading', 'INT. A - DAY #12a#')]);
    expect(typed.scenes[0]?.number).toBe('12A');
    expect(typed.pages[0]?.fragments.filter((f) => f.kind === 'scene-number').map((f) => f.text)).toEqual([
      '12A',
      '12A',
    ]);
    const title = result.titlePage ?? [];
    const titleLine = title.find((f) => f.text === 'THE LAST LIGHTHOUSE');
    expect(titleLine?.runs[0]).toMatchObject({ bold: true, underline: true });
    expect(titleLine?.x).toBeCloseTo(4.25 - 1.9 / 2);
    expect(titleLine?.row).toBeGreaterThan(10);
    expect(title.find((f) => f.text === '12 Harbour Road')).toMatchObject({ x: 1.5 });
    expect(title.find((f) => f.text === '1 Dec 2026')?.x).toBeCloseTo(7.5 - 1.0);
    expect(paginateScript([b('action', 'x')]).titlePage).toBeNull();
  });

  test('[PG6] === starts a new page; notes, boneyard, sections and synopses are not printed', () => {
    const { pages } = paginateScript([
      b('section', '# ACT ONE'),
      b('synopsis', 'They meet.'),
      b('action', 'Before. [[inline note]]'),
      b('note', 'A note.'),
      b('boneyard', ' cut '),
      b('page-break', ''),
      b('centered', 'THE END'),
    ]);
    expect(pages.map((page) => page.fragments.map((f) => f.text))).toEqual([['Before.'], ['THE END']]);
    expect(pages[1]?.fragments[0]?.x).toBeCloseTo(4.5 - 0.35);
  });

  test('[PG6] an inline note or boneyard running over several lines is not printed either', () => {
    const { pages } = paginateScript([
      b('action', 'She waves. [[or maybe\nshe nods?]] Then leaves.'),
      b('character', 'BOB'),
      b('dialogue', 'Hi. /* cut:\n\nINT. GONE - DAY\n*/ Bye.'),
    ]);
    expect(pages[0]?.fragments.map((f) => f.text)).toEqual(['She waves.  Then leaves.', 'BOB', 'Hi.  Bye.']);
  });

  test('[PG6] a lyric (a line opening with ~) prints in italics without its tilde, in action or dialogue', () => {
    const { pages } = paginateScript([
      b('action', '~Row, row, row your boat'),
      b('character', 'BOB'),
      b('dialogue', 'Sing it.\n~ Gently down the **stream**'),
    ]);
    const fragments = pages[0]?.fragments ?? [];
    expect(fragments.map((f) => f.text)).toEqual([
      'Row, row, row your boat',
      'BOB',
      'Sing it.',
      'Gently down the stream',
    ]);
    expect(fragments[0]?.runs).toEqual([
      { text: 'Row, row, row your boat', bold: false, italic: true, underline: false },
    ]);
    expect(fragments[2]?.runs.every((run) => !run.italic)).toBe(true);
    expect(fragments[3]?.runs).toEqual([
      { text: 'Gently down the ', bold: false, italic: true, underline: false },
      { text: 'stream', bold: true, italic: true, underline: false },
    ]);
  });

  test("[PG7] a scene's length in eighths runs from its heading to the next, rounded, never under 1/8", () => {
    const blocks = [
      b('scene-heading', 'INT. A - DAY'),
      ...actions(27),
      b('scene-heading', 'INT. B - DAY'),
      b('scene-heading', 'INT. C - DAY'),
      ...actions(40),
    ];
    const { scenes } = paginateScript(blocks);
    // A: rows 0..54 of page 1 -> B at page 2 row 0: 55 rows = 8/8.
    expect(scenes.map((s) => [s.heading, s.page, s.row, s.eighths])).toEqual([
      ['INT. A - DAY', 1, 0, 8],
      ['INT. B - DAY', 2, 0, 1],
      ['INT. C - DAY', 2, 2, 12],
    ]);
    expect([1, 5, 8, 19, 16].map(formatEighths)).toEqual(['1/8', '5/8', '1', '2 3/8', '2']);
    // The scenes on a page add up to 8/8: three of 18 rows each (2.6/8) are not 3/8 each.
    const thirds = paginateScript(
      ['A', 'B', 'C', 'D'].flatMap((name) => [b('scene-heading', `INT. ${name} - DAY`), ...actions(8)]),
    ).scenes;
    expect(thirds.map((s) => [s.page, s.row, s.eighths])).toEqual([
      [1, 0, 3],
      [1, 18, 2],
      [1, 36, 3],
      [2, 0, 2],
    ]);
    // A page and three eighths: 55 + 22 rows.
    const long = paginateScript([
      b('scene-heading', 'INT. A - DAY'),
      ...actions(38),
      b('scene-heading', 'INT. B - DAY'),
    ]);
    expect(long.scenes.map((s) => [s.page, s.row, s.eighths])).toEqual([
      [1, 0, 11],
      [2, 22, 1],
    ]);
    // The sample's scenes add up to its full pages.
    const sampleScenes = paginateScript(parseFountain(sample)).scenes;
    const fullPages = sampleScenes.filter((s) => s.page < 3);
    expect(fullPages.at(-1)?.number).toBe('6');
    expect(fullPages.reduce((sum, s) => sum + s.eighths, 0)).toBe(16);
  });

  test('[PG8] dual dialogue sits in two columns side by side', () => {
    const { pages } = paginateScript([
      b('character', 'BRICK'),
      b('dialogue', 'Screw retirement.'),
      b('character', 'STEEL ^'),
      b('dialogue', 'Screw retirement.'),
    ]);
    const rows = rowsOf(pages[0] as ScriptPage);
    expect(rows.get(0)?.map((f) => [f.text, f.x])).toEqual([
      ['BRICK', 2.4],
      ['STEEL', 5.4],
    ]);
    expect(rows.get(1)?.map((f) => f.x)).toEqual([1.5, 4.5]);
  });

  test('a whole screenplay end to end: every printed word is on a page, eight scenes, industry breaks', () => {
    const blocks = parseFountain(sample);
    const { pages, scenes } = expectIndustryPages(blocks);
    expect(scenes.map((s) => s.number)).toEqual(['1', '2', '3', '4', '5', '6', '7A', '8']);
    expect(scenes.map((s) => s.heading)).toContain("I/E. JONAH'S CAR - NIGHT");
    // The === before the storm section starts scene 7A on a new page.
    expect(scenes.find((s) => s.number === '7A')).toMatchObject({ row: 0 });
    const printedWords = pages
      .flatMap((page) => page.fragments.filter((f) => f.kind !== 'scene-number').map((f) => f.text))
      .join(' ')
      .split(/\s+/)
      .filter(Boolean);
    const expectedWords = blocks
      .filter((block) =>
        ['scene-heading', 'action', 'parenthetical', 'dialogue', 'transition', 'centered'].includes(block.type),
      )
      .flatMap((block) =>
        printedText(block.text.replace(/\s*#[^#]+#$/, ''))
          .split(/\s+/)
          .filter(Boolean),
      );
    expect(printedWords.slice(0, 20).join(' ').toUpperCase()).toBe(expectedWords.slice(0, 20).join(' ').toUpperCase());
    for (const word of expectedWords) expect(printedWords.map((w) => w.toUpperCase())).toContain(word.toUpperCase());
    expect(printedWords).not.toContain('CHAPEL'); // boneyard
    expect(printedWords).not.toContain('locations:'); // note
  });

  test('any script keeps the page rules (randomized, up to ~20 pages)', () => {
    const text = fc
      .array(
        fc.constantFrom(
          'The',
          'door',
          'opens.',
          'She',
          'runs',
          'to',
          'the',
          'window!',
          'Why?',
          'rain',
          'falls',
          'softly',
          'on',
          'the',
          'harbour',
        ),
        { minLength: 1, maxLength: 90 },
      )
      .map((words) => words.join(' '));
    const block = fc.oneof(
      fc.constant([b('scene-heading', 'INT. ROOM - DAY')]),
      text.map((t) => [b('action', t)]),
      fc
        .tuple(text, fc.boolean(), text)
        .map(([t, paren, u]) => [
          b('character', 'MAYA'),
          ...(paren ? [b('parenthetical', '(beat)')] : []),
          b('dialogue', t),
          b('dialogue', u),
        ]),
      fc.constant([b('transition', 'CUT TO:')]),
    );
    fc.assert(
      fc.property(fc.array(block, { maxLength: 80 }), (groups) => {
        expectIndustryPages(groups.flat());
      }),
      { numRuns: 60 },
    );
  });
});
