/**
 * What a keystroke allocates in a 120-page script, in the typist's window and in a
 * co-writer's: Lexical copied the whole script's text (~200 KB) for each one in both,
 * and those copies, too big for the young generation, brought a major GC every ~100
 * keystrokes (the receiving window's long frames). Measured with Chromium's sampling
 * heap profiler, counting what was collected too (no-whole-script-text-copy.ts).
 */
import type { CDPSession, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { longScreenplay } from './support/long-screenplay.ts';
import { importFountainFile, inputOf, openScript, openSharedScript, waitReady } from './support/script-editor.ts';

interface AllocationNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children: AllocationNode[];
}

/** The functions that allocated most (KB, self), with their callers, for the failure's message. */
function topAllocators(head: AllocationNode): string[] {
  const by = new Map<string, number>();
  const visit = (node: AllocationNode, stack: string[]) => {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${url.split('/').pop() ?? ''}:${lineNumber + 1}:${columnNumber + 1}`;
    const path = [name, ...stack].slice(0, 4).join(' < ');
    by.set(path, (by.get(path) ?? 0) + node.selfSize);
    for (const child of node.children) visit(child, [name, ...stack]);
  };
  visit(head, []);
  return [...by]
    .sort((x, y) => y[1] - x[1])
    .slice(0, 8)
    .map(([path, bytes]) => `${Math.round(bytes / 1024)} KB ${path}`);
}

/** Bytes allocated by the app's own scripts (the web app's bundles) and what they called. */
const appTotal = (node: AllocationNode, inApp = false): number => {
  const here = inApp || node.callFrame.url.includes('/_next/');
  return node.children.reduce((sum, child) => sum + appTotal(child, here), here ? node.selfSize : 0);
};

// Playwright's own trace snapshots the page at each step: not what a keystroke costs.
test.use({ trace: 'off' });

async function startAllocations(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.startSampling', {
    samplingInterval: 4_096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  } as never);
  return cdp;
}

async function stopAllocations(cdp: CDPSession, who: string): Promise<number> {
  const { profile } = (await cdp.send('HeapProfiler.stopSampling')) as unknown as { profile: { head: AllocationNode } };
  await cdp.detach();
  console.log(`${who}, most allocated:\n  ${topAllocators(profile.head).join('\n  ')}`);
  return appTotal(profile.head);
}

test('a keystroke in a 120-page script allocates far less than the script, in the typist’s window and the co-writer’s', async ({
  clapper,
}) => {
  test.setTimeout(180_000);
  const { a, b, projectId } = await openSharedScript(clapper);
  const script = longScreenplay(120);
  await importFountainFile(a.page, 'feature.fountain', script.text, script.scenes);
  await openScript(clapper, b.page, projectId);
  await waitReady(b.page);
  const last = inputOf(a.page).locator('[data-element]').last();
  await expect(inputOf(b.page).locator('[data-element]')).toHaveCount(script.blocks, { timeout: 60_000 });
  await last.click();
  await a.page.keyboard.press('End');
  await a.page.keyboard.press('Enter');

  const keys = 40;
  const typed = 'The ferry horn sounds twice across the water.'.slice(0, keys);
  const [typist, receiver] = [await startAllocations(a.page), await startAllocations(b.page)];
  await a.page.keyboard.type(typed, { delay: 100 });
  await expect
    .poll(() => inputOf(b.page).locator('[data-element]').last().textContent(), { timeout: 30_000 })
    .toBe(typed);
  const perKey = [
    (await stopAllocations(typist, 'typist')) / keys,
    (await stopAllocations(receiver, 'receiver')) / keys,
  ];
  console.log(
    `bytes allocated per keystroke: typist ${Math.round(perKey[0] ?? 0)}, receiver ${Math.round(perKey[1] ?? 0)}`,
  );
  // The script's text is ~147,000 characters (one byte each in V8): a keystroke that copies
  // it allocates more than that. Before, 195 KB (typist) and 296 KB (receiver) a keystroke;
  // since, ~50 KB.
  for (const bytes of perKey) expect(bytes).toBeLessThan(script.text.length);
});
