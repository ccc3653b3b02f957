/**
 * The title page from Fountain's title-page keys: title centred about a third of the way
 * down, then credit, author(s) and source under it; contact, notes and copyright at the
 * bottom left, draft date (or date, revision) at the bottom right.
 */
import { type StyledRun, printedText, styledRuns } from './fountain-emphasis.ts';
import type { ScriptBlock } from './screenplay-elements.ts';
import type { PrintedFragment } from './script-pages.ts';

export interface TitlePageField {
  /** Lower-case key: `title`, `credit`, `author`, `draft date`, ... */
  readonly key: string;
  readonly lines: readonly string[];
}

/** `Title: X` / `Contact:\nline\nline` blocks -> fields. */
export function parseTitlePageBlocks(texts: readonly string[]): TitlePageField[] {
  return texts.map((text) => {
    const [first = '', ...rest] = text.split('\n');
    const colon = first.indexOf(':');
    const key = (colon < 0 ? first : first.slice(0, colon)).trim().toLowerCase();
    const value = colon < 0 ? '' : first.slice(colon + 1).trim();
    return {
      key,
      lines: [...(value ? [value] : []), ...rest.map((line) => line.trim())].filter((line) => line !== ''),
    };
  });
}

/** The title page's Title as printed (emphasis marks gone, its lines joined by spaces), or null. */
export function scriptTitle(blocks: readonly ScriptBlock[]): string | null {
  const fields = parseTitlePageBlocks(blocks.filter((block) => block.type === 'title-page').map((block) => block.text));
  const title = fields.find((field) => field.key === 'title');
  const text = title ? printedText(title.lines.join(' ')).replace(/\s+/g, ' ').trim() : '';
  return text === '' ? null : text;
}

/** Longest project name the server takes. */
const projectNameMax = 200;

/**
 * The name of a project made from an imported script (TP1): the title page's Title, else
 * the file's name without its extension, else `Untitled`; single-spaced, without control
 * characters, at most 200 characters.
 */
export function projectNameForScript(blocks: readonly ScriptBlock[], fileName: string): string {
  const clean = (text: string) =>
    text
      .replace(/\p{C}+/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  const fromFile = clean(fileName.replace(/^.*[\\/]/, '').replace(/\.[A-Za-z0-9]{1,10}$/, ''));
  const name = clean(scriptTitle(blocks) ?? '') || fromFile || 'Untitled';
  // The server counts UTF-16 units; never cut a character in half.
  let fitted = '';
  for (const char of name) {
    if (fitted.length + char.length > projectNameMax) break;
    fitted += char;
  }
  return fitted.trim();
}

const centredKeys = ['title', 'credit', 'author', 'authors', 'source'];
const rightKeys = ['draft date', 'date', 'revision'];
const titleRow = 16;
const bottomRow = 54;

export function layoutTitlePage(texts: readonly string[]): PrintedFragment[] {
  const fields = parseTitlePageBlocks(texts);
  const out: PrintedFragment[] = [];
  let row = titleRow;
  for (const key of centredKeys) {
    for (const field of fields.filter((f) => f.key === key)) {
      // One blank line before credit and source, none between credit and author.
      if (key !== 'title' && key !== 'author' && key !== 'authors') row++;
      for (const line of field.lines) {
        const runs = styledRuns(line);
        const text = runs.map((run) => run.text).join('');
        out.push({ row, x: 4.25 - (text.length * 0.1) / 2, text, runs, kind: 'title-page' });
        row++;
      }
      row++;
    }
  }
  const placeBottom = (selected: TitlePageField[], x: (text: string) => number) => {
    const lines = selected.flatMap((field, index) => [...(index > 0 ? [''] : []), ...field.lines]);
    let r = bottomRow - lines.length + 1;
    for (const line of lines) {
      const runs: StyledRun[] = styledRuns(line);
      const text = runs.map((run) => run.text).join('');
      if (text) out.push({ row: r, x: x(text), text, runs, kind: 'title-page' });
      r++;
    }
  };
  placeBottom(
    fields.filter((f) => !centredKeys.includes(f.key) && !rightKeys.includes(f.key)),
    () => 1.5,
  );
  placeBottom(
    fields.filter((f) => rightKeys.includes(f.key)),
    (text) => 7.5 - text.length * 0.1,
  );
  return out;
}
