/**
 * Access in the browser: owners manage members from the project list, people set their
 * display name, and one browser profile shared by two accounts never lets one see or
 * send the other's local data; signing out with unsynced work says so first.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { board } from './support/board.ts';

const editorOf = (page: Page) => page.getByTestId('screenplay-editor');

// Long stories (several sign-ins, a sign-out check that waits on the server): more time
// than the suite's default on a busy machine.
test.describe.configure({ timeout: 300_000 });

async function localStores(page: Page): Promise<string[]> {
  return page.evaluate(async () =>
    (await indexedDB.databases()).map((db) => db.name ?? '').filter((name) => name.startsWith('clapper:')),
  );
}

test('an owner changes a role, removes a member, renames and deletes a project; the removed member loses it', async ({
  clapper,
}) => {
  const owner = await clapper.newUser('owner');
  const member = await clapper.newUser('member');
  const projectId = await clapper.createProject(owner.page, 'Members Shoot');
  await clapper.invite(owner.page, projectId, member.email, 'editor');
  await member.page.goto(clapper.env.webUrl);
  await expect(member.page.locator(`[data-project-id="${projectId}"]`)).toBeVisible();

  // A display name of one's own, for presence and the members list.
  await owner.page.getByRole('button', { name: /owner\./ }).click();
  await owner.page.getByLabel('Display name').fill('Olivia (Producer)');
  await owner.page.getByRole('button', { name: 'Save' }).click();
  await expect(owner.page.getByRole('button', { name: 'Olivia (Producer)' })).toBeVisible();

  const item = owner.page.locator(`[data-project-id="${projectId}"]`);
  await item.getByRole('button', { name: 'Members…' }).click();
  const panel = item.getByRole('region', { name: 'Members of Members Shoot' });
  await expect(panel.locator(`[data-member-email="${member.email}"]`)).toContainText(member.email);
  await expect(panel.getByText('Olivia (Producer)')).toBeVisible();
  await panel.getByLabel(`Role of ${member.email}`).selectOption('viewer');
  await expect(panel.getByRole('status')).toContainText('is now a viewer');
  // The last owner can't step down: the server says why.
  await panel.getByLabel(/^Role of owner\./).selectOption('editor');
  await expect(panel.getByRole('status')).toContainText('needs an owner');

  await panel.getByRole('button', { name: `Remove ${member.email}` }).click();
  await expect(panel.getByRole('status')).toContainText('was removed');
  await expect(panel.locator(`[data-member-email="${member.email}"]`)).toHaveCount(0);
  await member.page.reload();
  await expect(member.page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  await expect(member.page.locator(`[data-project-id="${projectId}"]`)).toHaveCount(0);

  await panel.getByLabel('Project name').fill('Members Shoot II');
  await panel.getByRole('button', { name: 'Rename' }).click();
  await expect(owner.page.locator(`[data-project-id="${projectId}"] .project-name`)).toHaveText('Members Shoot II');
  await clapper.screenshot(owner.page, 'access-members-panel');

  const renamed = owner.page.locator(`[data-project-id="${projectId}"]`);
  await renamed.getByRole('button', { name: 'Delete project…' }).click();
  await renamed.getByRole('button', { name: 'Delete for everyone' }).click();
  await expect(owner.page.locator(`[data-project-id="${projectId}"]`)).toHaveCount(0);
  await owner.page.reload();
  await expect(owner.page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  await expect(owner.page.locator(`[data-project-id="${projectId}"]`)).toHaveCount(0);
});

test("two accounts in one browser profile never see or send each other's local data; unsynced work is named before sign-out", async ({
  clapper,
  browser,
}) => {
  // Ana works on a shared project; Ben will sign in on the same browser profile afterwards.
  const ben = await clapper.newUser('ben');
  const context = await browser.newContext();
  const page = await context.newPage();
  const anaEmail = clapper.email('ana');
  await clapper.signIn(page, anaEmail);
  const projectId = await clapper.createProject(page, 'Shared Laptop');
  await clapper.invite(page, projectId, ben.email, 'editor');
  await clapper.openProject(page, projectId);
  await board.addScene(page, 'INT. OFFICE - DAY');
  await board.waitSynced(page);
  await page.getByRole('tab', { name: 'Script' }).click();
  await expect(editorOf(page)).toHaveAttribute('data-status', 'synced', { timeout: 30_000 });
  const anaId = await page.evaluate(
    () => (JSON.parse(localStorage.getItem('clapper.session') ?? '{}') as { user: { id: string } }).user.id,
  );

  // Offline: a script line and a scene that exist only on this laptop.
  await context.setOffline(true);
  await expect(editorOf(page)).toHaveAttribute('data-status', 'offline');
  await editorOf(page).locator('[contenteditable]').locator('[data-element]').first().click();
  await page.keyboard.press('End');
  await page.keyboard.type('ANA OFFLINE LINE');
  await page.getByRole('tab', { name: 'Shot list' }).click();
  await board.addScene(page, 'INT. ANA PRIVATE - NIGHT');
  await expect(page.getByTestId('sync-status')).not.toHaveAttribute('data-pending', '0');

  // Signing out says what would be lost, and staying keeps everything.
  await page.getByRole('button', { name: 'Sign out' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Unsynced work on this device' });
  await expect(dialog).toBeVisible({ timeout: 30_000 });
  await expect(dialog.getByTestId('pending-work')).toContainText('Shared Laptop: 1 shot-list change');
  await expect(dialog.getByTestId('pending-work')).toContainText('Shared Laptop: the script');
  await clapper.screenshot(page, 'access-unsynced-sign-out');
  await dialog.getByRole('button', { name: 'Stay signed in' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(board.scene(page, '2').getByLabel('Scene heading')).toHaveValue('INT. ANA PRIVATE - NIGHT');

  // Back online the records go out, and the script line when the script is open again;
  // then one more offline scene, which Ana chooses to discard.
  await context.setOffline(false);
  await board.waitSynced(page);
  await page.getByRole('tab', { name: 'Script' }).click();
  await expect(editorOf(page)).toHaveAttribute('data-status', 'synced', { timeout: 30_000 });
  await page.getByRole('tab', { name: 'Shot list' }).click();
  await context.setOffline(true);
  await board.addScene(page, 'INT. DISCARDED - NIGHT');
  await expect(page.getByTestId('sync-status')).not.toHaveAttribute('data-pending', '0');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(dialog.getByTestId('pending-work')).toContainText('Shared Laptop: 1 shot-list change', {
    timeout: 30_000,
  });
  await dialog.getByRole('button', { name: 'Sign out and discard' }).click();
  await expect(page.getByLabel('Work email')).toBeVisible();
  // Every local store of Ana's is gone (the WatermelonDB and the y-indexeddb copies).
  await expect.poll(() => localStores(page)).toEqual([]);
  await context.setOffline(false);

  // Ben signs in on the same profile: he sees what reached the server, nothing of Ana's discarded scene, and pushes none of it.
  await clapper.signIn(page, ben.email);
  await clapper.openProject(page, projectId);
  await board.waitSynced(page);
  await expect(board.scene(page, '2').getByLabel('Scene heading')).toHaveValue('INT. ANA PRIVATE - NIGHT');
  await expect(page.getByTestId('scene-row')).toHaveCount(2);
  expect((await localStores(page)).every((name) => !name.startsWith(`clapper:${anaId}:`))).toBe(true);
  // Ben's own device pulls from the server: the scene Ana kept is there, the one she discarded never reached it.
  await clapper.openProject(ben.page, projectId);
  await board.waitSynced(ben.page);
  await expect(ben.page.getByTestId('scene-row')).toHaveCount(2);
  await expect(ben.page.locator('[data-testid="scene-row"] input[value="INT. DISCARDED - NIGHT"]')).toHaveCount(0);
  await page.getByRole('tab', { name: 'Script' }).click();
  await expect(editorOf(page).locator('[contenteditable]')).toContainText('ANA OFFLINE LINE', { timeout: 30_000 });
  await context.close();
});
