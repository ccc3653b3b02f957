/**
 * The workspace on the assistant director's tablet and on a phone (issue 12.5), with the
 * desktop as the control: every control of the app shell, the board, the notes, the
 * script, cast & crew, the breakdown and the call sheets can be reached by a finger
 * (support/reachability.ts), the sidebar folds behind a button on narrow screens, and the
 * screenplay stays readable, and on the touch screens a finger reorders the board's rows
 * by their handles (HTML5 drag events never fire for touch). Screenshots of each view
 * land in test-results/.
 */
import type { Database } from '@nozbe/watermelondb';
import type { BrowserContextOptions, Page } from '@playwright/test';
import { board } from './support/board.ts';
import { unreachableControls } from './support/reachability.ts';
import { inputOf, waitReady } from './support/script-editor.ts';
import { expect, test } from './fixtures.ts';

const devices: Record<string, BrowserContextOptions & { narrow: boolean }> = {
  tablet: { viewport: { width: 820, height: 1180 }, hasTouch: true, isMobile: true, narrow: true },
  phone: { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, narrow: true },
  desktop: { viewport: { width: 1440, height: 900 }, narrow: false },
};

type Values = Record<string, unknown>;
const seed: Record<'scenes' | 'shots' | 'day_banners' | 'people', Values[]> = {
  scenes: [
    {
      id: 'sc1',
      heading: 'EXT. HARBOUR - NIGHT',
      location: 'Pier 4',
      timeOfDay: 'NIGHT',
      pageEighths: 12,
      synopsis: 'Mara waits.',
      sortKey: 'a1',
    },
    { id: 'sc2', heading: 'INT. LIGHTHOUSE - NIGHT', timeOfDay: 'NIGHT', pageEighths: 20, sortKey: 'a3' },
  ],
  shots: [
    {
      id: 'sh1a',
      sceneId: 'sc1',
      label: '1A',
      size: 'EWS',
      description: 'Harbour lights',
      durationS: 12,
      sortKey: 'a0',
    },
    {
      id: 'sh1b',
      sceneId: 'sc1',
      label: '1B',
      size: 'MS',
      description: 'Mara on the bench',
      done: true,
      sortKey: 'a1',
    },
    { id: 'sh2a', sceneId: 'sc2', label: '2A', size: 'WS', description: 'Tom enters', sortKey: 'a0' },
  ],
  day_banners: [
    { id: 'day1', sceneId: null, label: 'Harbour unit', date: 'Mon 9 Mar', sortKey: 'a0' },
    { id: 'day2', sceneId: null, label: 'Stage 4', date: 'Tue 10 Mar', sortKey: 'a2' },
  ],
  people: [
    { id: 'p1', name: 'Ana Lima', department: 'Cast', role: 'Mara', castNumber: 1 },
    { id: 'p2', name: 'Ben Ode', department: 'Camera', role: 'Focus puller' },
  ],
};

const fountain = `EXT. HARBOUR - NIGHT

Fog rolls over the pier. MARA, thirties, waits on a bench with a ferry ticket in her hand.

MARA
(to herself)
It was due at nine. It is always due at nine, and it never comes before ten.

CUT TO:

INT. LIGHTHOUSE - NIGHT

TOM climbs the last of the stairs.
`;

async function seedProject(page: Page, projectId: string) {
  await page.evaluate(
    async ({ id, seed }) => {
      const { database } = (window as unknown as { __clapper: Record<string, { database: Database }> }).__clapper[id]!;
      await database.write(async () => {
        const batch = [];
        for (const [table, rows] of Object.entries(seed)) {
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
    { id: projectId, seed },
  );
}

/**
 * Text set in 12pt Courier needs room: the narrowest block (a parenthetical) must hold
 * 15 characters a line and action 30, and no block may run off the right of the screen.
 */
async function cramped(page: Page): Promise<string[]> {
  return inputOf(page).evaluate((root) => {
    const problems: string[] = [];
    const vw = document.documentElement.clientWidth;
    for (const block of root.querySelectorAll<HTMLElement>('.sp-el')) {
      if (!block.textContent?.trim()) continue;
      const probe = document.createElement('span');
      probe.style.font = getComputedStyle(block).font;
      probe.style.position = 'absolute';
      probe.style.whiteSpace = 'pre';
      probe.textContent = 'M'.repeat(20);
      document.body.append(probe);
      const charWidth = probe.getBoundingClientRect().width / 20;
      probe.remove();
      const rect = block.getBoundingClientRect();
      const chars = Math.floor(rect.width / charWidth);
      const kind = [...block.classList].find((c) => c.startsWith('sp-') && c !== 'sp-el') ?? 'sp-el';
      const needed = kind === 'sp-action' ? 30 : 15;
      if (chars < needed) problems.push(`${kind} "${block.textContent.slice(0, 20)}": ${chars} characters a line`);
      if (rect.right > vw + 0.5)
        problems.push(`${kind}: runs off the screen (right ${Math.round(rect.right)} > ${vw})`);
    }
    return problems;
  });
}

for (const [deviceName, { narrow, ...device }] of Object.entries(devices)) {
  test(`on a ${deviceName} (${device.viewport!.width}×${device.viewport!.height}) every control of every view can be reached and nothing overlaps`, async ({
    clapper,
  }) => {
    const { page } = await clapper.newUser(`${deviceName}-ad`, device);
    const projectId = await clapper.createProject(page, `Night Harbour on a ${deviceName}`);
    await seedProject(page, projectId);
    await expect
      .poll(() => board.outline(page))
      .toEqual(['day:1', 'scene:1', 'shot:1A', 'shot:1B', 'day:2', 'scene:2', 'shot:2A']);
    await board.waitSynced(page);

    if (device.hasTouch) {
      // A finger drags shot 1B by its handle onto the upper half of 1A, and day 2's break above 1B.
      await board.touchDrag(page, board.shot(page, '1B').getByTestId('drag-handle'), board.shot(page, '1A'), 'top');
      await expect
        .poll(() => board.outline(page))
        .toEqual(['day:1', 'scene:1', 'shot:1B', 'shot:1A', 'day:2', 'scene:2', 'shot:2A']);
      await board.touchDrag(page, board.banners(page).nth(1).getByTestId('drag-handle'), board.shot(page, '1A'), 'top');
      await expect
        .poll(() => board.outline(page))
        .toEqual(['day:1', 'scene:1', 'shot:1B', 'day:2', 'shot:1A', 'scene:2', 'shot:2A']);
      await expect(board.shot(page, '1A')).toHaveAttribute('data-day', '2');
      await board.waitSynced(page);
    }

    const problems: string[] = [];
    const check = async (view: string, selector: string, mustInclude: RegExp[] = []) => {
      const { checked, problems: found } = await unreachableControls(page.locator(selector).first());
      problems.push(...found.map((p) => `${view}: ${p}`));
      for (const control of mustInclude)
        if (!checked.some((c) => control.test(c))) problems.push(`${view}: no visible control matching ${control}`);
      await clapper.screenshot(page, `${deviceName}-${view}`);
    };
    // Switching views by event, so a covered tab fails the check below rather than the click.
    const openTab = (name: string) => page.getByRole('tab', { name }).dispatchEvent('click');

    // The app shell: the tabs and the sync pill side by side, the sidebar folded on narrow screens.
    await check('shell', '.topbar', [/Shot list/, /Script/, /Cast & crew/, /Breakdown/, /Call sheets/]);
    const showProjects = page.getByRole('button', { name: 'Show projects' });
    const allProjects = page.getByRole('link', { name: 'All projects' });
    if (narrow) {
      if (await allProjects.isVisible()) problems.push('sidebar: shown beside the view on a narrow screen');
      if ((await showProjects.count()) === 0) problems.push('sidebar: no Show projects button');
      else {
        await showProjects.dispatchEvent('click');
        await expect(allProjects).toBeVisible();
        await check('sidebar', '.sidebar', [/All projects/, /Sign out/, /Hide projects/]);
        await page.getByRole('button', { name: 'Hide projects' }).dispatchEvent('click');
        await expect(allProjects).toBeHidden();
        // Escape closes the drawer too, and the keyboard is back on its button.
        await showProjects.dispatchEvent('click');
        await expect(allProjects).toBeVisible();
        await page.keyboard.press('Escape');
        await expect(allProjects).toBeHidden();
        await expect(showProjects).toBeFocused();
      }
    } else {
      await expect(showProjects).toBeHidden();
      await check('sidebar', '.sidebar', [/All projects/, /Sign out/]);
    }

    await check('shot-list', '[data-testid="stripboard"]', [
      /\+ Scene/,
      /\+ Day break/,
      /Build from script/,
      /Reports/,
      /"Done"/,
    ]);

    await board.shot(page, '1B').getByRole('button', { name: 'Notes on shot 1B' }).dispatchEvent('click');
    await expect(page.locator('.notes-panel [contenteditable="true"]')).toBeVisible({ timeout: 15_000 });
    await check('notes', '.notes-panel', [/Close notes/, /^editor/]);
    await page.getByRole('button', { name: 'Close notes' }).dispatchEvent('click');

    await openTab('Script');
    await waitReady(page);
    await page.getByTestId('fountain-file-input').setInputFiles({
      name: 'harbour.fountain',
      mimeType: 'text/plain',
      buffer: Buffer.from(fountain),
    });
    await expect(inputOf(page).locator('.sp-dialogue')).toContainText('always due at nine');
    await check('script', '[data-testid="screenplay-editor"]', [/Import…/, /Export PDF/, /Dialogue/, /^editor/]);
    problems.push(...(await cramped(page)).map((p) => `script: ${p}`));

    await openTab('Cast & crew');
    await expect(page.getByLabel('Search people')).toBeVisible();
    await check('cast-crew', '.workspace-main', [/\+ Person/, /Search people/]);

    await openTab('Breakdown');
    await check('breakdown', '.workspace-main');

    await openTab('Call sheets');
    await expect(page.getByRole('button', { name: 'Download PDF' })).toBeVisible();
    await check('call-sheets', '.workspace-main', [/Download PDF/]);

    expect(problems).toEqual([]);
  });
}
