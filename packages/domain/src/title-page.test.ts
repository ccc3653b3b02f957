import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseFountain } from './fountain-parse.ts';
import { projectNameForScript, scriptTitle } from './title-page.ts';

const sample = readFileSync(new URL('../test-data/the-last-lighthouse.fountain', import.meta.url), 'utf8');

describe('the title of an imported script', () => {
  test('[TP1] the title page names the project: emphasis gone, lines joined', () => {
    const blocks = parseFountain(sample);
    expect(scriptTitle(blocks)).toBe('THE LAST LIGHTHOUSE');
    expect(projectNameForScript(blocks, 'draft-7.fountain')).toBe('THE LAST LIGHTHOUSE');
    const twoLines = parseFountain(
      'Title:\n    _**BRICK & STEEL**_\n    _**FULL RETIRED**_\nAuthor: Stu\n\nINT. A - DAY\n',
    );
    expect(projectNameForScript(twoLines, 'x.fountain')).toBe('BRICK & STEEL FULL RETIRED');
  });

  test('[TP1] without a title, the file name without its extension; without either, Untitled', () => {
    const noTitle = parseFountain('Author: Someone\n\nINT. A - DAY\n');
    expect(scriptTitle(noTitle)).toBeNull();
    expect(projectNameForScript(noTitle, 'Night  Harbour v2.fountain')).toBe('Night Harbour v2');
    expect(projectNameForScript(parseFountain('INT. A - DAY\n'), 'C:\\scripts\\pilot.txt')).toBe('pilot');
    expect(projectNameForScript(parseFountain('Title: \nAuthor: X\n\nINT. A - DAY\n'), '.fountain')).toBe('Untitled');
  });

  test('[TP1] control characters become spaces, and a long title is cut at 200 UTF-16 units, never mid-character', () => {
    expect(projectNameForScript(parseFountain('Title: A\u0007B\u200bC\n\nINT. A - DAY\n'), 'x')).toBe('A B C');
    const long = projectNameForScript(parseFountain(`Title: ${'🎬'.repeat(150)}\n\nINT. A - DAY\n`), 'x');
    expect(long.length).toBe(200);
    expect(long).toBe('🎬'.repeat(100));
    const odd = projectNameForScript(parseFountain(`Title: a${'🎬'.repeat(150)}\n\nINT. A - DAY\n`), 'x');
    expect(odd).toBe(`a${'🎬'.repeat(99)}`);
  });
});
