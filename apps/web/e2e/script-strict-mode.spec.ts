/**
 * Provider lifecycle under React StrictMode. The production build never replays effects,
 * so this mounts the real ScreenplayEditor in a React development build (a Vite dev
 * server over a two-file page written at test time) against the real server, and counts
 * the Yjs sockets the browser opens and closes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { createServer, type ViteDevServer } from 'vite';
import { expect, test } from './fixtures.ts';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(webDir, '../..');

const indexHtml = `<!doctype html><html><head><meta charset="utf-8"><title>StrictMode editor</title></head>
<body><div id="root"></div><script type="module" src="./main.tsx"></script></body></html>`;

const mainTsx = (editorModule: string) => `
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ScreenplayEditor } from '/@fs${editorModule}';
const p = new URLSearchParams(location.search);
function Harness() {
  const [mounted, setMounted] = useState(true);
  return (
    <>
      <button type="button" onClick={() => setMounted((m) => !m)}>{mounted ? 'Unmount' : 'Mount'}</button>
      {mounted && (
        <ScreenplayEditor serverUrl={p.get('server')!} token={p.get('token')!} projectId={p.get('project')!}
          scriptId={p.get('script')!} user={{ name: 'Strict', color: '#a0f' }} readOnly={false} />
      )}
    </>
  );
}
createRoot(document.getElementById('root')!).render(<StrictMode><Harness /></StrictMode>);
`;

async function startHarness(dir: string): Promise<{ vite: ViteDevServer; url: string }> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'index.html'), indexHtml);
  writeFileSync(path.join(dir, 'main.tsx'), mainTsx(path.join(webDir, 'src/screenplay/index.ts')));
  const vite = await createServer({
    root: dir,
    configFile: false,
    cacheDir: path.join(dir, '.vite'),
    logLevel: 'error',
    mode: 'development',
    server: { host: '127.0.0.1', port: 0, strictPort: false, fs: { allow: [repoRoot] }, hmr: false },
    esbuild: { jsx: 'automatic' },
  });
  await vite.listen();
  const url = vite.resolvedUrls?.local[0];
  if (!url) throw new Error('vite did not report a URL');
  return { vite, url };
}

async function waitReady(page: Page): Promise<void> {
  const editor = page.getByTestId('screenplay-editor');
  await expect(editor).toHaveAttribute('data-status', 'synced', { timeout: 30_000 });
  await expect(editor.locator('[contenteditable]')).toHaveAttribute('data-ready', 'true');
}

test('under StrictMode each editor mount opens one Yjs socket, and unmounting closes it', async ({
  clapper,
  browser,
}) => {
  const { env } = clapper;
  const signIn = await fetch(`${env.controlUrl}/sign-in?email=${encodeURIComponent(clapper.email('strict'))}`, {
    method: 'POST',
  });
  const { token } = (await signIn.json()) as { token: string };
  const created = await fetch(`${env.apiUrl}/trpc/projects.create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ name: 'Strict Mode' }),
  });
  const projectId = ((await created.json()) as { result: { data: { id: string } } }).result.data.id;

  const { vite, url } = await startHarness(test.info().outputPath('strict-harness'));
  try {
    const pageUrl = `${url}?server=${encodeURIComponent(env.apiUrl)}&token=${token}&project=${projectId}&script=${projectId}`;
    // Warm-up load on another device: Vite optimizes dependencies on first use and may
    // reload the page once, which would mount the editor twice for the counted load.
    const warmContext = await browser.newContext();
    const warm = await warmContext.newPage();
    await warm.goto(pageUrl);
    await waitReady(warm);
    await warmContext.close();

    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    let opened = 0;
    let closed = 0;
    page.on('websocket', (ws) => {
      if (!ws.url().includes('/yjs/')) return;
      opened++;
      ws.on('close', () => closed++);
    });
    await page.goto(pageUrl);
    await waitReady(page);
    // StrictMode mounted, unmounted and remounted every effect: still one socket.
    expect(opened).toBe(1);
    expect(closed).toBe(0);
    await page.getByTestId('screenplay-editor').locator('[data-element]').first().click();
    await page.keyboard.type('INT. STRICT - DAY');

    await page.getByRole('button', { name: 'Unmount' }).click();
    await expect(page.getByTestId('screenplay-editor')).toHaveCount(0);
    // Unmount destroys the provider: its socket closes.
    await expect.poll(() => closed).toBe(1);

    await page.getByRole('button', { name: 'Mount' }).click();
    await waitReady(page);
    expect(opened).toBe(2);
    expect(closed).toBe(1);
    await expect(page.getByTestId('screenplay-editor').locator('[data-element]').first()).toHaveText(
      'INT. STRICT - DAY',
    );
    // No ghost of the first mount among who's here: just this one editor.
    await expect(page.getByTestId('presence').locator('li')).toHaveCount(1);
    await expect(page.getByTestId('presence')).toHaveText('Strict (you)');
    expect(errors).toEqual([]);
    await clapper.screenshot(page, 'script-strict-mode-remount');
    await context.close();
  } finally {
    await vite.close();
  }
});
