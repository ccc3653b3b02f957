/**
 * Script blocks -> Fountain text. Each block is written the natural way when
 * `parseFountain` would read it back as the same kind, and forced (`.` `!` `@` `>`)
 * otherwise, so print -> parse gives the blocks back (empty blocks are skipped: Fountain
 * has no empty element). Title-page blocks go first, as Fountain requires.
 */
import { opensTitlePage, parseFountain } from './fountain-parse.ts';
import type { ScriptBlock } from './screenplay-elements.ts';
import { isSceneHeadingLine, isTransitionLine, parseCharacterCue } from './screenplay-grammar.ts';

const speechParts = new Set(['parenthetical', 'dialogue']);

export function printFountain(blocks: readonly ScriptBlock[]): string {
  const titlePage = blocks.filter((block) => block.type === 'title-page' && block.text.trim() !== '');
  const body = blocks.filter(
    (block) =>
      block.type !== 'title-page' &&
      (block.text.trim() !== '' || block.type === 'page-break' || block.type === 'boneyard'),
  );
  // A title page is only read from a known key (Title, Author...): one of those goes first.
  const opener = titlePage.findIndex((block) => opensTitlePage(block.text));
  if (opener > 0) titlePage.unshift(...titlePage.splice(opener, 1));
  const out: string[] = [];
  for (const block of titlePage) {
    const [first = '', ...rest] = block.text.split('\n');
    // A blank line would end the title page; it prints nothing there anyway.
    const values = rest.filter((line) => line.trim() !== '');
    out.push(first.includes(':') ? first : `${first}:`, ...values.map((line) => `    ${line}`));
  }
  let previous: ScriptBlock | null = null;
  for (const block of body) {
    // One blank line between paragraphs; a speech (cue, parentheticals, dialogue) is one paragraph.
    const inSpeech =
      speechParts.has(block.type) &&
      previous !== null &&
      (previous.type === 'character' || speechParts.has(previous.type));
    if (out.length > 0 && !inSpeech) out.push('');
    out.push(printBlock(block, inSpeech));
    previous = block;
  }
  return `${out.join('\n')}\n`;
}

function printBlock(block: ScriptBlock, inSpeech: boolean): string {
  const text = block.text;
  const line = oneLine(text);
  switch (block.type) {
    case 'scene-heading':
      return isSceneHeadingLine(line) ? line : `.${line}`;
    case 'character':
      return parseCharacterCue(line) !== null && !startsWithMarker(line) ? line : `@${line}`;
    case 'transition':
      return isTransitionLine(line) && !startsWithMarker(line) && !isSceneHeadingLine(line) ? line : `> ${line}`;
    case 'parenthetical': {
      if (!inSpeech) return printAction(line);
      const wrapped = line.startsWith('(') ? line : `(${line}`;
      return wrapped.endsWith(')') ? wrapped : `${wrapped})`;
    }
    case 'dialogue':
      if (!inSpeech) return printAction(text);
      // A blank line inside dialogue is written as two spaces (fountain.io).
      return text
        .split('\n')
        .map((line) => (line.trim() === '' ? '  ' : line.trim()))
        .join('\n');
    case 'centered':
      return `> ${line} <`;
    case 'note':
      // A blank line would end the note: two spaces keep it (fountain.io).
      return `[[${text.replace(/\n(?=\n)/g, '\n  ')}]]`;
    case 'boneyard':
      return `/*${text}*/`;
    case 'section':
      return line.startsWith('#') ? line : `# ${line}`;
    case 'synopsis':
      return `= ${line}`;
    case 'page-break':
      return '===';
    case 'title-page':
      return text;
    case 'action':
      return printAction(text);
  }
}

/** A line opening with one of Fountain's markers reads as that marker's element. */
function startsWithMarker(line: string): boolean {
  return /^(?:[!@#=~>.]|\[\[|\/\*)/.test(line);
}

/** Headings, cues, transitions... are one line: a line break inside one becomes a space. */
function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, ' ');
}

/** Action as written; forced with `!` when its paragraph would read as anything else. */
function printAction(text: string): string {
  // A blank line inside one action block would split it in two: it is written as two
  // spaces, as fountain.io does inside dialogue.
  const lines = text
    .replace(/^\s*\n|\n\s*$/g, '')
    .split('\n')
    .map((line) => line.trimEnd());
  const natural = lines.map((line) => (line === '' ? '  ' : line)).join('\n');
  const read = parseFountain(natural);
  if (read.length === 1 && read[0]?.type === 'action' && read[0].text === lines.join('\n')) return natural;
  return `!${natural}`;
}
