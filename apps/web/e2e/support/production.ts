/**
 * A small production to build call sheets from, set up the way a crew would: a script
 * imported from Fountain, the board built from it, a day break before the last scene, and
 * the cast & crew list with who plays whom (pushed through `sync.push` by another device
 * of the same user, a real client of the real server).
 */
import { type Page, expect } from '@playwright/test';
import type { ClapperHelpers } from '../fixtures.ts';
import { board } from './board.ts';

export const script = `INT. LIGHTHOUSE - NIGHT

Maya climbs the spiral stairs.

MAYA
Who's there?

KEEPER (O.S.)
Only me.

EXT. PIER - DAY

Gulls.

TOM
The boat's late.

INT. CAR - NIGHT

MAYA (V.O.)
Drive.

TOM (CONT'D)
Where?
`;

export const people = [
  { id: 'person-ana', name: 'Ana Lima', department: 'Cast', role: 'Maya', cast_number: 1, plays: ['MAYA'] },
  { id: 'person-ben', name: 'Ben Ode', department: 'Cast', role: 'Tom', cast_number: 2, plays: ['TOM'] },
  { id: 'person-cy', name: 'Cy Dunn', department: 'Cast', role: 'Keeper', cast_number: 5, plays: ['KEEPER'] },
  {
    id: 'person-eve',
    name: 'Eve Grant',
    department: 'Camera',
    role: 'Director of photography',
    cast_number: null,
    plays: [],
  },
  { id: 'person-ida', name: 'Ida Jones', department: 'Production', role: '1st AD', cast_number: null, plays: [] },
] as const;

async function pushCastAndCrew(clapper: ClapperHelpers, page: Page, projectId: string): Promise<void> {
  const token = await page.evaluate(
    () => (JSON.parse(localStorage.getItem('clapper.session') ?? '{}') as { token?: string }).token ?? '',
  );
  const changes = {
    people: {
      created: people.map(({ plays: _plays, ...person }) => ({ ...person, email: '', phone: '', notes: '' })),
      updated: [],
      deleted: [],
    },
    castings: {
      created: people.flatMap((person) =>
        person.plays.map((character) => ({ id: `casting-${person.id}-${character}`, person_id: person.id, character })),
      ),
      updated: [],
      deleted: [],
    },
  };
  const response = await fetch(`${clapper.env.apiUrl}/trpc/sync.push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ projectId, pushId: `cast-${projectId}`, lastPulledAt: null, changes }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

/** The production, owned by a fresh user whose window ends on the shot list, synced. */
export async function production(clapper: ClapperHelpers, name: string) {
  const owner = await clapper.newUser('ad');
  const { page } = owner;
  const projectId = await clapper.createProject(page, name);
  await page.getByRole('tab', { name: 'Script' }).click();
  const editor = page.getByTestId('screenplay-editor');
  await expect(editor).toHaveAttribute('data-status', 'synced', { timeout: 30_000 });
  await editor
    .getByTestId('fountain-file-input')
    .setInputFiles({ name: 'harbour.fountain', mimeType: 'text/plain', buffer: Buffer.from(script) });
  await expect(editor.getByTestId('script-file-status')).toContainText('3 scenes');
  await page.getByRole('tab', { name: 'Shot list' }).click();
  await page.getByRole('button', { name: 'Build from script' }).click();
  await expect(page.getByTestId('build-message')).toHaveText('Added 3 scenes from the script.');
  // A day break before scene 3: added at the end, then one step up.
  await page.getByRole('button', { name: '+ Day break' }).click();
  await expect(board.banners(page)).toHaveCount(1);
  await board.banners(page).first().focus();
  await page.keyboard.press('Alt+ArrowUp');
  await expect.poll(() => board.outline(page)).toEqual(['scene:1', 'scene:2', 'day:2', 'scene:3']);
  await board.edit(board.banners(page).first(), 'Shoot date', 'Wed 11 Mar');
  await pushCastAndCrew(clapper, page, projectId);
  await board.waitSynced(page);
  return { ...owner, projectId };
}

/** Opens the Call sheets tab on `day` (its number in the day list). */
export async function openCallSheet(page: Page, day: number) {
  await page.getByRole('tab', { name: 'Call sheets' }).click();
  await page.locator(`.call-sheet-day[data-day="${day}"]`).click();
  const sheet = page.getByTestId('call-sheet');
  await expect(sheet).toHaveAttribute('data-day', String(day));
  return sheet;
}
