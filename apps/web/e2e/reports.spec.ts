/**
 * The printed reports a crew takes on set, made in the browser from the local board and
 * opened with poppler (pdfinfo, pdftotext) the way a reader would see them: the shot list
 * by scene and by day, its CSV for spreadsheets, and the one-liner.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { parseCsv } from '@clapper/domain';
import { type ClapperHelpers, expect, test } from './fixtures.ts';
import { board } from './support/board.ts';
import { downloadFrom, readPdf, reportsMenu } from './support/reports.ts';

/** Two scenes before the first day break (Day 1), a break dated Tue 10 Mar, one scene after it (Day 2). */
async function boardWithTwoDays(clapper: ClapperHelpers, name: string) {
  const user = await clapper.newUser('ad');
  const projectId = await clapper.createProject(user.page, name);
  const { page } = user;
  const scene1 = await board.addScene(page, 'INT. LIGHTHOUSE - NIGHT');
  await board.edit(scene1, 'Page eighths', '1 3/8');
  await board.addShot(page, '1');
  await board.edit(board.shot(page, '1A'), 'Description', 'Wide, the "beam" turning');
  await board.shot(page, '1A').getByLabel('Shot size').selectOption('WS');
  await board.edit(board.shot(page, '1A'), 'Lens', '24mm');
  await board.addShot(page, '1');
  await board.edit(board.shot(page, '1B'), 'Description', 'Maya on the stairs');
  const scene2 = await board.addScene(page, 'EXT. PIER - DAY');
  await board.edit(scene2, 'Page eighths', '1');
  await board.addShot(page, '2');
  await board.edit(board.shot(page, '2A'), 'Description', 'Gulls over the pier');
  await page.getByRole('button', { name: '+ Day break' }).click();
  await expect(board.banners(page)).toHaveCount(1);
  await board.edit(board.banners(page).first(), 'Shoot date', 'Tue 10 Mar');
  const scene3 = await board.addScene(page, 'INT. CAR - NIGHT');
  await board.edit(scene3, 'Page eighths', '3/8');
  await board.addShot(page, '3');
  await board.edit(board.shot(page, '3A'), 'Description', 'Headlights');
  await board.waitSynced(page);
  return { ...user, projectId };
}

async function report(page: Page, button: string): Promise<string> {
  const menu = await reportsMenu(page);
  return downloadFrom(page, () => menu.getByRole('button', { name: button }).click());
}

/** The lines of a page's text that hold something, whitespace squeezed. */
const linesOf = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '');

test('[SL1][SL2][OL1] the shot list (by scene, by day, CSV) and the one-liner download from the board, laid out as crews read them', async ({
  clapper,
}) => {
  test.setTimeout(180_000);
  const { page } = await boardWithTwoDays(clapper, 'Harbour Lights');

  // Shot list by scene: a block per scene in script order, a row per shot with its day.
  const byScene = readPdf(await report(page, 'Shot list PDF'));
  expect(byScene.info).toMatch(/Page size:\s+792 x 612 pts \(letter\)/);
  expect(byScene.info).toMatch(/Title:\s+Harbour Lights — Shot list by scene/);
  let lines = linesOf(byScene.text);
  expect(lines).toContain('Harbour Lights — Shot list');
  const headings = lines.filter((line) => line.startsWith('Scene '));
  expect(headings).toEqual([
    'Scene 1 — INT. LIGHTHOUSE - NIGHT',
    'Scene 2 — EXT. PIER - DAY',
    'Scene 3 — INT. CAR - NIGHT',
  ]);
  expect(lines).toContainEqual(expect.stringMatching(/^1A 1 WS 24mm Wide, the "beam" turning$/));
  expect(lines).toContainEqual(expect.stringMatching(/^3A 2 Headlights$/));
  expect(lines).toContain('Page 1 of 1');

  // By day: Day 1 (before the break) and Day 2 with its date; shots in shooting order.
  const menu = await reportsMenu(page);
  await menu.getByLabel('Shot list order').selectOption('day');
  const byDay = readPdf(await report(page, 'Shot list PDF'));
  lines = linesOf(byDay.text);
  expect(lines.filter((line) => line.startsWith('Day '))).toEqual(['Day 1', 'Day 2 — Tue 10 Mar']);
  const order = lines.filter((line) => /^[123][AB] /.test(line)).map((line) => line.split(' ')[0]);
  expect(order).toEqual(['1A', '1B', '2A', '3A']);

  // CSV (RFC 4180): the comma and quotes in a description survive a spreadsheet's reading.
  const csvFile = await report(page, 'Shot list CSV');
  expect(path.basename(csvFile)).toBe('Harbour Lights - Shot list by day.csv');
  const csv = readFileSync(csvFile, 'utf8');
  expect(csv).toContain('\r\n');
  expect(parseCsv(csv)).toEqual([
    ['Day', 'Scene', 'Heading', 'Shot', 'Size', 'Movement', 'Lens', 'Description', 'Duration (s)', 'Done'],
    ['1', '1', 'INT. LIGHTHOUSE - NIGHT', '1A', 'WS', '', '24mm', 'Wide, the "beam" turning', '', 'no'],
    ['1', '1', 'INT. LIGHTHOUSE - NIGHT', '1B', '', '', '', 'Maya on the stairs', '', 'no'],
    ['1', '2', 'EXT. PIER - DAY', '2A', '', '', '', 'Gulls over the pier', '', 'no'],
    ['2', '3', 'INT. CAR - NIGHT', '3A', '', '', '', 'Headlights', '', 'no'],
  ]);

  // One-liner: one line per scene grouped by day, each day closed with its pages.
  const oneLinerFile = await report(page, 'One-liner PDF');
  expect(path.basename(oneLinerFile)).toBe('Harbour Lights - One-liner.pdf');
  const oneLiner = readPdf(oneLinerFile);
  expect(oneLiner.info).toMatch(/Page size:\s+612 x 792 pts \(letter\)/);
  lines = linesOf(oneLiner.text);
  expect(lines).toContain('2 shooting days · 3 scenes · 2 6/8 pages');
  const schedule = lines.filter((line) => /^(Day \d|End of Day|\d+ (INT|EXT) )/.test(line));
  expect(schedule).toEqual([
    'Day 1',
    '1 INT LIGHTHOUSE NIGHT 1 3/8',
    '2 EXT PIER DAY 1',
    'End of Day 1 — 2 scenes — 2 3/8 pages',
    'Day 2 — Tue 10 Mar',
    '3 INT CAR NIGHT 3/8',
    'End of Day 2 — Tue 10 Mar — 1 scene — 3/8 pages',
  ]);
  writeFileSync(path.join(path.dirname(oneLinerFile), 'one-liner.txt'), oneLiner.text);
  await clapper.screenshot(page, 'reports-menu');
});
