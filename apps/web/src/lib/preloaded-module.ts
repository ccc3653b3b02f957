'use client';
// Code a view prints with (pdf-lib and its renderers) stays out of the first page load but
// is fetched as soon as that view is on screen: once loaded, a later import resolves from
// memory, so a window that has since lost the network still makes its PDFs on location.
import { useEffect, useState } from 'react';
import { afterFirstView } from './first-view.ts';

export interface PreloadedModule<T> {
  /** The module; a failed load (offline before it ever loaded) is retried on the next call. */
  load(): Promise<T>;
  /**
   * Fetches it in the background while the calling view is mounted; true once it is in
   * memory. `whenIdle`: not before the project's first view has shown and the browser is
   * then idle (within a second; lib/first-view.ts), so that loading it stays out of the
   * view's first frames.
   */
  usePreload(options?: { whenIdle?: boolean }): boolean;
}

export function preloadedModule<T>(importModule: () => Promise<T>): PreloadedModule<T> {
  let loading: Promise<T> | null = null;
  let loaded = false;
  const load = () => {
    loading ??= importModule().then(
      (module) => {
        loaded = true;
        return module;
      },
      (failure: unknown) => {
        loading = null;
        throw failure;
      },
    );
    return loading;
  };
  return {
    load,
    usePreload(options) {
      const [ready, setReady] = useState(loaded);
      const whenIdle = options?.whenIdle === true;
      useEffect(() => {
        let mounted = true;
        const start = () => {
          load().then(
            () => mounted && setReady(true),
            () => undefined,
          );
        };
        if (!whenIdle) {
          start();
          return () => {
            mounted = false;
          };
        }
        const cancel = afterFirstView(start, 1000);
        return () => {
          mounted = false;
          cancel();
        };
      }, [whenIdle]);
      return ready;
    },
  };
}
