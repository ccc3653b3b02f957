/**
 * A new project from a Fountain file (issue 10: "import into a new script"), in Chromium
 * against the production build and a real server: a screenplay saved the way Windows
 * screenwriting apps save it (byte-order mark, CRLF) picked on the project list becomes a
 * project named after its title page, opened on its script holding every element; Build
 * from script works there. A file dropped on the list does the same; a file that is not
 * a script is refused with a message and makes no project.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import {
  type ScriptBlock,
  formatEighths,
  isUppercaseElement,
  parseFountain,
  projectNameForScript,
  scenesFromScript,
  toCapitals,
} from '@clapper/domain';
import { expect, test } from './fixtures.ts';
import { board } from './support/board.ts';
import { blocks, editorOf, waitReady } from './support/script-editor.ts';

const testData = path.resolve(import.meta.dirname, '../../../packages/domain/test-data');
const ferryFile = readFileSync(path.join(testData, 'the-night-ferry.fountain'));
const lighthouseFile = readFileSync(path.join(testData, 'the-last-lighthouse.fountain'));

/** What the editor stores for imported blocks: headings, cues and transitions in capitals. */
const asStored = (list: readonly ScriptBlock[]): ScriptBlock[] =>
  list.map((block) => (isUppercaseElement(block.type) ? { ...block, text: toCapitals(block.text) } : block));

async function dropFile(page: Page, name: string, bytes: Buffer): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ name: fileName, data }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(data)], fileName, { type: 'text/plain' }));
      return transfer;
    },
    { name, data: [...bytes] },
  );
  const zone = page.getByTestId('project-drop-zone');
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
}

test('[TP1] New project from Fountain: a real-world file (BOM, CRLF) becomes a project named by its title page, its script holds every element, Build from script works there', async ({
  clapper,
}) => {
  test.setTimeout(180_000);
  const { page } = await clapper.newUser('writer');
  const expected = asStored(parseFountain(ferryFile.toString('utf8')));
  const name = projectNameForScript(expected, 'the-night-ferry.fountain');
  expect(name).toBe('THE NIGHT FERRY a short film');

  await page.getByTestId('new-project-fountain-input').setInputFiles({
    name: 'the-night-ferry.fountain',
    mimeType: 'text/plain',
    buffer: ferryFile,
  });
  await page.waitForURL(/\/projects\/[^/]+$/);
  const projectId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() as string);
  await expect(page.getByTestId('project-name')).toHaveText(name);
  // It opens on the script, which imports the file once it is ready.
  await expect(page.getByRole('tab', { name: 'Script' })).toHaveAttribute('aria-selected', 'true');
  await waitReady(page);
  await expect(editorOf(page).getByTestId('script-file-status')).toContainText(
    `Imported the-night-ferry.fountain: 6 scenes, ${expected.length} elements`,
  );
  await expect.poll(() => blocks(page)).toEqual(expected);
  // The dual-dialogue cue is stored as written.
  await expect(editorOf(page).locator('[data-element="character"]', { hasText: 'OWEN ^' })).toBeAttached();
  await clapper.screenshot(page, 'fountain-new-project-script');

  // The script went to the server: a reload (the pending import long gone) shows it again.
  await page.reload();
  await page.getByRole('tab', { name: 'Script' }).click();
  await waitReady(page);
  await expect.poll(() => blocks(page)).toEqual(expected);

  // Build from script: the six numbered scenes with their eighths.
  await page.getByRole('tab', { name: 'Shot list' }).click();
  await page.getByRole('button', { name: 'Build from script' }).click();
  await expect(page.getByTestId('build-message')).toHaveText('Added 6 scenes from the script.');
  for (const scene of scenesFromScript(expected)) {
    const row = board.scene(page, scene.number);
    await expect(row.getByLabel('Scene heading')).toHaveValue(scene.heading);
    await expect(row.getByLabel('Page eighths')).toHaveValue(formatEighths(scene.pageEighths ?? 0));
  }
  await clapper.screenshot(page, 'fountain-new-project-board');

  // On the project list under its name.
  await page.goto(clapper.env.webUrl);
  await expect(page.locator(`[data-project-id="${projectId}"] .project-name`)).toHaveText(name);
});

test('[TP1] a Fountain file dropped on the project list makes a project too; a file that is not a script makes none', async ({
  clapper,
}) => {
  test.setTimeout(120_000);
  const { page } = await clapper.newUser('producer');
  const alert = page.locator('p.form-error[role="alert"]');

  // Not a script: refused, nothing created.
  await dropFile(page, 'poster.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]));
  await expect(alert).toHaveText('poster.png is not a text file: choose a Fountain (.fountain) script.');
  await dropFile(page, 'empty.fountain', Buffer.from('\r\n  \r\n'));
  await expect(alert).toHaveText('empty.fountain is empty.');
  await expect(page.locator('.project-item')).toHaveCount(0);

  await dropFile(page, 'lighthouse-draft.fountain', lighthouseFile);
  await page.waitForURL(/\/projects\/[^/]+$/);
  await expect(page.getByTestId('project-name')).toHaveText('THE LAST LIGHTHOUSE');
  await waitReady(page);
  await expect(editorOf(page).getByTestId('script-file-status')).toContainText(
    'Imported lighthouse-draft.fountain: 8 scenes',
  );
  await expect.poll(() => blocks(page)).toEqual(asStored(parseFountain(lighthouseFile.toString('utf8'))));
});
