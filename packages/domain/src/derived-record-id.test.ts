import fc from 'fast-check';
import { expect, test } from 'vitest';
import { derivedRecordId } from './derived-record-id.ts';

const idAlphabet = /^[A-Za-z0-9_-]{1,64}$/;

test('[CS5] the same sheet and person give the same id on every device; different ones differ', () => {
  const id = derivedRecordId('castcall', 'sheet-1', 'person-1');
  expect(id).toBe(derivedRecordId('castcall', 'sheet-1', 'person-1'));
  expect(id).toMatch(idAlphabet);
  expect(id).not.toBe(derivedRecordId('castcall', 'sheet-1', 'person-2'));
  expect(id).not.toBe(derivedRecordId('crewcall', 'sheet-1', 'person-1'));
  expect(derivedRecordId('x', 'ab', 'c')).not.toBe(derivedRecordId('x', 'a', 'bc'));
});

test('[CS5] ids stay within the protocol’s id alphabet and length for the longest ids', () => {
  const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
  fc.assert(
    fc.property(id, id, (a, b) => {
      expect(derivedRecordId('castcall', a, b)).toMatch(idAlphabet);
    }),
  );
});
