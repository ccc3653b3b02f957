import { expect, test } from 'vitest';
import { readConfig } from './config.ts';

test('[L2][A4] TRUST_PROXY defaults to 0 (no client-written header is trusted) and takes a hop count', () => {
  expect(readConfig({}).TRUST_PROXY).toBe(0);
  expect(readConfig({ TRUST_PROXY: '' }).TRUST_PROXY).toBe(0);
  expect(readConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
  expect(() => readConfig({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY/);
  expect(() => readConfig({ TRUST_PROXY: '-1' })).toThrow(/TRUST_PROXY/);
});
