'use client';
// The report renderers (and pdf-lib), fetched once a view that prints is on screen (lib/preloaded-module.ts).
import { preloadedModule } from '../lib/preloaded-module.ts';

const reportRenderers = preloadedModule(() => import('./report-renderers.ts'));

export const loadReportRenderers = reportRenderers.load;

/**
 * Fetches the renderers in the background while the calling view is mounted, once the
 * browser is idle: evaluating pdf-lib as the board rendered held back the frame after it
 * (62 ms in a traced reopen at load 16).
 */
export function usePreloadedReportRenderers(): void {
  reportRenderers.usePreload({ whenIdle: true });
}
