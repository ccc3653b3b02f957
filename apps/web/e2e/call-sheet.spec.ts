/**
 * Call sheets in Chromium against the production build and a real server: one per
 * shooting day, derived from the board (scenes, pages, cast ids from who plays whom in the
 * script, the advance schedule) and following it live; typed parts co-edited by two
 * people; the PDF read back with poppler; and a PDF made with the network gone.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { board } from './support/board.ts';
import { openCallSheet, production } from './support/production.ts';
import { downloadFrom, readPdf, reportsMenu } from './support/reports.ts';

/** The scene lines of a sheet's table: `number | heading | D/N | pages | cast`. */
async function sceneLines(table: Locator): Promise<string[]> {
  return table
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) =>
        [...row.querySelectorAll('td')]
          .map((cell, i) => (i === 1 ? (cell.firstElementChild?.textContent ?? '') : (cell.textContent ?? '')).trim())
          .join(' | '),
      ),
    );
}

/** A typed field of the sheet by its label. */
const field = (sheet: Locator, label: string): Locator => sheet.getByRole('textbox', { name: label, exact: true });

async function type(sheet: Locator, label: string, value: string): Promise<void> {
  const input = field(sheet, label);
  await input.fill(value);
  // Leaving the field writes it; blur rather than Tab, which would put this user in the next field
  // (where remote changes wait until they leave it).
  await input.blur();
}

const linesOf = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '');

async function downloadPdf(page: Page, sheet: Locator): Promise<string> {
  return downloadFrom(page, () => sheet.getByRole('button', { name: 'Download PDF' }).click());
}

test('[CS1-CS5] two windows co-edit a call sheet: typed fields merge, derived parts follow the board live, and the PDF has it all', async ({
  clapper,
}) => {
  test.setTimeout(240_000);
  const a = await production(clapper, 'Harbour Lights');
  const b = await clapper.newUser('second-ad');
  await clapper.invite(a.page, a.projectId, b.email, 'editor');
  await clapper.openProject(a.page, a.projectId);
  await clapper.openProject(b.page, a.projectId);
  await board.waitSynced(b.page);

  // Day 1 is the two scenes above the day break: derived at once, but with no break to keep typed fields on.
  const sheetA = await openCallSheet(a.page, 1);
  await expect(sheetA.getByTestId('call-sheet-day')).toHaveText(/^Day 1 of 2 · .+ pages?$/);
  await expect(field(sheetA, 'General crew call')).toBeDisabled();
  await sheetA.getByRole('button', { name: 'Add a day break at the top' }).click();
  await expect(field(sheetA, 'General crew call')).toBeEnabled();

  // B gets there from the day's break on the board.
  await expect(board.banners(b.page)).toHaveCount(2);
  await board.banners(b.page).first().getByRole('button', { name: 'Call sheet for day 1' }).click();
  const sheetB = b.page.getByTestId('call-sheet');
  await expect(sheetB).toHaveAttribute('data-day', '1');
  await expect(field(sheetB, 'General crew call')).toBeEnabled();
  for (const sheet of [sheetA, sheetB]) {
    await expect
      .poll(() => sceneLines(sheet.getByTestId('call-sheet-scenes')))
      .toEqual([
        expect.stringMatching(/^1 \| INT\. LIGHTHOUSE - NIGHT \| NIGHT \| .+ \| 1, 5$/),
        expect.stringMatching(/^2 \| EXT\. PIER - DAY \| DAY \| .+ \| 2$/),
      ]);
    await expect
      .poll(() => sceneLines(sheet.getByTestId('advance-scenes')))
      .toEqual([expect.stringMatching(/^3 \| INT\. CAR - NIGHT \| NIGHT \| .+ \| 1, 2$/)]);
  }
  await expect(sheetB.getByTestId('cast-call')).toHaveCount(3);
  await expect(sheetB.getByTestId('crew-call')).toHaveCount(2);

  // Both type at once: different fields of the sheet, and different times of the same
  // actor's call, which neither device has a record of yet.
  await Promise.all([
    (async () => {
      await type(sheetA, 'General crew call', '06:30');
      await type(sheetA, 'Pick-up, Ana Lima', '05:45');
      await type(sheetA, 'Call, Eve Grant', '05:30');
    })(),
    (async () => {
      await type(sheetB, 'Locations', 'Old Lighthouse\n1 Cliff Road, Porthcove');
      await type(sheetB, 'Hair & makeup, Ana Lima', '06:00');
      await type(sheetB, 'Nearest hospital', 'St Mary’s, Harbour Road, 01234 567890');
    })(),
  ]);
  for (const sheet of [sheetA, sheetB]) {
    await expect(field(sheet, 'General crew call')).toHaveValue('06:30');
    await expect(field(sheet, 'Locations')).toHaveValue('Old Lighthouse\n1 Cliff Road, Porthcove');
    await expect(field(sheet, 'Nearest hospital')).toHaveValue('St Mary’s, Harbour Road, 01234 567890');
    await expect(field(sheet, 'Pick-up, Ana Lima')).toHaveValue('05:45');
    await expect(field(sheet, 'Hair & makeup, Ana Lima')).toHaveValue('06:00');
    await expect(field(sheet, 'Call, Eve Grant')).toHaveValue('05:30');
  }

  // The board moves: A pulls the second day break up over scene 2; B's sheet follows without a reload.
  await a.page.getByRole('tab', { name: 'Shot list' }).click();
  await board.banners(a.page).nth(1).focus();
  await a.page.keyboard.press('Alt+ArrowUp');
  await expect.poll(() => board.outline(a.page)).toEqual(['day:1', 'scene:1', 'day:2', 'scene:2', 'scene:3']);
  await expect
    .poll(() => sceneLines(sheetB.getByTestId('call-sheet-scenes')))
    .toEqual([expect.stringMatching(/^1 \| INT\. LIGHTHOUSE - NIGHT \| NIGHT \| .+ \| 1, 5$/)]);
  await expect
    .poll(() => sceneLines(sheetB.getByTestId('advance-scenes')))
    .toEqual([expect.stringMatching(/^2 \| EXT\. PIER/), expect.stringMatching(/^3 \| INT\. CAR/)]);
  // Ben (Tom) is no longer in Day 1's scenes; the call sheet drops him as nobody typed his times.
  await expect(sheetB.getByTestId('cast-call')).toHaveCount(2);

  // The PDF from B's window: everything both typed, the day's scenes and the advance schedule.
  await board.waitSynced(b.page);
  const file = await downloadPdf(b.page, sheetB);
  expect(path.basename(file)).toBe('Harbour Lights - Call sheet Day 1.pdf');
  const pdf = readPdf(file);
  expect(pdf.info).toMatch(/Page size:\s+612 x 792 pts \(letter\)/);
  const lines = linesOf(pdf.text);
  const text = lines.join('\n');
  expect(text).toContain('Harbour Lights');
  expect(text).toContain('CALL SHEET');
  expect(text).toContain('06:30');
  expect(text).toContain('Day 1 of 2');
  expect(text).toContain('Old Lighthouse');
  // The address keeps its line break.
  expect(lines).toContainEqual(expect.stringMatching(/^Old Lighthouse\b/));
  expect(lines).toContainEqual(expect.stringMatching(/^1 Cliff Road, Porthcove$/));
  expect(text).toContain('St Mary’s, Harbour Road, 01234 567890');
  expect(lines).toContainEqual(expect.stringMatching(/^1 INT\. LIGHTHOUSE - NIGHT NIGHT .*1, 5$/));
  expect(lines).toContainEqual(expect.stringMatching(/^Total pages /));
  expect(lines).toContainEqual(expect.stringMatching(/^1 MAYA Ana Lima 05:45 06:00$/));
  expect(lines).toContainEqual(expect.stringMatching(/^5 KEEPER Cy Dunn$/));
  expect(lines).toContainEqual(expect.stringMatching(/^Production Ida Jones 1st AD 06:30$/));
  expect(lines).toContainEqual(expect.stringMatching(/^Camera Eve Grant Director of photography 05:30$/));
  expect(lines).toContainEqual(expect.stringMatching(/^Advance schedule — Day 2/));
  expect(lines).toContainEqual(expect.stringMatching(/^2 EXT\. PIER - DAY DAY .*2$/));
  expect(lines).toContainEqual(expect.stringMatching(/^3 INT\. CAR - NIGHT NIGHT .*1, 2$/));
  writeFileSync(path.join(path.dirname(file), 'call-sheet.txt'), pdf.text);
  await clapper.screenshot(b.page, 'call-sheet-co-edited');
});

test('[CS1] offline on location: a window that lost the network still makes the call sheet PDF, with what was typed offline', async ({
  clapper,
}) => {
  test.setTimeout(180_000);
  const { page, context, projectId } = await production(clapper, 'Offline Unit');
  await clapper.openProject(page, projectId);
  const sheet = await openCallSheet(page, 2);
  await type(sheet, 'General crew call', '07:00');
  await expect
    .poll(() => sceneLines(sheet.getByTestId('call-sheet-scenes')))
    .toEqual([expect.stringMatching(/^3 \| INT\. CAR - NIGHT \| NIGHT \| .+ \| 1, 2$/)]);
  await board.waitSynced(page);

  await context.setOffline(true);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-online', 'false');
  await type(sheet, 'Notes', 'Rain cover for the car rig. Low tide 14:10.');
  await type(sheet, 'On set, Ben Ode', '08:15');
  await expect(page.getByTestId('sync-status')).not.toHaveAttribute('data-pending', '0');

  const file = await downloadPdf(page, sheet);
  expect(path.basename(file)).toBe('Offline Unit - Call sheet Day 2.pdf');
  const lines = linesOf(readPdf(file).text);
  const text = lines.join('\n');
  expect(text).toContain('Day 2 of 2');
  expect(text).toContain('Wed 11 Mar');
  expect(text).toContain('07:00');
  expect(text).toContain('Rain cover for the car rig. Low tide 14:10.');
  expect(lines).toContainEqual(expect.stringMatching(/^3 INT\. CAR - NIGHT NIGHT .*1, 2$/));
  expect(lines).toContainEqual(expect.stringMatching(/^2 TOM Ben Ode 08:15$/));
  expect(text).toContain('This is the last day on the board.');

  // The one-liner from the board, offline too: cast ids from the local copy of the script.
  await page.getByRole('tab', { name: 'Shot list' }).click();
  const menu = await reportsMenu(page);
  const oneLiner = linesOf(
    readPdf(await downloadFrom(page, () => menu.getByRole('button', { name: 'One-liner PDF' }).click())).text,
  );
  expect(oneLiner).toContainEqual(expect.stringMatching(/^1 INT LIGHTHOUSE NIGHT \S+ 1, 5$/));
  expect(oneLiner).toContainEqual(expect.stringMatching(/^2 EXT PIER DAY \S+ 2$/));
  expect(oneLiner).toContainEqual(expect.stringMatching(/^3 INT CAR NIGHT \S+ 1, 2$/));
  expect(oneLiner).toContainEqual(expect.stringMatching(/^End of Day 2 — Wed 11 Mar — 1 scene — /));
  await clapper.screenshot(page, 'call-sheet-offline');
});
