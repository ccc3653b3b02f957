/**
 * Cast & crew and the breakdown in two windows (issue 11.1): people added, edited,
 * searched and removed on one device appear on the other; characters come from the
 * script's cues, folded (CH1-CH3); a cast member is linked to the characters they play;
 * each scene shows its characters from the script (CH4) and what was added by hand, and
 * its strip the cast ids of the people playing them.
 */
import { expect, test } from './fixtures.ts';
import { editorOf, openScript, sharedScript, waitReady } from './support/script-editor.ts';

const script = `INT. LIGHTHOUSE - NIGHT #1#

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

test('[CH1-CH4] a cast list co-edited in two windows; characters from the script, cast; a scene breakdown', async ({
  clapper,
}) => {
  test.setTimeout(240_000);
  const { a, b, projectId } = await sharedScript(clapper, 'editor');
  await openScript(clapper, a.page, projectId);
  await waitReady(a.page);
  await editorOf(a.page)
    .getByTestId('fountain-file-input')
    .setInputFiles({ name: 'lighthouse.fountain', mimeType: 'text/plain', buffer: Buffer.from(script) });
  await expect(editorOf(a.page).getByTestId('script-file-status')).toContainText('2 scenes');

  // Window A: the characters come from the script, extensions folded away.
  await a.page.getByRole('tab', { name: 'Cast & crew' }).click();
  const castA = a.page.getByTestId('cast-crew');
  await expect(castA.getByTestId('character-row')).toHaveText([/^MARA\s*2\s*—$/, /^TOM\s*1\s*—$/]);

  // A adds the lead and casts her as Mara (typed with an extension: stored folded).
  await castA.getByRole('button', { name: '+ Person' }).click();
  const adaA = castA.getByTestId('person-row').first();
  for (const [label, value] of [
    ['Name', 'Ada Lind'],
    ['Cast #', '1'],
    ['Department', 'Cast'],
    ['Role / job', 'Mara'],
  ] as const) {
    await adaA.getByLabel(label, { exact: true }).fill(value);
    await adaA.getByLabel(label, { exact: true }).press('Enter');
  }
  await adaA.getByLabel('Add a character Ada Lind plays').fill('mara (v.o.)');
  await adaA.getByLabel('Add a character Ada Lind plays').press('Enter');
  await expect(adaA.locator('.chip')).toHaveText(['MARA×']);
  await expect(castA.getByTestId('character-row').first()).toHaveText(/^MARA\s*2\s*Ada Lind$/);

  // Window B (another person, another device) sees her, and adds a crew member.
  await clapper.openProject(b.page, projectId);
  await b.page.getByRole('tab', { name: 'Cast & crew' }).click();
  const castB = b.page.getByTestId('cast-crew');
  const adaB = castB.getByTestId('person-row').first();
  await expect(adaB.getByLabel('Name', { exact: true })).toHaveValue('Ada Lind');
  await expect(adaB.getByLabel('Cast #', { exact: true })).toHaveValue('1');
  await expect(adaB.locator('.chip')).toHaveText(['MARA×']);
  await castB.getByRole('button', { name: '+ Person' }).click();
  const benB = castB.getByTestId('person-row').nth(1);
  for (const [label, value] of [
    ['Name', 'Ben Ortiz'],
    ['Department', 'Camera'],
    ['Role / job', 'Focus puller'],
  ] as const) {
    await benB.getByLabel(label, { exact: true }).fill(value);
    await benB.getByLabel(label, { exact: true }).press('Enter');
  }

  // Both edit Ben at once, different fields: both edits survive in both windows.
  const benA = castA.getByTestId('person-row').nth(1);
  await expect(benA.getByLabel('Name', { exact: true })).toHaveValue('Ben Ortiz');
  await benA.getByLabel('Phone', { exact: true }).fill('+44 7700 900123');
  await benB.getByLabel('Email', { exact: true }).fill('ben@example.com');
  await benA.getByLabel('Phone', { exact: true }).press('Enter');
  await benB.getByLabel('Email', { exact: true }).press('Enter');
  for (const ben of [benA, benB]) {
    await expect(ben.getByLabel('Phone', { exact: true })).toHaveValue('+44 7700 900123');
    await expect(ben.getByLabel('Email', { exact: true })).toHaveValue('ben@example.com');
    await expect(ben.getByLabel('Department', { exact: true })).toHaveValue('Camera');
  }

  // Search: by department, and by the character someone plays.
  await castA.getByLabel('Search people').fill('camera');
  await expect(castA.getByTestId('person-row')).toHaveCount(1);
  await expect(castA.getByTestId('person-row').getByLabel('Name', { exact: true })).toHaveValue('Ben Ortiz');
  await castA.getByLabel('Search people').fill('mara');
  await expect(castA.getByTestId('person-row')).toHaveCount(1);
  await expect(castA.getByTestId('person-row').getByLabel('Name', { exact: true })).toHaveValue('Ada Lind');
  await castA.getByLabel('Search people').fill('');
  await expect(castA.getByTestId('person-row')).toHaveCount(2);

  // A cast number that is not one is refused, named in the cell, and never written.
  await benA.getByLabel('Cast #', { exact: true }).fill('lead');
  await benA.getByLabel('Cast #', { exact: true }).press('Enter');
  await expect(benA.getByTestId('field-error')).toContainText('Cast # must be a whole number');
  await expect(benA.getByLabel('Cast #', { exact: true })).toHaveValue('lead');
  await expect(benB.getByLabel('Cast #', { exact: true })).toHaveValue('');
  await benA.getByLabel('Cast #', { exact: true }).press('Escape');
  await expect(benA.getByLabel('Cast #', { exact: true })).toHaveValue('');
  await expect(benA.getByTestId('field-error')).toHaveCount(0);

  // B removes Ben; he goes from both windows.
  await castB.getByRole('button', { name: 'Remove Ben Ortiz' }).click();
  await expect(castB.getByTestId('person-row')).toHaveCount(1);
  await expect(castA.getByTestId('person-row')).toHaveCount(1);
  await clapper.screenshot(a.page, 'cast-crew');

  // The breakdown: A builds the board from the script; each scene has its characters
  // from the script and the cast id of whoever plays them; a prop added in A reaches B.
  await a.page.getByRole('tab', { name: 'Shot list' }).click();
  await a.page.getByRole('button', { name: 'Build from script' }).click();
  await expect(a.page.getByTestId('build-message')).toContainText('2');
  // The strips show the cast ids of whoever plays the scene's characters (Ada is 1).
  await expect(a.page.getByTestId('cast-ids')).toHaveText(['1', '1']);
  await a.page.getByRole('tab', { name: 'Breakdown' }).click();
  const scenesA = a.page.getByTestId('scene-breakdown');
  await expect(scenesA).toHaveCount(2);
  await expect(scenesA.nth(0).getByTestId('scene-characters')).toHaveText(/MARA, TOM · cast 1$/);
  await expect(scenesA.nth(1).getByTestId('scene-characters')).toHaveText(/MARA · cast 1$/);
  await scenesA.nth(0).getByLabel('Category').selectOption('props');
  await scenesA
    .nth(0)
    .getByLabel(/^Add to scene/)
    .fill('Red umbrella');
  await scenesA.nth(0).getByRole('button', { name: 'Add' }).click();
  await b.page.getByRole('tab', { name: 'Breakdown' }).click();
  await expect(b.page.getByTestId('scene-breakdown').nth(0).getByTestId('scene-items')).toContainText(
    'props Red umbrella',
  );
  await clapper.screenshot(b.page, 'breakdown');
});
