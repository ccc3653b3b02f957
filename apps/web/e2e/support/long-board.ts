// A generated board for the browser tests of long boards (board-scale, board-typing).
import type { Database, Model } from '@nozbe/watermelondb';
import type { Page } from '@playwright/test';

const shotsPerScene = 5;
const scenesPerDay = 5;
const letters = 'ABCDE';

/** `scenes` scenes of 5 shots, a day break before every 5th scene, written into the project's local database. */
export async function seedLongBoard(page: Page, projectId: string, scenes: number) {
  await page.evaluate(
    async ({ id, scenes, shotsPerScene, scenesPerDay, letters }) => {
      const { database } = (window as unknown as { __clapper: Record<string, { database: Database }> }).__clapper[id]!;
      const key = (n: number) => `a${String(n).padStart(4, '0')}`;
      await database.write(async () => {
        const batch: Model[] = [];
        const create = (table: string, recordId: string, values: Record<string, unknown>) =>
          batch.push(
            database.get(table).prepareCreate((record) => {
              record._raw.id = recordId;
              Object.assign(record, values);
            }),
          );
        for (let n = 0; n < scenes; n++) {
          if (n % scenesPerDay === 0)
            create('day_banners', `day${n}`, { sceneId: null, label: '', sortKey: key(2 * n) });
          create('scenes', `sc${n}`, {
            heading: `INT. ROOM ${n + 1} - DAY`,
            timeOfDay: 'DAY',
            sortKey: key(2 * n + 1),
          });
          for (let s = 0; s < shotsPerScene; s++)
            create('shots', `sh${n}x${s}`, {
              sceneId: `sc${n}`,
              label: `${n + 1}${letters[s]}`,
              description: `Shot ${s + 1} of scene ${n + 1}`,
              sortKey: key(s),
            });
        }
        await database.batch(batch);
      });
    },
    { id: projectId, scenes, shotsPerScene, scenesPerDay, letters },
  );
}
