/**
 * Reading what a crew types into the stripboard's cells: page lengths as eighths
 * (`1 3/8`), durations as seconds or minutes:seconds (`90`, `1:30`), and a scene heading
 * that fills the scene's other fields. Text a field can't take comes back as an error
 * naming what the field expects, for the cell to show; it is never dropped or guessed.
 */
import { parseSceneHeading, splitSceneNumber } from './screenplay-grammar.ts';
import { formatEighths } from './script-pages.ts';

/** A cell's text read as a value (null: the cell was cleared), or why it can't be. */
export type Parsed<T> =
  { readonly ok: true; readonly value: T | null } | { readonly ok: false; readonly error: string };

const ok = <T>(value: T | null): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

/** The longest a scene can be, in pages: beyond it a typo is likelier than a scene. */
const maxPages = 999;
const pagesHint = 'Pages are written like 1 3/8 (one page and three eighths), 3/8 or 2';

/**
 * A page length in eighths: `1 3/8` -> 11, `3/8` -> 3, `2` -> 16, `1.5` -> 12, `1/2` -> 4;
 * `11/8` is 11. At least 1/8 (a scene is never shorter, production-formats.md).
 */
export function parsePageLength(text: string): Parsed<number> {
  const trimmed = text.trim().replace(/\s*(pages?|pgs?|p)\.?$/i, '');
  if (trimmed === '') return ok(null);
  let eighths: number | null = null;
  const mixed = /^(?:(\d+)\s+)?(\d+)\s*\/\s*(\d+)$/.exec(trimmed);
  if (mixed) {
    const whole = Number(mixed[1] ?? 0);
    const numerator = Number(mixed[2]);
    const denominator = Number(mixed[3]);
    if (![1, 2, 4, 8].includes(denominator))
      return fail(`${pagesHint}; a page is counted in eighths, not /${denominator}`);
    if (mixed[1] !== undefined && numerator >= denominator)
      return fail(`${pagesHint}; after the pages come 1/8 to 7/8`);
    eighths = whole * 8 + numerator * (8 / denominator);
  } else if (/^\d+(?:[.,]\d+)?$/.test(trimmed)) {
    const pages = Number(trimmed.replace(',', '.'));
    eighths = pages * 8;
    if (!Number.isInteger(eighths)) return fail(`${pagesHint}; ${trimmed} pages is not a whole number of eighths`);
  } else {
    return fail(pagesHint);
  }
  if (eighths < 1) return fail('A scene is at least 1/8 of a page');
  if (eighths > maxPages * 8) return fail(`A scene of more than ${maxPages} pages? ${pagesHint}`);
  return ok(eighths);
}

/** A page length as a stripboard shows it: 11 -> `1 3/8`; '' when unknown. */
export function formatPageLength(eighths: number | null): string {
  if (eighths === null || !Number.isFinite(eighths) || eighths <= 0) return '';
  return formatEighths(Math.round(eighths));
}

const durationHint = 'Durations are seconds (90) or minutes:seconds (1:30)';
const maxDurationS = 24 * 3600;

/**
 * A duration in seconds: `90`, `90s`, `1:30`, `1:02:03`, `1m30s`, `2m`, `2.5`. A part
 * after a colon runs 00 to 59.
 */
export function parseDuration(text: string): Parsed<number> {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '') return ok(null);
  let seconds: number;
  const clock = /^\d+(?::\d{1,2}){1,2}(?:[.,]\d+)?$/.test(trimmed);
  const units = /^(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+(?:[.,]\d+)?)\s*s(?:ec)?)?$/.exec(trimmed);
  if (/^\d+(?:[.,]\d+)?$/.test(trimmed)) {
    seconds = Number(trimmed.replace(',', '.'));
  } else if (clock) {
    const parts = trimmed.split(':').map((part) => Number(part.replace(',', '.')));
    if (parts.slice(1).some((part) => part >= 60)) return fail(`${durationHint}; after a colon come 00 to 59`);
    seconds = parts.reduce((total, part) => total * 60 + part, 0);
  } else if (units && (units[1] ?? units[2] ?? units[3]) !== undefined) {
    seconds = Number(units[1] ?? 0) * 3600 + Number(units[2] ?? 0) * 60 + Number((units[3] ?? '0').replace(',', '.'));
  } else {
    return fail(durationHint);
  }
  if (seconds > maxDurationS) return fail(`${durationHint}; ${text.trim()} is more than a day`);
  return ok(seconds);
}

/** Seconds as a crew writes them: 90 -> `1:30`, 45 -> `0:45`, 3723 -> `1:02:03`, 2.5 -> `0:02.5`. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '';
  const tenths = Math.round(seconds * 10);
  const whole = Math.floor(tenths / 10);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const fraction = tenths % 10 ? `.${tenths % 10}` : '';
  const ss = `${String(s).padStart(2, '0')}${fraction}`;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** The fields of a scene a heading typed on the board sets. */
export interface HeadingFields {
  /** In capitals, spacing collapsed, without a `#12#` scene number. */
  readonly heading: string;
  /** Set only when the heading names them, so a bare `INT. KITCHEN` keeps the time of day. */
  readonly location?: string;
  readonly timeOfDay?: string;
}

/**
 * `int. kitchen - night` -> {heading: 'INT. KITCHEN - NIGHT', location: 'KITCHEN',
 * timeOfDay: 'NIGHT'}. INT/EXT stays in the heading, where the strip's colour reads it.
 */
export function headingFields(text: string): HeadingFields {
  const heading = splitSceneNumber(text).heading.replace(/\s+/g, ' ').toUpperCase();
  if (heading === '') return { heading };
  const parsed = parseSceneHeading(heading);
  return {
    heading,
    ...(parsed.location ? { location: parsed.location } : {}),
    ...(parsed.timeOfDay ? { timeOfDay: parsed.timeOfDay } : {}),
  };
}
