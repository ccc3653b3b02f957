/**
 * Printed text of a Fountain line: inline `[[notes]]` and `/* boneyard *\/` are not
 * printed, and emphasis markers become styles — `*italic*`, `**bold**`, `***both***`,
 * `_underline_`, nestable (`_**BRICK**_`), `\*` and `\_` for literal characters.
 */

export interface StyledRun {
  readonly text: string;
  readonly bold: boolean;
  readonly italic: boolean;
  readonly underline: boolean;
}

interface Style {
  bold: boolean;
  italic: boolean;
  underline: boolean;
}

const plain: Style = { bold: false, italic: false, underline: false };
// Stand-ins for escaped markers while the emphasis is parsed.
const escapedStar = '\u0001';
const escapedUnderscore = '\u0002';

const markers: { pattern: RegExp; add: Partial<Style> }[] = [
  { pattern: /\*\*\*(?=\S)(.+?)(?<=\S)\*\*\*/, add: { bold: true, italic: true } },
  { pattern: /\*\*(?=\S)(.+?)(?<=\S)\*\*/, add: { bold: true } },
  // A lone star on each side, so `*italic **bold** italic*` does not end at the bold's stars.
  { pattern: /\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?!\*)/, add: { italic: true } },
  { pattern: /_(?=\S)(.+?)(?<=\S)_/, add: { underline: true } },
];

/** Text without inline notes and boneyard (what a reader of the page sees, before styling). */
export function withoutNotes(text: string): string {
  return text.replace(/\[\[[\s\S]*?\]\]/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
}

/** One line of Fountain text as styled runs (markers removed, notes dropped). */
export function styledRuns(line: string): StyledRun[] {
  const escaped = withoutNotes(line).replace(/\\\*/g, escapedStar).replace(/\\_/g, escapedUnderscore);
  const runs: StyledRun[] = [];
  collect(escaped, plain, runs);
  return runs
    .map((run) => ({ ...run, text: run.text.replaceAll(escapedStar, '*').replaceAll(escapedUnderscore, '_') }))
    .filter((run) => run.text.length > 0);
}

function collect(text: string, style: Style, out: StyledRun[]): void {
  let best: { index: number; match: RegExpExecArray; add: Partial<Style> } | null = null;
  for (const { pattern, add } of markers) {
    const match = pattern.exec(text);
    if (match && (best === null || match.index < best.index)) best = { index: match.index, match, add };
  }
  if (best === null) {
    out.push({ text, ...style });
    return;
  }
  out.push({ text: text.slice(0, best.index), ...style });
  collect(best.match[1] as string, { ...style, ...best.add }, out);
  collect(text.slice(best.index + best.match[0].length), style, out);
}

/** The printed characters of a line (no markers, no notes). */
export function printedText(line: string): string {
  return styledRuns(line)
    .map((run) => run.text)
    .join('');
}
