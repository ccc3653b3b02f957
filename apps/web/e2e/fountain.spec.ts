/**
 * A real screenplay in and out of the script editor, in Chromium against the production
 * build and a real server: Fountain import by file picker, by drag and drop and by
 * paste; export to .fountain (import -> export -> import keeps every element) and to an
 * industry PDF (opened with poppler's pdftotext: pages, scene numbers in both margins,
 * page numbers); Build from script after an import (eight scenes, lengths in eighths
 * from the same pages); and the grammar turning typed lines into headings and cues.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import {
  type ScriptBlock,
  formatEighths,
  isUppercaseElement,
  paginateScript,
  parseFountain,
  scenesFromScript,
  toCapitals,
} from '@clapper/domain';
import { type ClapperHelpers, expect, test } from './fixtures.ts';
import { board } from './support/board.ts';
import { longScreenplay } from './support/long-screenplay.ts';
import { blocks, editorOf, inputOf, openScript, waitReady } from './support/script-editor.ts';

const samplePath = path.resolve(import.meta.dirname, '../../../packages/domain/test-data/the-last-lighthouse.fountain');
const sample = readFileSync(samplePath, 'utf8');

/** What the editor stores for imported blocks: headings, cues and transitions in capitals. */
const asStored = (list: readonly ScriptBlock[]): ScriptBlock[] =>
  list.map((block) => (isUppercaseElement(block.type) ? { ...block, text: toCapitals(block.text) } : block));

async function newScript(clapper: ClapperHelpers, name: string) {
  const writer = await clapper.newUser('writer');
  const projectId = await clapper.createProject(writer.page, name);
  await openScript(clapper, writer.page, projectId);
  await waitReady(writer.page);
  return { ...writer, projectId };
}

async function importFile(page: Page, name: string, text: string): Promise<void> {
  await editorOf(page)
    .getByTestId('fountain-file-input')
    .setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });
}

async function downloadOf(page: Page, button: string): Promise<string> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    editorOf(page).getByRole('button', { name: button }).click(),
  ]);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'clapper-e2e-')), download.suggestedFilename());
  await download.saveAs(file);
  return file;
}

test('[F1-F12] a Fountain file imported by the file picker keeps every element; export -> import gives the same; Build from script makes its eight scenes with their eighths', async ({
  clapper,
}) => {
  test.setTimeout(240_000);
  const { page, projectId } = await newScript(clapper, 'The Last Lighthouse');
  await importFile(page, 'the-last-lighthouse.fountain', sample);
  await expect(editorOf(page).getByTestId('script-file-status')).toContainText('8 scenes');
  const expected = asStored(parseFountain(sample));
  await expect.poll(() => blocks(page)).toEqual(expected);
  // The parts the editor has no toolbar element for are there, not dropped.
  for (const kind of ['title-page', 'note', 'boneyard', 'section', 'synopsis', 'centered', 'page-break']) {
    await expect(inputOf(page).locator(`[data-element="${kind}"]`).first()).toBeAttached();
  }

  // Export, then import the export: the same elements.
  const exported = readFileSync(await downloadOf(page, 'Export .fountain'), 'utf8');
  expect(parseFountain(exported)).toEqual(expected);
  page.once('dialog', (dialog) => void dialog.accept());
  await importFile(page, 'round-trip.fountain', exported);
  await expect(editorOf(page).getByTestId('script-file-status')).toContainText('round-trip.fountain');
  await expect.poll(() => blocks(page)).toEqual(expected);

  // A second device sees the imported script (it went to the server as Yjs updates).
  const other = await clapper.newUser('producer');
  await clapper.invite(page, projectId, other.email, 'viewer');
  await openScript(clapper, other.page, projectId);
  await waitReady(other.page);
  await expect.poll(() => blocks(other.page), { timeout: 20_000 }).toEqual(expected);

  // Build from script: eight scenes, numbered as the script numbers them, lengths from its pages.
  await clapper.openProject(page, projectId);
  await page.getByRole('button', { name: 'Build from script' }).click();
  await expect(page.getByTestId('build-message')).toHaveText('Added 8 scenes from the script.');
  const scenes = scenesFromScript(expected);
  expect(scenes.map((scene) => scene.number)).toEqual(['1', '2', '3', '4', '5', '6', '7A', '8']);
  for (const scene of scenes) {
    const row = board.scene(page, scene.number);
    await expect(row.getByLabel('Scene heading')).toHaveValue(scene.heading);
    await expect(row.getByLabel('Page eighths')).toHaveValue(formatEighths(scene.pageEighths ?? 0));
  }
  await clapper.screenshot(page, 'fountain-build-from-import');
});

test('[F13] Fountain text pasted into the script is read as Fountain; prose pastes as it is; a dropped file replaces the script', async ({
  clapper,
}) => {
  const { page, context } = await newScript(clapper, 'Paste And Drop');
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const paste = async (text: string) => {
    await page.evaluate((value) => navigator.clipboard.writeText(value), text);
    await page.keyboard.press('Control+V');
  };
  await inputOf(page).locator('[data-element]').first().click();
  await paste('INT. FERRY - NIGHT\n\nRain on the deck.\n\nMAYA\n(shouting)\nHold on!\n\nCUT TO:\n');
  await expect
    .poll(() => blocks(page))
    .toEqual([
      { type: 'scene-heading', text: 'INT. FERRY - NIGHT' },
      { type: 'action', text: 'Rain on the deck.' },
      { type: 'character', text: 'MAYA' },
      { type: 'parenthetical', text: '(shouting)' },
      { type: 'dialogue', text: 'Hold on!' },
      { type: 'transition', text: 'CUT TO:' },
    ]);
  // Prose is not a screenplay: it goes in as text at the caret.
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+2');
  await paste('Just a line of prose.');
  await expect.poll(async () => (await blocks(page)).at(-1)).toEqual({ type: 'action', text: 'Just a line of prose.' });

  // Dropping a .fountain file on the script replaces it (after asking).
  page.once('dialog', (dialog) => void dialog.accept());
  const dataTransfer = await page.evaluateHandle((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], 'dropped.fountain', { type: 'text/plain' }));
    return transfer;
  }, 'EXT. PIER - DAWN\n\nGulls.\n');
  await inputOf(page).dispatchEvent('dragover', { dataTransfer });
  await inputOf(page).dispatchEvent('drop', { dataTransfer });
  await expect
    .poll(() => blocks(page))
    .toEqual([
      { type: 'scene-heading', text: 'EXT. PIER - DAWN' },
      { type: 'action', text: 'Gulls.' },
    ]);
  await expect(editorOf(page).getByTestId('script-file-status')).toContainText('dropped.fountain');
});

test('[F14] Import and a dropped file read a file as New project from Fountain does: Windows-1252 decoded; a binary or empty file is refused by name and changes nothing', async ({
  clapper,
}) => {
  const { page } = await newScript(clapper, 'Import Checks');
  // "INT. CAFÉ - DAY" as an older Windows screenwriting app saved it: É is the single byte 0xC9.
  const windows1252 = Buffer.concat([
    Buffer.from('INT. CAF', 'latin1'),
    Buffer.from([0xc9]),
    Buffer.from(' - DAY\r\n\r\nCoffee for the crew.\r\n', 'latin1'),
  ]);
  await editorOf(page)
    .getByTestId('fountain-file-input')
    .setInputFiles({ name: 'cafe.fountain', mimeType: 'text/plain', buffer: windows1252 });
  const imported = [
    { type: 'scene-heading', text: 'INT. CAFÉ - DAY' },
    { type: 'action', text: 'Coffee for the crew.' },
  ];
  await expect.poll(() => blocks(page)).toEqual(imported);

  // Refused before the "replace the whole script?" question: no dialog may appear.
  page.on('dialog', (dialog) => {
    throw new Error(`unexpected dialog: ${dialog.message()}`);
  });
  const status = editorOf(page).getByTestId('script-file-status');
  await editorOf(page)
    .getByTestId('fountain-file-input')
    .setInputFiles({ name: 'empty.fountain', mimeType: 'text/plain', buffer: Buffer.from('\r\n  \r\n') });
  await expect(status).toHaveText('empty.fountain is empty.');

  const dataTransfer = await page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]);
    transfer.items.add(new File([png], 'poster.png', { type: 'image/png' }));
    return transfer;
  });
  await inputOf(page).dispatchEvent('dragover', { dataTransfer });
  await inputOf(page).dispatchEvent('drop', { dataTransfer });
  await expect(status).toHaveText('poster.png is not a text file: choose a Fountain (.fountain) script.');
  expect(await blocks(page)).toEqual(imported);
});

test('[PG1-PG8] Export PDF, offline: a title page and industry pages, scene numbers in both margins, page numbers top right', async ({
  clapper,
}) => {
  const { page } = await newScript(clapper, 'PDF Draft');
  await importFile(page, 'the-last-lighthouse.fountain', sample);
  await expect(editorOf(page).getByTestId('script-file-status')).toContainText('8 scenes');
  // On location: the PDF is made in the browser, with the network gone since the script opened.
  await expect(editorOf(page).getByRole('group', { name: 'Script file' })).toHaveAttribute('data-pdf-ready', 'true');
  await page.context().setOffline(true);
  const file = await downloadOf(page, 'Export PDF');
  await page.context().setOffline(false);
  expect(path.basename(file)).toBe('THE LAST LIGHTHOUSE.pdf');
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const paged = paginateScript(asStored(parseFountain(sample)));
  expect(info).toMatch(new RegExp(`Pages:\\s+${paged.pages.length + 1}\\b`));
  expect(info).toMatch(/Page size:\s+612 x 792 pts \(letter\)/);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  const pages = text.split('\f');
  expect(pages[0]).toContain('THE LAST LIGHTHOUSE');
  expect(pages[0]).toContain('Clapper Test Writers');
  // Scene numbers on both sides of every heading.
  const body = pages.slice(1).join('\n');
  for (const scene of paged.scenes) {
    const escaped = scene.heading.toUpperCase().replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    expect(body).toMatch(new RegExp(`^\\s*${scene.number}\\s+${escaped}\\s+${scene.number}\\s*$`, 'm'));
  }
  // Page 1 has no number; page 2 on carry "2." top right.
  expect(pages[1]?.split('\n').slice(0, 3).join('\n')).not.toMatch(/\b1\.\s*$/m);
  expect(pages[2]?.split('\n').find((line) => line.trim() !== '')).toMatch(/^\s{40,}2\.$/);
  // Not printed: notes and boneyard.
  expect(body).not.toContain('CHAPEL');
  expect(body).not.toContain('close the road');
  writeFileSync(path.join(path.dirname(file), 'pages.txt'), text);
});

test('[G5] an action line typed as a heading becomes a Scene heading as the writer leaves it; a cue ended with Enter becomes Character + Dialogue', async ({
  clapper,
}) => {
  const { page } = await newScript(clapper, 'Typed Headings');
  await inputOf(page).locator('[data-element]').first().click();
  await page.keyboard.type('INT. KITCHEN - DAY');
  await page.keyboard.press('Enter');
  await page.keyboard.type('The kettle boils.');
  await page.keyboard.press('Enter');
  await page.keyboard.type('ext. street - day');
  await page.keyboard.press('Enter');
  await page.keyboard.type('A bus passes.');
  await page.keyboard.press('Enter');
  await page.keyboard.type('MAYA');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Wait for me!');
  await expect
    .poll(() => blocks(page))
    .toEqual([
      { type: 'scene-heading', text: 'INT. KITCHEN - DAY' },
      { type: 'action', text: 'The kettle boils.' },
      { type: 'scene-heading', text: 'EXT. STREET - DAY' },
      { type: 'action', text: 'A bus passes.' },
      { type: 'character', text: 'MAYA' },
      { type: 'dialogue', text: 'Wait for me!' },
    ]);
  await expect(editorOf(page).getByTestId('element-type')).toHaveAttribute('data-type', 'dialogue');
});

test('a 120-page Fountain script imports in one go (time reported, not asserted: bench/ owns timing)', async ({
  clapper,
}, testInfo) => {
  test.setTimeout(180_000);
  const { page } = await newScript(clapper, 'Feature Length');
  const script = longScreenplay(120);
  await importFile(page, 'feature.fountain', script.text);
  const status = editorOf(page).getByTestId('script-file-status');
  await expect(status).toContainText(`${script.scenes} scenes`, { timeout: 30_000 });
  const ms = Number(await status.getAttribute('data-import-ms'));
  const report = `${ms} ms for ${script.pages} pages, ${script.blocks} blocks, ${script.text.length} characters`;
  testInfo.annotations.push({ type: 'import-ms', description: report });
  console.log(`120-page import: ${report}`);
  expect(await inputOf(page).locator('[data-element]').count()).toBe(script.blocks);

  // The board's live eighths (PG7) read and paginate the whole script once it settles,
  // never per keystroke: what one such run costs at this length.
  const run = async () =>
    page.evaluate(() =>
      performance
        .getEntriesByName('clapper:scene-eighths')
        .map((entry) => (entry as PerformanceMeasure).detail as { blocks: number; paginateMs: number })
        .at(-1),
    );
  await expect.poll(async () => (await run())?.blocks ?? 0, { timeout: 15_000 }).toBe(script.blocks);
  const paginate = `${(await run())?.paginateMs.toFixed(1)} ms to read and paginate ${script.blocks} blocks`;
  testInfo.annotations.push({ type: 'live-eighths-ms', description: paginate });
  console.log(`120-page live eighths: ${paginate}`);
});
