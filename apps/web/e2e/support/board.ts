import { type Locator, type Page, expect } from '@playwright/test';

/** Reading and driving the stripboard the way a user sees it. */
export const board = {
  shot(page: Page, label: string): Locator {
    return page.locator(`[data-testid="shot-row"][data-label="${label}"]`);
  },
  scene(page: Page, number: string): Locator {
    return page.locator(`[data-testid="scene-row"][data-number="${number}"]`);
  },
  banners(page: Page): Locator {
    return page.getByTestId('day-banner');
  },
  async shotLabels(page: Page): Promise<string[]> {
    return page
      .getByTestId('shot-row')
      .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.label ?? ''));
  },
  /** Row kinds and ids top to bottom, e.g. ['banner', 'scene:1', 'shot:1A']. */
  async outline(page: Page): Promise<string[]> {
    return page.locator('.strip-rows > [data-kind]').evaluateAll((rows) =>
      rows.map((row) => {
        const el = row as HTMLElement;
        if (el.dataset.kind === 'shot') return `shot:${el.dataset.label}`;
        if (el.dataset.kind === 'scene') return `scene:${el.dataset.number}`;
        return `day:${el.dataset.day}`;
      }),
    );
  },
  async addScene(page: Page, heading: string): Promise<Locator> {
    const before = await page.getByTestId('scene-row').count();
    await page.getByRole('button', { name: '+ Scene' }).click();
    await expect(page.getByTestId('scene-row')).toHaveCount(before + 1);
    const scene = page.getByTestId('scene-row').nth(before);
    await scene.getByLabel('Scene heading').fill(heading);
    await scene.getByLabel('Scene heading').press('Enter');
    return scene;
  },
  async addShot(page: Page, sceneNumber: string): Promise<void> {
    const before = await page.getByTestId('shot-row').count();
    await board.scene(page, sceneNumber).getByRole('button', { name: '+ Shot' }).click();
    await expect(page.getByTestId('shot-row')).toHaveCount(before + 1);
  },
  async edit(row: Locator, field: string, value: string): Promise<void> {
    const input = row.getByLabel(field, { exact: true });
    await input.fill(value);
    await input.press('Enter');
  },
  /** Scrolls the board down (only rows near the screen are rendered) until `row` is rendered, then into view. */
  async scrollTo(page: Page, row: Locator): Promise<void> {
    await expect
      .poll(async () => {
        if ((await row.count()) > 0) return true;
        await page.locator('.workspace-main').evaluate((box) => box.scrollBy(0, box.clientHeight / 2));
        return false;
      })
      .toBe(true);
    await row.scrollIntoViewIfNeeded();
  },
  /**
   * Drags `handle` by touch (Chromium's touch events, as a finger sends them; the context
   * needs hasTouch) onto the `half` of `target`'s row.
   */
  async touchDrag(page: Page, handle: Locator, target: Locator, half: 'top' | 'bottom'): Promise<void> {
    await handle.scrollIntoViewIfNeeded();
    const from = await handle.boundingBox();
    const to = await target.boundingBox();
    if (!from || !to) throw new Error('touchDrag: the handle or the target is not on screen');
    const start = { x: from.x + from.width / 2, y: from.y + from.height / 2 };
    const end = { x: to.x + Math.min(to.width / 2, 200), y: half === 'top' ? to.y + 4 : to.y + to.height - 4 };
    const cdp = await page.context().newCDPSession(page);
    try {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [start] });
      for (let step = 1; step <= 8; step++) {
        const at = { x: start.x + ((end.x - start.x) * step) / 8, y: start.y + ((end.y - start.y) * step) / 8 };
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [at] });
      }
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    } finally {
      await cdp.detach();
    }
  },
  async waitSynced(page: Page): Promise<void> {
    await expect(page.getByTestId('sync-status')).toHaveAttribute('data-pending', '0');
    await expect(page.getByTestId('sync-status')).toHaveAttribute('data-online', 'true');
  },
};
