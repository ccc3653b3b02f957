import fc from 'fast-check';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { beforeAll, expect, test } from 'vitest';
import { wrapText } from './report-pdf.ts';

let font: Awaited<ReturnType<PDFDocument['embedFont']>>;

beforeAll(async () => {
  font = await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica);
});

test('a cell keeps its own line breaks (an address stays on its lines) and wraps long lines between words', () => {
  expect(wrapText('Old Lighthouse\r\n1 Cliff Road, Porthcove', font, 9, 400)).toEqual([
    'Old Lighthouse',
    '1 Cliff Road, Porthcove',
  ]);
  const lines = wrapText('Maya climbs the spiral stairs to the lamp room', font, 9, 80);
  expect(lines.length).toBeGreaterThan(1);
  expect(lines.join(' ')).toBe('Maya climbs the spiral stairs to the lamp room');
});

test('no wrapped line is wider than its column, and no character is lost but those the font cannot draw', () => {
  fc.assert(
    fc.property(
      fc.string({ unit: fc.constantFrom('a', 'W', ' ', '\n', 'é', '—', '-', '.') }),
      fc.integer({ min: 12, max: 300 }),
      (text, width) => {
        const lines = wrapText(text, font, 9, width);
        for (const line of lines) {
          // A single character wider than the column is the one overflow allowed.
          if (line.length > 1) expect(font.widthOfTextAtSize(line, 9)).toBeLessThanOrEqual(width);
        }
        expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/[\n ]/g, ''));
      },
    ),
  );
});

test('characters outside the standard fonts print as ? rather than failing the report', () => {
  expect(wrapText('Łódź 東京', font, 9, 400)).toEqual(['?ód? ??']);
});
