'use client';
// The report renderers (and pdf-lib) stay out of the first page load, but are fetched as
// soon as a view that prints is on screen: once loaded, a later import resolves from
// memory, so a window that has since lost the network still makes its PDFs on location.
import { useEffect } from 'react';
import type * as ReportRenderers from './report-renderers.ts';

type Renderers = typeof ReportRenderers;

let loading: Promise<Renderers> | null = null;

export function loadReportRenderers(): Promise<Renderers> {
  loading ??= import('./report-renderers.ts').catch((failure: unknown) => {
    // Offline before it ever loaded: let a later call try again.
    loading = null;
    throw failure;
  });
  return loading;
}

/** Fetches the renderers in the background while the calling view is mounted. */
export function usePreloadedReportRenderers(): void {
  useEffect(() => {
    loadReportRenderers().catch(() => undefined);
  }, []);
}
