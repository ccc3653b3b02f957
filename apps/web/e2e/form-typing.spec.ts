/**
 * Typing into Cast & crew and a call sheet with a crew list (20 people, then 70): a keystroke costs
 * its own field, not the page. Chromium's autofill reads, after every keystroke in a text
 * field, the whole form the field belongs to, checking each control's style and layout;
 * fields outside any `<form>` all count as one form of the document (the board's rows have
 * the same guard: board-typing.spec.ts). Each person's cells here are forms of their own.
 */
import type { Database, Model } from '@nozbe/watermelondb';
import type { Locator, Page } from '@playwright/test';
import { seedLongBoard } from './support/long-board.ts';
import { openCallSheet } from './support/production.ts';
import { styleAndLayoutUpdates } from './support/style-updates.ts';
import { expect, test } from './fixtures.ts';

// Playwright's own trace would add its DOM snapshots' style and layout to the count below.
test.use({ trace: 'off' });

/** `count` people from number `from`, the first `cast` of them cast. */
async function seedPeople(page: Page, projectId: string, from: number, count: number, cast: number) {
  await page.evaluate(
    async ({ id, from, count, cast }) => {
      const { database } = (window as unknown as { __clapper: Record<string, { database: Database }> }).__clapper[id]!;
      await database.write(async () => {
        const batch: Model[] = [];
        for (let n = from; n < from + count; n++) {
          const isCast = n < from + cast;
          batch.push(
            database.get('people').prepareCreate((record) => {
              record._raw.id = `person${n}`;
              Object.assign(record, {
                name: `Person ${n + 1}`,
                department: isCast ? 'Cast' : ['Camera', 'Grip', 'Electric', 'Art'][n % 4],
                role: isCast ? `Part ${n + 1}` : 'Crew',
                email: '',
                phone: '',
                notes: '',
                castNumber: isCast ? n + 1 : null,
              });
            }),
          );
        }
        await database.batch(batch);
      });
    },
    { id: projectId, from, count, cast },
  );
}

/** Each field in `scope` and the size of the form it belongs to (Infinity: none). */
async function formSizes(scope: Locator) {
  return scope.evaluate((root) =>
    [
      ...root.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>('input, textarea, select'),
    ].map((field) => field.form?.elements.length ?? Number.POSITIVE_INFINITY),
  );
}

/** Types into `field` under a trace; style-and-layout updates a keystroke. */
async function updatesPerKey(page: Page, field: Locator) {
  await field.click();
  const typed = 'Standby at base';
  const { keydowns, updates } = await styleAndLayoutUpdates(page, () => page.keyboard.type(typed, { delay: 50 }));
  expect(keydowns).toBe(typed.length);
  await field.press('Enter');
  await expect(field).toHaveValue(typed);
  return updates / keydowns;
}

test('a keystroke in Cast & crew or a call sheet costs its field: each person’s cells are forms of their own', async ({
  clapper,
}) => {
  test.setTimeout(120_000);
  const { page } = await clapper.newUser('form-typing');
  const projectId = await clapper.createProject(page, 'Typing Crew');
  await seedLongBoard(page, projectId, 5);
  // Chromium's autofill skips a form of more than 200 fields, so each page is measured below that.
  await seedPeople(page, projectId, 0, 20, 5);

  await page.getByRole('tab', { name: 'Cast & crew' }).click();
  const castCrew = page.getByTestId('cast-crew');
  await expect(castCrew.getByTestId('person-row')).toHaveCount(20);
  const castCrewForms = await formSizes(castCrew);
  expect(castCrewForms.length).toBeGreaterThan(7 * 20);
  expect(Math.max(...castCrewForms)).toBeLessThanOrEqual(4);
  const notes = castCrew.locator('[data-person-id="person10"]').getByLabel('Notes', { exact: true });
  const castCrewUpdates = await updatesPerKey(page, notes);
  console.log(`Cast & crew: ${castCrewForms.length} fields, ${castCrewUpdates.toFixed(1)} updates a keystroke`);
  // Before: ~4 updates a keystroke for every field on the page (684 for 161 fields).
  expect(castCrewUpdates).toBeLessThan(castCrewForms.length);

  // Day 1 is the first day break's: the whole crew has a call line on it.
  await seedPeople(page, projectId, 20, 50, 0);
  const sheet = await openCallSheet(page, 1);
  await expect(sheet.getByTestId('crew-call')).toHaveCount(65);
  const sheetForms = await formSizes(sheet);
  expect(sheetForms.length).toBeGreaterThan(2 * 65);
  expect(Math.max(...sheetForms)).toBeLessThanOrEqual(4);
  const call = sheet.getByLabel('Notes, Person 50', { exact: true });
  const sheetUpdates = await updatesPerKey(page, call);
  console.log(`Call sheet: ${sheetForms.length} fields, ${sheetUpdates.toFixed(1)} updates a keystroke`);
  expect(sheetUpdates).toBeLessThan(sheetForms.length);

  // Enter committed both without leaving the page; they are saved.
  await page.reload();
  await page.getByRole('tab', { name: 'Cast & crew' }).click();
  await expect(
    page.getByTestId('cast-crew').locator('[data-person-id="person10"]').getByLabel('Notes', { exact: true }),
  ).toHaveValue('Standby at base');
});
