import fc from 'fast-check';
import { expect, test } from 'vitest';
import { parseCsv, toCsv } from './csv.ts';

test('[CSV1] RFC 4180: CRLF after every record; commas, quotes and line breaks quoted, quotes doubled', () => {
  const text = toCsv(
    ['Shot', 'Description', 'Duration (s)'],
    [
      ['1A', 'Wide, on the pier', 90],
      ['1B', 'She says "stop"', null],
      ['1C', 'two\nlines', 4.5],
      ['1D', ' spaced ', true],
    ],
  );
  expect(text).toBe(
    'Shot,Description,Duration (s)\r\n' +
      '1A,"Wide, on the pier",90\r\n' +
      '1B,"She says ""stop""",\r\n' +
      '1C,"two\nlines",4.5\r\n' +
      '1D, spaced ,true\r\n',
  );
});

test('[CSV1] any text survives a round trip through CSV', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.array(fc.string({ unit: fc.constantFrom('a', ',', '"', '\r', '\n', ' ', 'é') }), {
          minLength: 2,
          maxLength: 4,
        }),
        {
          maxLength: 5,
        },
      ),
      (rows) => {
        const width = 2;
        const fixed = rows.map((row) => row.slice(0, width));
        const header = ['h1', 'h2'];
        expect(parseCsv(toCsv(header, fixed))).toEqual([header, ...fixed]);
      },
    ),
  );
});
