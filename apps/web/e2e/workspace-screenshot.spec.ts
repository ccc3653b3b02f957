import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from '@nozbe/watermelondb';
import { board } from './support/board.ts';
import { expect, test } from './fixtures.ts';

const docsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs');
/** docs/workspace.png is committed: only a deliberate run rewrites it, so `npm test` leaves the tree clean. */
const updateDocsScreenshot = process.env.UPDATE_DOCS_SCREENSHOT === '1';

type Values = Record<string, unknown>;

/** A realistic two-and-a-half-day board, written through the app's own local database. */
const scenes: Values[] = [
  {
    id: 'sc1',
    number: '1',
    heading: 'EXT. HARBOUR - NIGHT',
    location: 'Pier 4, Old Harbour',
    timeOfDay: 'NIGHT',
    pageEighths: 12,
    synopsis: 'Mara waits for a ferry that never comes.',
    sortKey: 'a1',
  },
  {
    id: 'sc2',
    number: '2',
    heading: 'INT. LIGHTHOUSE - NIGHT',
    location: "Keeper's room (Stage 4)",
    timeOfDay: 'NIGHT',
    pageEighths: 20,
    synopsis: 'Tom finds the logbook.',
    sortKey: 'a2',
  },
  {
    id: 'sc3',
    number: '3',
    heading: 'EXT. CLIFF ROAD - DAWN',
    location: 'Coast road above the bay',
    timeOfDay: 'DAWN',
    pageEighths: 9,
    synopsis: 'The chase ends at the guard rail.',
    sortKey: 'a4',
  },
];
const shots: Values[] = [
  {
    id: 'sh1a',
    sceneId: 'sc1',
    label: '1A',
    size: 'EWS',
    movement: 'Crane',
    lens: '24mm',
    description: 'Establishing: harbour lights, fog rolling in',
    durationS: 12,
    done: true,
    sortKey: 'a0',
  },
  {
    id: 'sh1b',
    sceneId: 'sc1',
    label: '1B',
    size: 'MS',
    movement: 'Dolly',
    lens: '50mm',
    description: 'Mara on the bench, slow push in',
    durationS: 20,
    done: true,
    sortKey: 'a1',
  },
  {
    id: 'sh1c',
    sceneId: 'sc1',
    label: '1C',
    size: 'CU',
    movement: 'Static',
    lens: '85mm',
    description: 'Her hands turning the ticket over',
    durationS: 6,
    done: false,
    sortKey: 'a2',
  },
  {
    id: 'sh2a',
    sceneId: 'sc2',
    label: '2A',
    size: 'WS',
    movement: 'Pan',
    lens: '32mm',
    description: 'Tom enters, lamp sweeping the room',
    durationS: 15,
    done: false,
    sortKey: 'a0',
  },
  {
    id: 'sh2b',
    sceneId: 'sc2',
    label: '2B',
    size: 'INS',
    movement: 'Static',
    lens: '100mm',
    description: 'Logbook page: 14 March, last entry',
    durationS: 4,
    done: false,
    sortKey: 'a1',
  },
  {
    id: 'sh2c',
    sceneId: 'sc2',
    label: '2C',
    size: 'MCU',
    movement: 'Handheld',
    lens: '40mm',
    description: 'Tom reads; storm hits the glass',
    durationS: 18,
    done: false,
    sortKey: 'a3',
  },
  {
    id: 'sh3a',
    sceneId: 'sc3',
    label: '3A',
    size: 'WS',
    movement: 'Track',
    lens: '28mm',
    description: 'Car races along the cliff edge',
    durationS: 10,
    done: false,
    sortKey: 'a0',
  },
  {
    id: 'sh3b',
    sceneId: 'sc3',
    label: '3B',
    size: 'POV',
    movement: 'Gimbal',
    lens: '24mm',
    description: 'Through the windscreen: the rail',
    durationS: 5,
    done: false,
    sortKey: 'a1',
  },
];
const banners: Values[] = [
  { id: 'day1', sceneId: null, label: 'Harbour unit', date: 'Mon 9 Mar', sortKey: 'a0' },
  { id: 'day2', sceneId: 'sc2', label: 'Stage 4 — lighthouse set', date: 'Tue 10 Mar', sortKey: 'a2' },
  { id: 'day3', sceneId: null, label: 'Coast road, second unit', date: 'Wed 11 Mar', sortKey: 'a3' },
];

test('the workspace as a crew sees it (docs/workspace.png with UPDATE_DOCS_SCREENSHOT=1): three shooting days, a split scene, notes open', async ({
  clapper,
}) => {
  const a = await clapper.newUser('director');
  const projectId = await clapper.createProject(a.page, 'Night Harbour');
  await a.page.evaluate(
    async ({ id, scenes, shots, banners }) => {
      const { database } = (window as unknown as { __clapper: Record<string, { database: Database }> }).__clapper[id]!;
      await database.write(async () => {
        const batch = [];
        for (const [table, rows] of [
          ['scenes', scenes],
          ['shots', shots],
          ['day_banners', banners],
        ] as const) {
          for (const { id: recordId, ...values } of rows) {
            batch.push(
              database.get(table).prepareCreate((record) => {
                record._raw.id = recordId as string;
                Object.assign(record, values);
              }),
            );
          }
        }
        await database.batch(batch);
      });
    },
    { id: projectId, scenes, shots, banners },
  );
  await expect
    .poll(() => board.outline(a.page))
    .toEqual([
      'day:1',
      'scene:1',
      'shot:1A',
      'shot:1B',
      'shot:1C',
      'scene:2',
      'shot:2A',
      'shot:2B',
      'day:2',
      'shot:2C',
      'day:3',
      'scene:3',
      'shot:3A',
      'shot:3B',
    ]);
  await expect(board.scene(a.page, '2').getByTestId('scene-days')).toHaveText('Days 1 · 2');
  await board.waitSynced(a.page);

  await board.shot(a.page, '2B').getByRole('button', { name: 'Notes on shot 2B' }).click();
  const notes = a.page.locator('.notes-panel [contenteditable="true"]');
  await expect(notes).toBeVisible({ timeout: 15_000 });
  await notes.click();
  await a.page.keyboard.type('Art dept: age the logbook, water stains on the last page. Practical lamp only, no fill.');
  await board.shot(a.page, '2B').focus();
  if (updateDocsScreenshot) await a.page.screenshot({ path: path.join(docsDir, 'workspace.png') });
  await clapper.screenshot(a.page, 'workspace');
});
