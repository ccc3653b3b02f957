/**
 * Playwright fixtures for Clapper's browser tests: `clapper` signs browser contexts in
 * through the real sign-in screen (codes read from the test server's captured mailer),
 * creates and shares projects through the UI, and stops/restarts the server.
 */
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
  test as base,
  expect,
} from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { E2eEnv } from './support/global-setup.ts';

export { expect };

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where each test's end-state screenshot goes: apps/web/test-results/<name>.png. */
export const screenshotDir = path.join(webDir, 'test-results');

function e2eEnv(): E2eEnv {
  const raw = process.env.CLAPPER_E2E;
  if (!raw)
    throw new Error('CLAPPER_E2E is unset: run through playwright.config.ts (its global setup starts the servers)');
  return JSON.parse(raw) as E2eEnv;
}

export type Role = 'owner' | 'editor' | 'viewer';

export interface SignedIn {
  email: string;
  context: BrowserContext;
  page: Page;
}

export interface ClapperHelpers {
  env: E2eEnv;
  /** A unique email per call, so tests never share users. */
  email(name: string): string;
  /** Signs in on the shared web app, or on `webUrl` (another origin: its own local storage). */
  signIn(page: Page, email: string, webUrl?: string): Promise<void>;
  /** A fresh browser context (own storage = another device, e.g. a tablet's viewport and touch) signed in as `email`. */
  newUser(name: string, device?: BrowserContextOptions): Promise<SignedIn>;
  createProject(page: Page, name: string, webUrl?: string): Promise<string>;
  invite(ownerPage: Page, projectId: string, email: string, role: Role): Promise<void>;
  openProject(page: Page, projectId: string): Promise<void>;
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  screenshot(page: Page, name: string): Promise<void>;
}

async function control(env: E2eEnv, pathAndQuery: string, method = 'GET'): Promise<unknown> {
  const response = await fetch(`${env.controlUrl}${pathAndQuery}`, { method });
  if (!response.ok) throw new Error(`control ${pathAndQuery}: ${response.status} ${await response.text()}`);
  return response.json();
}

function helpers(browser: Browser, contexts: BrowserContext[]): ClapperHelpers {
  const env = e2eEnv();
  const self: ClapperHelpers = {
    env,
    email(name) {
      return `${name}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@e2e.clapper.test`;
    },
    async signIn(page, email, webUrl = env.webUrl) {
      await page.goto(webUrl);
      await page.getByLabel('Work email').fill(email);
      await page.getByRole('button', { name: 'Email me a sign-in code' }).click();
      await expect(page.getByLabel('Sign-in code')).toBeVisible();
      let code: string | null = null;
      await expect
        .poll(async () => {
          code = ((await control(env, `/code?email=${encodeURIComponent(email)}`)) as { code: string | null }).code;
          return code;
        })
        .not.toBeNull();
      await page.getByLabel('Sign-in code').fill(code as unknown as string);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
    },
    async newUser(name, device) {
      const context = await browser.newContext(device);
      contexts.push(context);
      const page = await context.newPage();
      const email = self.email(name);
      await self.signIn(page, email);
      return { email, context, page };
    },
    async createProject(page, name, webUrl = env.webUrl) {
      await page.goto(webUrl);
      await page.getByLabel('New project name').fill(name);
      await page.getByRole('button', { name: 'Create project' }).click();
      await page.waitForURL(/\/projects\/[^/]+$/);
      await expect(page.getByTestId('stripboard')).toBeVisible();
      return decodeURIComponent(new URL(page.url()).pathname.split('/').pop() as string);
    },
    async invite(ownerPage, projectId, email, role) {
      await ownerPage.goto(env.webUrl);
      const item = ownerPage.locator(`[data-project-id="${projectId}"]`);
      await item.getByRole('button', { name: 'Invite…' }).click();
      await item.getByLabel('Invite email').fill(email);
      await item.getByLabel('Invite role').selectOption(role);
      await item.getByRole('button', { name: 'Invite', exact: true }).click();
      await expect(item.getByRole('status')).toContainText(`as ${role}`);
    },
    async openProject(page, projectId) {
      await page.goto(`${env.webUrl}/projects/${encodeURIComponent(projectId)}`);
      await expect(page.getByTestId('stripboard')).toBeVisible();
    },
    async stopServer() {
      await control(env, '/stop', 'POST');
    },
    async startServer() {
      await control(env, '/start', 'POST');
    },
    async screenshot(page, name) {
      await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: false });
    },
  };
  return self;
}

export const test = base.extend<{ clapper: ClapperHelpers }>({
  clapper: async ({ browser }, use) => {
    const contexts: BrowserContext[] = [];
    const clapper = helpers(browser, contexts);
    await use(clapper);
    // A test that stopped the server must not leave it down for the next one.
    await clapper.startServer().catch(() => undefined);
    for (const context of contexts) await context.close();
  },
});
