// What the browser benchmarks (board.ts, editor.ts) share: signing a page in through the
// real sign-in screen (the code read from the test server's control URL), and Chromium's
// Event Timing keydown durations.
import type { Page } from '@playwright/test';
// eslint-disable-next-line no-restricted-imports -- the benchmarks start the browser tests' servers and build; apps/web has no entry for its test harness
import type { E2eEnv } from '../apps/web/e2e/support/global-setup.ts';
import { percentile } from './stats.ts';

/** Event Timing reports only events at or over its threshold, whose minimum is 16 ms. */
const eventTimingThreshold = 16;

export async function control(env: E2eEnv, pathAndQuery: string, method = 'GET'): Promise<unknown> {
  const response = await fetch(`${env.controlUrl}${pathAndQuery}`, { method });
  if (!response.ok) throw new Error(`control ${pathAndQuery}: ${response.status}`);
  return response.json();
}

export async function signIn(env: E2eEnv, page: Page, email: string): Promise<void> {
  await page.goto(env.webUrl);
  await page.getByLabel('Work email').fill(email);
  await page.getByRole('button', { name: 'Email me a sign-in code' }).click();
  await page.getByLabel('Sign-in code').waitFor();
  let code: string | null = null;
  for (let i = 0; i < 100 && code === null; i += 1) {
    code = ((await control(env, `/code?email=${encodeURIComponent(email)}`)) as { code: string | null }).code;
    if (code === null) await new Promise((r) => setTimeout(r, 100));
  }
  if (code === null) throw new Error(`no sign-in code for ${email}`);
  await page.getByLabel('Sign-in code').fill(code);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Projects' }).waitFor();
}

/** Event Timing keydown durations (ms) and how many keydowns there were, from now on. */
export async function startKeyTiming(page: Page): Promise<void> {
  await page.evaluate((threshold) => {
    const w = window as unknown as { __keydowns: number; __slow: number[] };
    w.__keydowns = 0;
    w.__slow = [];
    addEventListener('keydown', () => (w.__keydowns += 1), { capture: true });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (entry.name === 'keydown') w.__slow.push(entry.duration);
    }).observe({ type: 'event', durationThreshold: threshold } as PerformanceObserverInit);
  }, eventTimingThreshold);
}

export async function readKeyTiming(page: Page): Promise<{ keydowns: number; slow: number[] }> {
  // Event Timing entries arrive after the next paint: give the last keystroke's a moment.
  await page.waitForTimeout(500);
  return page.evaluate(() => {
    const w = window as unknown as { __keydowns: number; __slow: number[] };
    return { keydowns: w.__keydowns, slow: [...w.__slow] };
  });
}

/** Keystrokes under the threshold are not reported; they count as "under 16 ms" (0 here). */
export function keyPercentiles({ keydowns, slow }: { keydowns: number; slow: number[] }) {
  const all = [...slow, ...Array.from({ length: Math.max(0, keydowns - slow.length) }, () => 0)];
  return {
    keydowns,
    slowCount: slow.length,
    p50: percentile(all, 50),
    p75: percentile(all, 75),
    p99: percentile(all, 99),
    max: Math.max(0, ...slow),
  };
}
