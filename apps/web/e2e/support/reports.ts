import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Locator, type Page, expect } from '@playwright/test';

/** Saves the download a click starts; returns the file's path (under the system's temp dir). */
export async function downloadFrom(page: Page, click: () => Promise<void>): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'clapper-e2e-')), download.suggestedFilename());
  await download.saveAs(file);
  return file;
}

/** A PDF as poppler reads it: its `pdfinfo` facts and its text laid out (`pdftotext -layout`). */
export function readPdf(file: string): { info: string; text: string; pages: number } {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  return { info, text, pages: Number(/Pages:\s+(\d+)/.exec(info)?.[1] ?? 0) };
}

/** The shot list's Reports drop-down, opened. */
export async function reportsMenu(page: Page): Promise<Locator> {
  const menu = page.getByTestId('reports-menu');
  if ((await menu.getAttribute('open')) === null) await menu.locator('summary').click();
  await expect(menu.getByRole('group', { name: 'Reports' })).toBeVisible();
  return menu;
}
