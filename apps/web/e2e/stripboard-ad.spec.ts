/**
 * The stripboard as an assistant director reads it (issue 11.2): strips coloured and
 * labelled by INT/EXT × DAY/NIGHT, pages in eighths, day totals (Day 1 above the first
 * day break), column headers for scenes, and data entry as a crew types it.
 */
import { contrastRatio } from '@clapper/domain';
import type { Locator, Page } from '@playwright/test';
import { board } from './support/board.ts';
import { expect, test } from './fixtures.ts';
import { blocks, caretAtEnd, importFountainFile, openSharedScript, waitReady } from './support/script-editor.ts';

/** The promise: another window shows a change within a second, without a reload. */
const seenWithin = { timeout: 1_000 };

/** `rgb(r, g, b)` -> `#rrggbb`. */
function hexOf(rgb: string): string {
  const [r, g, b] = (rgb.match(/\d+/g) ?? []).map(Number);
  return `#${[r, g, b].map((c) => (c ?? 0).toString(16).padStart(2, '0')).join('')}`;
}

async function contrastOf(row: Locator): Promise<number> {
  const { color, background } = await row.evaluate((element) => {
    const style = getComputedStyle(element);
    return { color: style.color, background: style.backgroundColor };
  });
  return contrastRatio(hexOf(color), hexOf(background));
}

test('[SC1][SC2][S2][S9][E3] an AD reads the board: coloured, labelled strips, pages in eighths, day totals, Day 1 above the first break', async ({
  clapper,
}) => {
  const a = await clapper.newUser('assistant-director');
  const b = await clapper.newUser('line-producer');
  const projectId = await clapper.createProject(a.page, 'Strip Colours');
  await clapper.invite(a.page, projectId, b.email, 'editor');
  await clapper.openProject(a.page, projectId);
  await clapper.openProject(b.page, projectId);
  await board.waitSynced(b.page);

  // Scene rows have their own column headers.
  for (const column of ['Sc.', 'I/E · D/N', 'Heading', 'Location', 'Time', 'Pages', 'Cast', 'Days']) {
    await expect(a.page.getByTestId('scene-columns')).toContainText(column);
  }
  await expect(a.page.getByTestId('shot-columns')).toContainText('Dur.');

  // A heading typed on the board fills location and time of day; the strip takes its colour.
  const kitchen = await board.addScene(a.page, 'int. kitchen - night');
  await expect(kitchen.getByLabel('Scene heading')).toHaveValue('INT. KITCHEN - NIGHT');
  await expect(kitchen.getByLabel('Location')).toHaveValue('KITCHEN');
  await expect(kitchen.getByLabel('Time of day')).toHaveValue('NIGHT');
  await board.edit(kitchen, 'Page eighths', '1 3/8');
  await expect(kitchen.getByLabel('Page eighths')).toHaveValue('1 3/8');

  const cliff = await board.addScene(a.page, 'EXT. CLIFF ROAD - DAY');
  await board.edit(cliff, 'Page eighths', '6/8');
  const office = await board.addScene(a.page, 'INT. OFFICE');
  await office.getByLabel('Time of day').selectOption('DAY');
  await board.edit(office, 'Page eighths', '1/2');

  // Shooting day 2 starts with a day break after them; one more scene on it.
  await a.page.getByRole('button', { name: '+ Day break' }).click();
  const pier = await board.addScene(a.page, 'EXT. PIER - DUSK');
  await board.edit(pier, 'Page eighths', '2');

  // The other window sees the strips, coloured and labelled, within a second.
  const expected = [
    { number: '1', colour: 'blue', label: 'INT · NIGHT', pages: '1 3/8' },
    { number: '2', colour: 'yellow', label: 'EXT · DAY', pages: '6/8' },
    { number: '3', colour: 'white', label: 'INT · DAY', pages: '4/8' },
    { number: '4', colour: 'green', label: 'EXT · NIGHT', pages: '2' },
  ];
  for (const strip of expected) {
    const row = board.scene(b.page, strip.number);
    await expect(row).toHaveAttribute('data-colour', strip.colour, seenWithin);
    await expect(row.getByTestId('strip-class')).toHaveText(strip.label);
    await expect(row.getByLabel('Page eighths')).toHaveValue(strip.pages, seenWithin);
    expect(await contrastOf(row), `scene ${strip.number}`).toBeGreaterThanOrEqual(4.5);
  }
  // Distinct colours, not one colour with different labels.
  const backgrounds = await b.page
    .getByTestId('scene-row')
    .evaluateAll((rows) => rows.map((row) => getComputedStyle(row).backgroundColor));
  expect(new Set(backgrounds).size).toBe(4);

  // Day 1 is the work above the first day break: three scenes, 1 3/8 + 6/8 + 4/8 = 2 5/8 pages.
  const opening = b.page.getByTestId('opening-day');
  await expect(opening).toContainText('Day 1');
  await expect(opening.getByTestId('day-summary')).toHaveText('3 scenes · 2 5/8 pages · 0 shots');
  await expect(board.scene(b.page, '1').getByTestId('scene-days')).toHaveText('Day 1');
  const day2 = board.banners(b.page).first();
  await expect(day2).toHaveAttribute('data-day', '2');
  await expect(day2.getByTestId('day-summary')).toHaveText('1 scene · 2 pages · 0 shots');

  // A shot on the pier scene counts on day 2.
  await board.addShot(a.page, '4');
  await expect(day2.getByTestId('day-summary')).toHaveText('1 scene · 2 pages · 1 shot', seenWithin);

  // Day 1 gets a day break of its own (first on the board): the numbers stay, a record appears.
  await a.page.getByTestId('opening-day').getByRole('button', { name: 'Add its day break' }).click();
  await expect(b.page.getByTestId('opening-day')).toHaveCount(0, seenWithin);
  await expect(board.banners(b.page)).toHaveCount(2);
  await expect(board.banners(b.page).first()).toHaveAttribute('data-day', '1');
  await expect(board.banners(b.page).first().getByTestId('day-summary')).toHaveText('3 scenes · 2 5/8 pages · 0 shots');
  await expect
    .poll(() => board.outline(b.page))
    .toEqual(['day:1', 'scene:1', 'scene:2', 'scene:3', 'day:2', 'scene:4', 'shot:4A']);
  await board.waitSynced(a.page);
  await clapper.screenshot(b.page, 'stripboard-ad-colours-and-totals');
});

test('[E1][E2][E4] pages and durations are typed as a crew writes them; what a field cannot take is shown, never dropped', async ({
  clapper,
}) => {
  const a = await clapper.newUser('script-supervisor');
  const b = await clapper.newUser('director');
  const projectId = await clapper.createProject(a.page, 'Data Entry');
  await clapper.invite(a.page, projectId, b.email, 'editor');
  await clapper.openProject(a.page, projectId);
  await clapper.openProject(b.page, projectId);
  await board.waitSynced(b.page);

  const scene = await board.addScene(a.page, 'INT. STUDIO - DAY');
  await board.addShot(a.page, '1');
  await board.addShot(a.page, '1');
  const first = board.shot(a.page, '1A');
  const second = board.shot(a.page, '1B');

  // Durations: minutes:seconds and plain seconds are the same duration.
  await board.edit(first, 'Duration', '1:30');
  await board.edit(second, 'Duration', '90');
  await expect(first.getByLabel('Duration')).toHaveValue('1:30');
  await expect(second.getByLabel('Duration')).toHaveValue('1:30');
  await expect(board.shot(b.page, '1B').getByLabel('Duration')).toHaveValue('1:30', seenWithin);

  // A duration the field can't take: marked invalid, the reason shown, the text kept, nothing written.
  await board.edit(first, 'Duration', '1:75');
  const duration = first.getByLabel('Duration');
  await expect(duration).toHaveAttribute('aria-invalid', 'true');
  await expect(duration).toHaveValue('1:75');
  await expect(first.getByTestId('field-error')).toContainText('1:30');
  await expect(first.getByRole('alert')).toBeVisible();
  await expect(board.shot(b.page, '1A').getByLabel('Duration')).toHaveValue('1:30');
  // Corrected, it is written; the error goes.
  await duration.fill('2:05');
  await duration.press('Enter');
  await expect(first.getByTestId('field-error')).toHaveCount(0);
  await expect(board.shot(b.page, '1A').getByLabel('Duration')).toHaveValue('2:05', seenWithin);

  // Pages: an impossible length is refused on the field; Escape abandons it and shows the value again.
  await board.edit(scene, 'Page eighths', '1 3/8');
  await expect(board.scene(b.page, '1').getByLabel('Page eighths')).toHaveValue('1 3/8', seenWithin);
  await board.edit(scene, 'Page eighths', 'one page');
  await expect(scene.getByTestId('field-error')).toContainText('1 3/8');
  await expect(scene.getByLabel('Page eighths')).toHaveAttribute('aria-invalid', 'true');
  await expect(scene.getByLabel('Page eighths')).toHaveValue('one page');
  await clapper.screenshot(a.page, 'stripboard-field-error');
  await scene.getByLabel('Page eighths').focus();
  await scene.getByLabel('Page eighths').press('Escape');
  await expect(scene.getByTestId('field-error')).toHaveCount(0);
  await expect(scene.getByLabel('Page eighths')).toHaveValue('1 3/8');
  await board.edit(scene, 'Page eighths', '2 4/8');
  await expect(board.scene(b.page, '1').getByLabel('Page eighths')).toHaveValue('2 4/8', seenWithin);
  await board.waitSynced(a.page);
});

/** Scene numbers top to bottom, as the board shows them. */
const sceneNumbers = (page: Page) =>
  page.getByTestId('scene-row').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.number ?? ''));

const sceneWithHeading = (page: Page, heading: string) =>
  page.locator('[data-testid="scene-row"]', { has: page.locator(`input[value="${heading}"]`) });

/**
 * Adds a scene (last on the board) and moves it up with Alt+↑ until it sits right below
 * the scene showing `below` (how many steps depends on the keys: equal keys left by
 * concurrent adds are passed together, S4).
 */
async function addSceneBelow(page: Page, heading: string, below: string): Promise<Locator> {
  await board.addScene(page, heading);
  const scene = sceneWithHeading(page, heading);
  const headingAbove = async () => {
    const headings = await page
      .getByLabel('Scene heading')
      .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
    return headings.indexOf(heading) - 1;
  };
  for (let step = 0; step < 5; step++) {
    const numbers = await sceneNumbers(page);
    const above = await headingAbove();
    if (numbers[above] === below) break;
    await scene.focus();
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(headingAbove).not.toBe(above);
  }
  return scene;
}

test('[N1][N2][N3] two windows add scenes at once, offline: numbers stay unique, and after the lock scenes added between 1 and 2 are 1A and 1B', async ({
  clapper,
}) => {
  const a = await clapper.newUser('first-ad');
  const b = await clapper.newUser('second-ad');
  const projectId = await clapper.createProject(a.page, 'Scene Numbers');
  await clapper.invite(a.page, projectId, b.email, 'editor');
  await clapper.openProject(a.page, projectId);
  await board.addScene(a.page, 'INT. HALL - DAY');
  await board.waitSynced(a.page);
  await clapper.openProject(b.page, projectId);
  await expect(b.page.getByTestId('scene-row')).toHaveCount(1);
  await board.waitSynced(b.page);

  // Unlocked, both add a scene offline: each window calls its own scene 2.
  await a.context.setOffline(true);
  await b.context.setOffline(true);
  await board.addScene(a.page, 'INT. ATTIC - DAY');
  await board.addScene(b.page, 'EXT. BARN - DAY');
  await expect(sceneWithHeading(a.page, 'INT. ATTIC - DAY')).toHaveAttribute('data-number', '2');
  await expect(sceneWithHeading(b.page, 'EXT. BARN - DAY')).toHaveAttribute('data-number', '2');
  await a.context.setOffline(false);
  await b.context.setOffline(false);
  // Back online, pushes done: from here on each window shows the other's changes live (no
  // reload; the burst of nudges a window gets on its return once left it one behind, C19).
  await board.waitSynced(a.page);
  await board.waitSynced(b.page);
  // Once synced, three scenes numbered 1, 2, 3 alike on both windows: no two scene 2s.
  for (const page of [a.page, b.page]) {
    await expect(page.getByTestId('scene-row')).toHaveCount(3);
    await expect.poll(() => sceneNumbers(page)).toEqual(['1', '2', '3']);
    await expect(page.getByTestId('scene-row').first()).toHaveAttribute('data-number-state', 'board');
  }
  const order = async (page: Page) =>
    page.getByLabel('Scene heading').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
  await expect.poll(() => order(b.page)).toEqual(await order(a.page));

  // A locks the numbers; B sees them locked.
  await a.page.getByRole('button', { name: 'Lock scene numbers' }).click();
  await expect(b.page.getByTestId('numbering-status')).toContainText('numbers locked');
  await expect(b.page.getByRole('button', { name: 'Lock scene numbers' })).toHaveCount(0);
  await board.waitSynced(a.page);
  await board.waitSynced(b.page);
  const locked = await sceneNumbers(a.page);

  // Both, offline again, add a scene and move it between scenes 1 and 2: each window calls it 1A.
  await a.context.setOffline(true);
  await b.context.setOffline(true);
  const cellar = await addSceneBelow(a.page, 'INT. CELLAR - NIGHT', '1');
  const dock = await addSceneBelow(b.page, 'EXT. DOCK - NIGHT', '1');
  await expect(cellar).toHaveAttribute('data-number', '1A');
  await expect(cellar).toHaveAttribute('data-number-state', 'provisional');
  await expect(dock).toHaveAttribute('data-number', '1A');
  await expect.poll(() => sceneNumbers(a.page)).toEqual(['1', '1A', '2', '3']);
  await a.context.setOffline(false);
  await b.context.setOffline(false);
  await board.waitSynced(a.page);
  await board.waitSynced(b.page);

  // Synced: 1A and 1B, the same on both windows; the locked numbers never moved.
  for (const page of [a.page, b.page]) {
    await expect(page.getByTestId('scene-row')).toHaveCount(5);
    await expect.poll(() => sceneNumbers(page)).toEqual(['1', '1A', '1B', '2', '3']);
    expect((await sceneNumbers(page)).filter((n) => !/A|B/.test(n))).toEqual(locked);
  }
  await expect.poll(() => order(b.page)).toEqual(await order(a.page));

  // A typed number another scene has is refused on the field; a new one is locked.
  const third = board.scene(a.page, '3');
  await board.edit(third, 'Scene number', '1a');
  await expect(third.getByTestId('field-error')).toHaveText('Scene 1A already exists');
  await third.getByLabel('Scene number').fill('3X');
  await third.getByLabel('Scene number').press('Enter');
  await expect(board.scene(b.page, '3X')).toHaveAttribute('data-number-state', 'locked', seenWithin);

  // B locks again: 1A and 1B are fixed, so a later move can't change them.
  await b.page.getByRole('button', { name: 'Lock scene numbers' }).click();
  await expect(board.scene(a.page, '1B')).toHaveAttribute('data-number-state', 'locked', seenWithin);
  await board.scene(a.page, '1B').focus();
  await a.page.keyboard.press('Alt+ArrowDown');
  // Scenes 2 and 3X share a key (added at once, offline), so one step passes both (S4).
  await expect.poll(() => sceneNumbers(b.page)).toEqual(['1', '1A', '2', '3X', '1B']);
  await board.waitSynced(a.page);
  await clapper.screenshot(b.page, 'stripboard-scene-numbers');
});

const lighthouse = `INT. LIGHTHOUSE - NIGHT #1#

Rain hammers the glass.

MARA (V.O.)
They never found the keeper.

TOM
Nobody looked.

EXT. HARBOUR - DAWN #2#

Boats knock together.

MARA (CONT'D)
Morning.
`;

/** On the Cast & crew tab: a person with a cast number, cast as `character`. */
async function castPerson(page: Page, row: number, name: string, castNumber: string, character: string) {
  const cast = page.getByTestId('cast-crew');
  await cast.getByRole('button', { name: '+ Person' }).click();
  const person = cast.getByTestId('person-row').nth(row);
  for (const [label, value] of [
    ['Name', name],
    ['Cast #', castNumber],
  ] as const) {
    await person.getByLabel(label, { exact: true }).fill(value);
    await person.getByLabel(label, { exact: true }).press('Enter');
  }
  await person.getByLabel(`Add a character ${name} plays`).fill(character);
  await person.getByLabel(`Add a character ${name} plays`).press('Enter');
  await expect(person.locator('.chip')).toHaveText([`${character}×`]);
}

test('[CH4][N2] each strip shows the cast ids of the characters in its scene, live in a second window; a numbered script builds locked scenes', async ({
  clapper,
}) => {
  test.setTimeout(180_000);
  const { a, b, projectId } = await openSharedScript(clapper);
  await importFountainFile(a.page, 'lighthouse.fountain', lighthouse, 2);

  await a.page.getByRole('tab', { name: 'Shot list' }).click();
  await a.page.getByRole('button', { name: 'Build from script' }).click();
  await expect(a.page.getByTestId('build-message')).toHaveText('Added 2 scenes from the script.');
  // The script writes its numbers (#1#, #2#): the scenes arrive locked.
  await expect(board.scene(a.page, '1')).toHaveAttribute('data-number-state', 'locked');
  await expect(board.scene(a.page, '1').getByTestId('cast-ids')).toHaveText('—');

  await clapper.openProject(b.page, projectId);
  await expect(b.page.getByTestId('scene-row')).toHaveCount(2);

  // A casts Ada as #1 (Mara), then Tom as #2; B's strips show the ids without a reload.
  await a.page.getByRole('tab', { name: 'Cast & crew' }).click();
  await castPerson(a.page, 0, 'Ada Lind', '1', 'MARA');
  await expect(board.scene(b.page, '1').getByTestId('cast-ids')).toHaveText('1');
  await expect(board.scene(b.page, '2').getByTestId('cast-ids')).toHaveText('1');
  await castPerson(a.page, 1, 'Tom Reyes', '2', 'TOM');
  await expect(board.scene(b.page, '1').getByTestId('cast-ids')).toHaveText('1, 2');
  await expect(board.scene(b.page, '2').getByTestId('cast-ids')).toHaveText('1');
  await a.page.getByRole('tab', { name: 'Shot list' }).click();
  await expect(board.scene(a.page, '1').getByTestId('cast-ids')).toHaveText('1, 2');

  // A writes Tom into scene 2; B's board (reading the script's cues in its worker) follows.
  await a.page.getByRole('tab', { name: 'Script' }).click();
  await waitReady(a.page);
  await caretAtEnd(a.page, (await blocks(a.page)).length - 1);
  await a.page.keyboard.press('Enter');
  await a.page.keyboard.type('TOM');
  await a.page.keyboard.press('Enter');
  await a.page.keyboard.type('Late again.');
  await expect
    .poll(async () => (await blocks(a.page)).slice(-2))
    .toEqual([
      { type: 'character', text: 'TOM' },
      { type: 'dialogue', text: 'Late again.' },
    ]);
  await expect(board.scene(b.page, '2').getByTestId('cast-ids')).toHaveText('1, 2');
  await expect(board.scene(b.page, '1').getByTestId('cast-ids')).toHaveText('1, 2');
  await a.page.getByRole('tab', { name: 'Shot list' }).click();
  await board.waitSynced(a.page);
  await clapper.screenshot(b.page, 'stripboard-cast-ids');
});
