// How much style-and-layout work keystrokes cost the renderer, read from a Chromium trace
// (the typing specs: a keystroke should cost its own field or row, not the page).
import type { Page } from '@playwright/test';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { type?: string } };
}

/** Runs `type` under a CDP trace of the page; the renderer's forced style-and-layout updates and its keydowns. */
export async function styleAndLayoutUpdates(page: Page, type: () => Promise<void>) {
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: ['blink', 'devtools.timeline'] },
  });
  await type();
  // Work the last keystroke posted (autofill's runs in a task after the input event).
  await page.waitForTimeout(500);
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.end');
  await done;
  await cdp.detach();
  const keydown = events.find((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'keydown');
  const onRenderer = events.filter((e) => keydown && e.pid === keydown.pid && e.tid === keydown.tid && e.ph === 'X');
  return {
    keydowns: onRenderer.filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'keydown').length,
    updates: onRenderer.filter((e) => e.name === 'Document::UpdateStyleAndLayout').length,
  };
}
