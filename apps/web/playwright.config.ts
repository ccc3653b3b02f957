import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumExecutable } from './e2e/support/chromium.ts';

// Concurrent runs in one checkout (CLAPPER_NEXT_DIST set per person) keep separate artifacts too.
const runSuffix = process.env.CLAPPER_NEXT_DIST ? `-${process.env.CLAPPER_NEXT_DIST.replace(/[^A-Za-z0-9]/g, '')}` : '';

/**
 * Browser tests against the production build and a real server (see
 * e2e/support/global-setup.ts). One worker: the machine is small and the tests share
 * one server they stop and restart. Screenshots of each test's end state land in
 * apps/web/test-results/.
 */
export default defineConfig({
  testDir: './e2e',
  outputDir: `./test-results/artifacts${runSuffix}`,
  globalSetup: './e2e/support/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  retries: 0,
  reporter: [['list']],
  use: {
    viewport: { width: 1440, height: 900 },
    actionTimeout: 10_000,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumExecutable,
      args: [...chromiumArgs],
    },
  },
});
