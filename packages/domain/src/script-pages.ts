/**
 * Industry pagination: where every line of a screenplay falls on US Letter pages set in
 * Courier 12 pt (10 characters an inch, 6 lines an inch), as a screenwriter's PDF has it.
 * The PDF export draws exactly these pages, and each scene's length in eighths comes
 * from them, so the shot list and the printed script agree.
 *
 * Rules (docs: shared/design/production-formats.md):
 * - 55 body lines a page, from 1 in below the top; one blank line between elements,
 *   none inside a speech (cue, parentheticals, dialogue).
 * - A heading never ends a page: it moves to the next page when its first lines do not fit.
 * - A transition never opens a page: the last lines before it move along with it.
 * - Action breaks only after a sentence (one may end inside a line: the rest of the line
 *   opens the next page), keeping two lines or more on each side.
 * - A speech breaks only after a sentence of its dialogue, never leaving the cue or a
 *   parenthetical alone, with two lines or more under the cue: `(MORE)` under the last
 *   line, and the next page repeats the cue with `(CONT'D)`. Dual dialogue (`^`) sits in
 *   two columns and never breaks.
 * - `===` starts a new page; notes, boneyard, sections, synopses are not printed; a
 *   lyric (`~`) prints in italics without its tilde.
 * - Scene numbers: the heading's own `#12A#` (upper case, as the board shows it), else its
 *   position in the script, unless another heading has that number (then as a scene added
 *   after locking: `2A` after 2).
 */
import { type StyledRun, styledRuns, withoutNotes } from './fountain-emphasis.ts';
import type { ScriptBlock, ScriptElement } from './screenplay-elements.ts';
import { parseCharacterCue, splitSceneNumber } from './screenplay-grammar.ts';
import { deriveSceneNumbers, normalizeSceneNumber } from './scene-numbers.ts';
import { layoutTitlePage } from './title-page.ts';

export const pageLayout = {
  widthIn: 8.5,
  heightIn: 11,
  /** The first body line's top edge, from the page's top. */
  topIn: 1,
  linesPerPage: 55,
  lineHeightIn: 1 / 6,
  charWidthIn: 0.1,
  fontSizePt: 12,
  /** Page numbers: top right, half an inch from the top, ending at the right margin. */
  pageNumberTopIn: 0.5,
  rightMarginIn: 7.5,
  /** Scene numbers: the left one ends here, the right one starts here. */
  leftSceneNumberEndIn: 1.2,
  rightSceneNumberIn: 7.7,
} as const;

/** Where each printed element starts (inches from the left edge) and how many characters wide it is. */
const column = {
  'scene-heading': { x: 1.5, width: 60 },
  action: { x: 1.5, width: 60 },
  character: { x: 3.7, width: 38 },
  // Final Draft's default: 3.1 in, to 5.5 in.
  parenthetical: { x: 3.1, width: 24 },
  dialogue: { x: 2.5, width: 35 },
  more: { x: 3.7, width: 38 },
} as const;

/** Dual dialogue: two 3 in columns; the right one starts at the page's middle. */
const dualColumns = [1.5, 4.5] as const;
const dualOffsets = {
  character: { dx: 0.9, width: 20 },
  parenthetical: { dx: 0.4, width: 22 },
  dialogue: { dx: 0, width: 28 },
} as const;

export interface PrintedFragment {
  /** Body line on the page, 0 = the first (1 in from the top). */
  readonly row: number;
  /** Left edge, inches from the page's left edge. */
  readonly x: number;
  readonly text: string;
  readonly runs: readonly StyledRun[];
  readonly kind: ScriptElement | 'more' | 'scene-number';
}

export interface ScriptPage {
  /** 1-based; page 1 prints no number. */
  readonly number: number;
  readonly fragments: readonly PrintedFragment[];
}

export interface PagedScene {
  /** Index of the heading among the input blocks. */
  readonly blockIndex: number;
  /** The heading without its `#n#`. */
  readonly heading: string;
  readonly number: string;
  /** 1-based page and 0-based row of the heading. */
  readonly page: number;
  readonly row: number;
  /** Printed length from this heading to the next (or the end), in eighths of a page, at least 1. */
  readonly eighths: number;
}

export interface PaginatedScript {
  /** The title page's lines (rows as on a body page; rows may run past 55 into the bottom margin), or null. */
  readonly titlePage: readonly PrintedFragment[] | null;
  readonly pages: readonly ScriptPage[];
  readonly scenes: readonly PagedScene[];
}

type Fragment = Omit<PrintedFragment, 'row'>;

interface Row {
  readonly fragments: Fragment[];
  /** The text may break to the next page after this row. */
  readonly breakAfter: boolean;
  /** A sentence ends inside this row: the page may end there instead (PG3, PG4). */
  readonly midBreak?: MidBreak;
}

interface MidBreak {
  /**
   * Made only when a page ends there: this row up to its last sentence end (`head`), and
   * the rest of its line wrapped anew (`tail`).
   */
  readonly cut: () => { head: Row; tail: Row[] };
  /** How many rows after this one the tail replaces (the rest of the same line). */
  readonly replaces: number;
}

interface Unit {
  readonly kind: 'heading' | 'action' | 'speech' | 'dual' | 'transition' | 'other' | 'page-break';
  readonly rows: Row[];
  /** Speech: the cue as printed, to repeat with (CONT'D). */
  readonly cue?: string;
  readonly blockIndex: number;
  readonly sceneNumber?: string;
  readonly heading?: string;
}

const printed = new Set<ScriptElement>([
  'scene-heading',
  'action',
  'character',
  'parenthetical',
  'dialogue',
  'transition',
  'centered',
  'page-break',
]);

export function paginateScript(blocks: readonly ScriptBlock[]): PaginatedScript {
  const titleBlocks = blocks.filter((block) => block.type === 'title-page');
  const units = buildUnits(blocks);
  const { pages, positions, end } = pack(units);
  const perPage = pageLayout.linesPerPage;
  const scenes: PagedScene[] = [];
  const headingUnits = units.filter((unit) => unit.kind === 'heading');
  headingUnits.forEach((unit, index) => {
    const at = positions.get(unit) as { page: number; row: number };
    const start = at.page * perPage + at.row;
    const next = headingUnits[index + 1];
    const nextAt = next ? (positions.get(next) as { page: number; row: number }) : null;
    const stop = nextAt ? nextAt.page * perPage + nextAt.row : end;
    scenes.push({
      blockIndex: unit.blockIndex,
      heading: unit.heading as string,
      number: unit.sceneNumber as string,
      page: at.page + 1,
      row: at.row,
      // Round where the scene starts and stops to the nearest eighth, not its length: the
      // scenes on a page then add up to 8/8 (three 18-line scenes are 3/8, 2/8, 3/8, not 3/8 each).
      eighths: Math.max(1, Math.round((stop * 8) / perPage) - Math.round((start * 8) / perPage)),
    });
  });
  return {
    titlePage: titleBlocks.length > 0 ? layoutTitlePage(titleBlocks.map((block) => block.text)) : null,
    pages: pages.map((fragments, index) => ({ number: index + 1, fragments })),
    scenes,
  };
}

/** `2 3/8` for 19 eighths, `5/8`, `1`. */
export function formatEighths(eighths: number): string {
  const whole = Math.floor(eighths / 8);
  const rest = eighths % 8;
  if (rest === 0) return String(whole);
  return whole === 0 ? `${rest}/8` : `${whole} ${rest}/8`;
}

/**
 * Each printed heading's scene number, by block index: its own `#12A#`, else its position
 * in the script; but where that position is a number another heading has (`#3#` written
 * further on), the one a scene added after locking gets (`2A` after 2), never a duplicate.
 */
function headingNumbers(blocks: readonly ScriptBlock[]): Map<number, string> {
  const headings = blocks.flatMap((block, index) =>
    block.type === 'scene-heading' && block.text.trim() !== ''
      ? [{ id: String(index), own: splitSceneNumber(block.text).number }]
      : [],
  );
  const written = new Set(headings.flatMap(({ own }) => (own === null ? [] : [normalizeSceneNumber(own)])));
  const shown = deriveSceneNumbers(
    headings.map(({ id, own }, position) => {
      const number = own ?? String(position + 1);
      return { id, number, numberLocked: own !== null || !written.has(number) };
    }),
  );
  // Written numbers print as the board stores them (`12a` is 12A).
  return new Map(
    headings.map(({ id, own }) => [Number(id), own === null ? (shown.get(id) as string) : normalizeSceneNumber(own)]),
  );
}

function buildUnits(blocks: readonly ScriptBlock[]): Unit[] {
  const units: Unit[] = [];
  const numbers = headingNumbers(blocks);
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i] as ScriptBlock;
    if (!printed.has(block.type)) continue;
    if (block.type === 'page-break') {
      units.push({ kind: 'page-break', rows: [], blockIndex: i });
      continue;
    }
    if (block.text.trim() === '') continue;
    switch (block.type) {
      case 'scene-heading': {
        const { heading } = splitSceneNumber(block.text);
        const sceneNumber = numbers.get(i) as string;
        const rows = wrapText(
          heading.toUpperCase(),
          column['scene-heading'].x,
          column['scene-heading'].width,
          'scene-heading',
        );
        const first = rows[0];
        if (first) {
          first.fragments.push(
            numberFragment(sceneNumber, pageLayout.leftSceneNumberEndIn - sceneNumber.length * pageLayout.charWidthIn),
            numberFragment(sceneNumber, pageLayout.rightSceneNumberIn),
          );
        }
        units.push({ kind: 'heading', rows, blockIndex: i, sceneNumber, heading });
        break;
      }
      case 'action':
        units.push({
          kind: 'action',
          rows: wrapText(block.text, column.action.x, column.action.width, 'action'),
          blockIndex: i,
        });
        break;
      case 'character': {
        let end = i + 1;
        while (end < blocks.length && (blocks[end]?.type === 'parenthetical' || blocks[end]?.type === 'dialogue'))
          end++;
        const speech = blocks.slice(i, end);
        const cue = parseCharacterCue(block.text);
        const previous = units[units.length - 1];
        if (cue?.dual && previous?.kind === 'speech' && previous.blockIndex === lastSpeechStart(blocks, i)) {
          units[units.length - 1] = dualUnit(blocks.slice(previous.blockIndex, i), speech, previous.blockIndex);
        } else {
          units.push(speechUnit(speech, i));
        }
        i = end - 1;
        break;
      }
      case 'parenthetical':
      case 'dialogue':
        // Without a cue: printed in its column all the same, as a unit of its own.
        units.push({
          kind: 'other',
          rows: wrapText(block.text, column[block.type].x, column[block.type].width, block.type),
          blockIndex: i,
        });
        break;
      case 'transition': {
        const text = block.text.trim().toUpperCase();
        const x = pageLayout.rightMarginIn - text.length * pageLayout.charWidthIn;
        units.push({
          kind: 'transition',
          rows: [{ fragments: [fragment(text, Math.max(column.action.x, x), 'transition')], breakAfter: true }],
          blockIndex: i,
        });
        break;
      }
      case 'centered': {
        const rows = wrapText(block.text, column.action.x, column.action.width, 'centered').map((row) => ({
          ...row,
          fragments: row.fragments.map((f) => ({ ...f, x: 4.5 - (f.text.length * pageLayout.charWidthIn) / 2 })),
        }));
        units.push({ kind: 'other', rows, blockIndex: i });
        break;
      }
      default:
        break;
    }
  }
  return units;
}

/** Index of the cue that starts the speech just before block `i`, or -1. */
function lastSpeechStart(blocks: readonly ScriptBlock[], i: number): number {
  let j = i - 1;
  while (j >= 0 && (blocks[j]?.type === 'parenthetical' || blocks[j]?.type === 'dialogue')) j--;
  return blocks[j]?.type === 'character' ? j : -1;
}

function cueText(text: string): string {
  return text
    .trim()
    .replace(/\s*\^$/, '')
    .replace(/^@/, '')
    .toUpperCase();
}

function speechUnit(speech: readonly ScriptBlock[], blockIndex: number): Unit {
  const cue = cueText((speech[0] as ScriptBlock).text);
  const rows: Row[] = [{ fragments: [fragment(cue, column.character.x, 'character')], breakAfter: false }];
  for (const part of speech.slice(1)) {
    const type = part.type as 'parenthetical' | 'dialogue';
    for (const row of wrapText(part.text, column[type].x, column[type].width, type)) {
      // Only after a sentence of dialogue: never under a cue or a parenthetical.
      rows.push(type === 'dialogue' ? row : { fragments: row.fragments, breakAfter: false });
    }
  }
  return { kind: 'speech', rows, cue, blockIndex };
}

function dualUnit(left: readonly ScriptBlock[], right: readonly ScriptBlock[], blockIndex: number): Unit {
  const columns = [left, right].map((speech, side) => {
    const x0 = dualColumns[side] as number;
    const rows: Fragment[] = [
      fragment(cueText((speech[0] as ScriptBlock).text), x0 + dualOffsets.character.dx, 'character'),
    ];
    for (const part of speech.slice(1)) {
      const type = part.type as 'parenthetical' | 'dialogue';
      const offset = dualOffsets[type];
      for (const row of wrapText(part.text, x0 + offset.dx, offset.width, type)) rows.push(...row.fragments);
    }
    return rows;
  });
  const height = Math.max(columns[0]?.length ?? 0, columns[1]?.length ?? 0);
  const rows: Row[] = [];
  for (let r = 0; r < height; r++) {
    const fragments = [columns[0]?.[r], columns[1]?.[r]].filter((f): f is Fragment => f !== undefined);
    rows.push({ fragments, breakAfter: false });
  }
  return { kind: 'dual', rows, blockIndex };
}

function fragment(text: string, x: number, kind: PrintedFragment['kind']): Fragment {
  return { x, text, runs: [{ text, bold: false, italic: false, underline: false }], kind };
}

function numberFragment(number: string, x: number): Fragment {
  return fragment(number, x, 'scene-number');
}

/**
 * Word-wraps Fountain text (styled, notes dropped) to `width` characters. A row may be
 * followed by a page break when it ends a sentence or one of the text's own lines.
 */
function wrapText(text: string, x: number, width: number, kind: PrintedFragment['kind']): Row[] {
  const rows: Row[] = [];
  // Notes and boneyard go before the text is split: one may run over several lines.
  for (const line of withoutNotes(text).split('\n')) {
    // A lyric (`~` opens the line, fountain.io) prints without its tilde, in italics.
    const lyric = /^\s*~/.exec(line);
    const runs = lyric
      ? styledRuns(line.slice(lyric[0].length).replace(/^ /, '')).map((run) => ({ ...run, italic: true }))
      : styledRuns(line);
    const plainText = runs.map((run) => run.text).join('');
    if (plainText.trim() === '') {
      rows.push({ fragments: [fragment('', x, kind)], breakAfter: true });
      continue;
    }
    rows.push(...wrapStyledLine(plainText, runs, 0, x, width, kind));
  }
  return rows;
}

/** A sentence's end: its stop (with closing quotes or brackets), or a dash. */
const sentenceEnd = /[.!?…]["'’”)\]]*$|--$/;
const sentenceEndsInside = /[.!?…]["'’”)\]]*(?= )|--(?= )/g;

/** The rows of one line of styled text from `from` on, each knowing where it may break. */
function wrapStyledLine(
  plainText: string,
  runs: readonly StyledRun[],
  from: number,
  x: number,
  width: number,
  kind: PrintedFragment['kind'],
): Row[] {
  const segments = wrapLine(plainText.slice(from), width).map(([start, end]): [number, number] => [
    start + from,
    end + from,
  ]);
  return segments.map(([start, end], index) => {
    const row = (a: number, b: number, breakAfter: boolean): Row => ({
      fragments: [{ x, text: plainText.slice(a, b), runs: sliceRuns(runs, a, b), kind }],
      breakAfter,
    });
    const textOfRow = plainText.slice(start, end);
    const last = index === segments.length - 1;
    // The last sentence end inside the row (a space after it, still in this row).
    let inside = -1;
    for (const match of textOfRow.matchAll(sentenceEndsInside)) inside = start + match.index + match[0].length;
    const midBreak: MidBreak | undefined =
      inside > start
        ? {
            cut: () => ({
              head: row(start, inside, true),
              // The next sentence starts after the spaces that follow this one.
              tail: wrapStyledLine(
                plainText,
                runs,
                inside + (/^ */.exec(plainText.slice(inside))?.[0].length ?? 0),
                x,
                width,
                kind,
              ),
            }),
            replaces: segments.length - 1 - index,
          }
        : undefined;
    return { ...row(start, end, last || sentenceEnd.test(textOfRow)), ...(midBreak ? { midBreak } : {}) };
  });
}

/** The styled runs covering characters [start, end) of the runs' joined text. */
function sliceRuns(runs: readonly StyledRun[], start: number, end: number): StyledRun[] {
  if (runs.length === 1) return [{ ...(runs[0] as StyledRun), text: (runs[0] as StyledRun).text.slice(start, end) }];
  const out: StyledRun[] = [];
  let offset = 0;
  for (const run of runs) {
    const from = Math.max(start, offset);
    const to = Math.min(end, offset + run.text.length);
    if (from < to) out.push({ ...run, text: run.text.slice(from - offset, to - offset) });
    offset += run.text.length;
    if (offset >= end) break;
  }
  return out;
}

/** Greedy word wrap of one line: [start, end) of each row, trailing spaces dropped. */
function wrapLine(text: string, width: number): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  const length = text.trimEnd().length;
  while (start < length) {
    if (length - start <= width) {
      out.push([start, length]);
      break;
    }
    let cut = text.lastIndexOf(' ', start + width);
    if (cut <= start) cut = start + width; // a word longer than the line: split it
    let end = cut;
    while (end > start && text[end - 1] === ' ') end--;
    out.push([start, end === start ? cut : end]);
    start = cut;
    while (start < length && text[start] === ' ') start++;
  }
  return out;
}

/** Lays units onto pages; returns each unit's first position and where the text ends. */
function pack(units: readonly Unit[]): {
  pages: PrintedFragment[][];
  positions: Map<Unit, { page: number; row: number }>;
  end: number;
} {
  const perPage = pageLayout.linesPerPage;
  const pages: PrintedFragment[][] = [[]];
  const positions = new Map<Unit, { page: number; row: number }>();
  let row = 0;
  const newPage = () => {
    pages.push([]);
    row = 0;
  };
  const place = (rows: readonly Row[]) => {
    const page = pages[pages.length - 1] as PrintedFragment[];
    for (const r of rows) {
      for (const f of r.fragments) page.push({ ...f, row });
      row++;
    }
  };

  for (let u = 0; u < units.length; u++) {
    const unit = units[u] as Unit;
    if (unit.kind === 'page-break') {
      if (row > 0) newPage();
      continue;
    }
    let rest: Unit = unit;
    let first = true;
    for (;;) {
      const gap = row === 0 ? 0 : 1;
      const room = perPage - row - gap;
      let needed = rest.rows.length;
      const next = units[u + 1];
      if (rest.kind === 'heading' && row > 0) {
        // The heading stays only if what follows it can start here too: whole, or split at
        // an allowed break (a speech or a one-sentence paragraph may not split at all).
        const after = room - rest.rows.length - 1;
        // A transition after it, in turn, needs its own line here (it never opens a page).
        const then = units[u + 2];
        const nextNeeds = (next?.rows.length ?? 0) + (then?.kind === 'transition' ? 1 + then.rows.length : 0);
        if (next && next.kind !== 'page-break' && next.kind !== 'heading' && nextNeeds > after) {
          if (splitToFit(next, after, false) === null) needed = room + 1;
        }
      }
      const previous = units[u - 1];
      const at = previous && positions.get(previous);
      // Below a heading that opens the page, moving on would leave the heading alone there.
      const headingAbove = first && previous?.kind === 'heading' && at?.page === pages.length - 1 && at.row === 0;
      if (next?.kind === 'transition' && rest.kind !== 'heading' && row > 0 && !headingAbove) {
        // A transition never opens a page: it takes the last lines before it along.
        needed += 1 + next.rows.length;
      }
      if (needed <= room) {
        row += gap;
        if (first) positions.set(unit, { page: pages.length - 1, row });
        place(rest.rows);
        break;
      }
      const split = row === 0 ? splitToFit(rest, room, true) : splitToFit(rest, room, false);
      if (split) {
        row += gap;
        if (first) positions.set(unit, { page: pages.length - 1, row });
        place(split.here);
        newPage();
        rest = split.rest;
        first = false;
        continue;
      }
      if (row === 0 || headingAbove) {
        // Taller than a page and no allowed break: fill the page and go on.
        const forced = splitToFit(rest, room, true, true) as { here: Row[]; rest: Unit };
        row += gap;
        if (first) positions.set(unit, { page: pages.length - 1, row });
        place(forced.here);
        newPage();
        rest = forced.rest;
        first = false;
        continue;
      }
      newPage();
    }
  }
  const lastPage = pages.length - 1;
  if ((pages[lastPage] as PrintedFragment[]).length === 0 && pages.length > 1) {
    pages.pop();
    return { pages, positions, end: pages.length * perPage };
  }
  return { pages, positions, end: lastPage * perPage + row };
}

/**
 * The most of `unit` that fits in `room` rows at an allowed break, and the rest (for a
 * speech, with `(MORE)` here and the cue again, `(CONT'D)`, on the rest). Null: no break fits.
 * `anyRow`: the unit is taller than a whole page, so any row may end the page.
 */
function splitToFit(unit: Unit, room: number, fullPage: boolean, anyRow = false): { here: Row[]; rest: Unit } | null {
  const rows = unit.rows;
  if (unit.kind === 'action' || (anyRow && unit.kind !== 'speech')) {
    // Two lines or more on each side (PG3).
    for (let count = Math.min(room, rows.length - 1); count >= (anyRow ? 1 : 2); count--) {
      const cut = anyRow ? { here: rows.slice(0, count), rest: rows.slice(count) } : cutAfter(rows, count, 2);
      if (cut) return { here: cut.here, rest: { ...unit, rows: cut.rest } };
    }
    return null;
  }
  if (unit.kind === 'speech') {
    // `count` rows of the speech plus (MORE) on this page; the cue is row 0. Two lines or
    // more under the cue and under (CONT'D): one line is not worth a (MORE) and a (CONT'D).
    for (let count = Math.min(room - 1, rows.length - 1); count >= (anyRow ? 2 : 3); count--) {
      const cut = anyRow ? { here: rows.slice(0, count), rest: rows.slice(count) } : cutAfter(rows, count, 2);
      if (cut) {
        const cue = unit.cue as string;
        const more: Row = { fragments: [fragment('(MORE)', column.more.x, 'more')], breakAfter: false };
        // Already marked, however typed (`(CONT’D)` with a typographic apostrophe, `CONTD`).
        const contd = /\bCONT['’]?D\b/i.test(cue) ? cue : `${cue} (CONT'D)`;
        const cueRow: Row = { fragments: [fragment(contd, column.character.x, 'character')], breakAfter: false };
        return { here: [...cut.here, more], rest: { ...unit, rows: [cueRow, ...cut.rest] } };
      }
    }
    return null;
  }
  if (fullPage && anyRow) return { here: rows.slice(0, room), rest: { ...unit, rows: rows.slice(room) } };
  return null;
}

/**
 * `count` rows on this page, at a sentence's end: after the last of them when it ends one,
 * else inside it, the rest of its line wrapped anew for the next page. Null when no
 * sentence ends there or fewer than `keep` rows would go on.
 */
function cutAfter(rows: readonly Row[], count: number, keep: number): { here: Row[]; rest: Row[] } | null {
  const last = rows[count - 1] as Row;
  if (last.breakAfter && rows.length - count >= keep) return { here: rows.slice(0, count), rest: rows.slice(count) };
  if (!last.midBreak) return null;
  const { head, tail } = last.midBreak.cut();
  const rest = [...tail, ...rows.slice(count + last.midBreak.replaces)];
  if (rest.length < keep) return null;
  return { here: [...rows.slice(0, count - 1), head], rest };
}
