/**
 * Fountain (fountain.io) -> script blocks. A line-oriented reader of the syntax: title
 * page, headings (natural, forced `.`, `#12A#` numbers kept in the heading), action
 * (forced `!`), character cues (forced `@`, extensions, dual `^`), parentheticals,
 * dialogue (a line of two spaces is a blank line inside it), transitions (`TO:`, forced
 * `>`), `> centred <`, `[[notes]]`, `/* boneyard *\/`, `#` sections, `=` synopses and
 * `===` page breaks. Emphasis (`*italic*`, `**bold**`, `_underline_`) and inline notes
 * stay in the text as written, so an export writes them back unchanged.
 *
 * Structure is only recognised where a paragraph starts (after a blank line): inside an
 * action paragraph every line is action, which is what lets the printer force just a
 * paragraph's first line.
 */
import type { ScriptBlock, ScriptElement } from './screenplay-elements.ts';
import { isSceneHeadingLine, isTransitionLine, parseCharacterCue } from './screenplay-grammar.ts';

// Keys a title page may open with; after the first, any `Key:` line is a key.
const titlePageOpeners =
  /^(title|credit|author|authors|source|draft date|date|contact|copyright|notes|revision|format)\s*:/i;
const titlePageKey = /^[A-Za-z][A-Za-z0-9 _-]*:/;

export function parseFountain(source: string): ScriptBlock[] {
  const lines = source
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, '    ')
    .split('\n');
  const blocks: ScriptBlock[] = [];
  const push = (type: ScriptElement, text: string) => blocks.push({ type, text });
  let i = readTitlePage(lines, push);

  const isBlank = (index: number) => index >= lines.length || (lines[index] as string).trim() === '';
  while (i < lines.length) {
    const line = lines[i] as string;
    const trimmed = line.trim();
    if (trimmed === '') {
      i++;
      continue;
    }
    const nextBlank = isBlank(i + 1);
    if (trimmed.startsWith('!')) {
      i = readAction(lines, i, push);
      continue;
    }

    if (trimmed.startsWith('/*')) {
      i = readBoneyard(lines, i, push);
      continue;
    }
    if (trimmed.startsWith('[[')) {
      const end = readNote(lines, i, push);
      if (end !== null) {
        i = end;
        continue;
      }
    }
    if (/^={3,}$/.test(trimmed)) {
      push('page-break', '');
      i++;
      continue;
    }
    if (trimmed.startsWith('#')) {
      push('section', trimmed);
      i++;
      continue;
    }
    if (/^=(?!=)/.test(trimmed)) {
      push('synopsis', trimmed.slice(1).trim());
      i++;
      continue;
    }
    const centered = /^>\s*(.*?)\s*<$/.exec(trimmed);
    if (centered) {
      push('centered', centered[1] as string);
      i++;
      continue;
    }
    if (trimmed.startsWith('>')) {
      push('transition', trimmed.slice(1).trim());
      i++;
      continue;
    }
    if (/^\.(?![.\s])/.test(trimmed)) {
      push('scene-heading', trimmed.slice(1).trim().replace(/\s+/g, ' '));
      i++;
      continue;
    }
    if (isSceneHeadingLine(trimmed)) {
      push('scene-heading', trimmed.replace(/\s+/g, ' '));
      i++;
      continue;
    }
    if (isTransitionLine(trimmed) && nextBlank) {
      push('transition', trimmed);
      i++;
      continue;
    }
    if (!nextBlank && parseCharacterCue(trimmed) !== null) {
      i = readSpeech(lines, i, push);
      continue;
    }
    i = readAction(lines, i, push);
  }
  return blocks;
}

type Push = (type: ScriptElement, text: string) => void;

/** Whether a title page may open with this line (`Title:`, `Author:`...). */
export function opensTitlePage(line: string): boolean {
  return titlePageOpeners.test(line.trim());
}

/** The title page, if the script opens with one: one block per key. Returns the next line. */
function readTitlePage(lines: string[], push: Push): number {
  let i = 0;
  while (i < lines.length && (lines[i] as string).trim() === '') i++;
  if (i >= lines.length || !titlePageOpeners.test((lines[i] as string).trim())) return 0;
  let current: string[] | null = null;
  const flush = () => {
    if (current) push('title-page', current.join('\n'));
  };
  // Values are indented past the keys, which may be indented themselves (the first is a key).
  const indent = (line: string) => line.length - line.trimStart().length;
  const keyIndent = indent(lines[i] as string);
  for (; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') break;
    const indented = indent(line) >= keyIndent + 2;
    if (!indented && titlePageKey.test(line.trim())) {
      flush();
      const trimmed = line.trim();
      const colon = trimmed.indexOf(':');
      const value = trimmed.slice(colon + 1).trim();
      current = [value ? `${trimmed.slice(0, colon)}: ${value}` : trimmed.slice(0, colon + 1)];
    } else if (current) {
      current.push(line.trim());
    }
  }
  flush();
  return i;
}

function readBoneyard(lines: string[], start: number, push: Push): number {
  const first = lines[start] as string;
  let text = first.slice(first.indexOf('/*') + 2);
  let i = start;
  for (;;) {
    const close = text.indexOf('*/');
    if (close >= 0) {
      push('boneyard', text.slice(0, close));
      const rest = text.slice(close + 2);
      if (rest.trim() === '') return i + 1;
      // Text after the closing mark on the same line is read as a line of its own.
      lines[i] = rest.trimStart();
      return i;
    }
    i++;
    if (i >= lines.length) {
      // An unclosed boneyard runs to the end of the file (as fountain.io readers do).
      push('boneyard', text);
      return i;
    }
    text += `\n${lines[i] as string}`;
  }
}

/** A note on lines of its own (`[[...]]`, maybe over several lines); null when it is not one. */
function readNote(lines: string[], start: number, push: Push): number | null {
  let text = (lines[start] as string).trim();
  let i = start;
  while (!text.endsWith(']]')) {
    i++;
    // A line of two spaces keeps a blank line inside the note (fountain.io); a blank line ends it.
    if (i >= lines.length || ((lines[i] as string).trim() === '' && lines[i] !== '  ')) return null;
    text += `\n${(lines[i] as string).trim()}`;
  }
  const inner = text.slice(2, -2);
  // "[[a]] and [[b]]" or "[[a]] text" is action with inline notes.
  if (inner.includes(']]') || inner.includes('[[')) return null;
  push('note', inner);
  return i + 1;
}

/** A cue, then parentheticals and dialogue until a blank line. */
function readSpeech(lines: string[], start: number, push: Push): number {
  const cue = (lines[start] as string).trim();
  push('character', cue.startsWith('@') ? cue.slice(1).trim() : cue);
  let dialogue: string[] | null = null;
  const flush = () => {
    if (dialogue) push('dialogue', dialogue.join('\n'));
    dialogue = null;
  };
  let i = start + 1;
  let boneyard = false;
  for (; i < lines.length; i++) {
    const line = lines[i] as string;
    const trimmed = line.trim();
    if (trimmed === '') {
      // A line of two spaces keeps a blank line inside the speech, as does a boneyard.
      if ((line === '  ' && dialogue) || boneyard) {
        (dialogue ??= []).push('');
        continue;
      }
      break;
    }
    if (!boneyard && /^\(.*\)$/.test(trimmed)) {
      flush();
      push('parenthetical', trimmed);
    } else {
      (dialogue ??= []).push(trimmed);
    }
    boneyard = boneyardRunsOn(lines, i, boneyard);
  }
  flush();
  return i;
}

/**
 * Whether a boneyard opened inside a paragraph (`Hi. /* cut`) is still open after line
 * `index`. Until its `*\/` the paragraph goes on (blank lines too), so what was cut is
 * never read as script; a `/*` that never closes is just text.
 */
function boneyardRunsOn(lines: string[], index: number, open: boolean): boolean {
  const line = lines[index] as string;
  const opening = line.lastIndexOf('/*');
  const closing = line.lastIndexOf('*/');
  if (opening < 0 && closing < 0) return open;
  if (opening < closing) return false;
  if (open) return true;
  for (let j = index + 1; j < lines.length; j++) if ((lines[j] as string).includes('*/')) return true;
  return false;
}

/** An action paragraph: its lines as written (indentation kept), until a blank line. */
function readAction(lines: string[], start: number, push: Push): number {
  const out: string[] = [];
  let i = start;
  let boneyard = false;
  for (; i < lines.length; i++) {
    const raw = lines[i] as string;
    const line = raw.trimEnd();
    if (line === '') {
      // Two spaces (or more) keep a blank line inside the paragraph, as in dialogue.
      if (raw === '  ' || boneyard) {
        out.push('');
        continue;
      }
      break;
    }
    out.push(i === start && line.trimStart().startsWith('!') ? line.trimStart().slice(1) : line);
    boneyard = boneyardRunsOn(lines, i, boneyard);
  }
  // A blank line opening or closing the paragraph (a bare `!`, a last line of two
  // spaces) separates nothing, and an export drops it.
  while (out.length > 1 && out[out.length - 1] === '') out.pop();
  while (out.length > 1 && out[0] === '') out.shift();
  push('action', out.join('\n'));
  return i;
}

/**
 * Whether pasted text is a Fountain screenplay rather than prose: several lines, and
 * structure no prose has (a heading, a cue with dialogue, a transition, a title page).
 * Markdown-like `#` lines alone do not make a screenplay.
 */
const recognisers = new Set<ScriptElement>(['scene-heading', 'character', 'transition', 'title-page']);

export function looksLikeFountain(text: string): boolean {
  if (!text.includes('\n')) return false;
  return parseFountain(text).some((block) => recognisers.has(block.type));
}
