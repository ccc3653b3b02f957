/**
 * Registration of the app-shell service worker (public/sw.js), versioned by the build id
 * (next.config.mjs), in production builds only: a development server's chunks change on
 * every edit.
 */

/** Set on <html> once the shell of the current page is cached: it opens with no network. */
export const offlineReadyAttribute = 'data-offline-ready';

const buildId = process.env.CLAPPER_BUILD_ID ?? 'dev';

function supported(): boolean {
  return process.env.NODE_ENV === 'production' && typeof navigator !== 'undefined' && 'serviceWorker' in navigator;
}

/** Asks the active worker to cache `urls`; resolves when it has (or could not). */
async function cacheUrls(urls: string[]): Promise<void> {
  const registration = await navigator.serviceWorker.ready;
  const worker = registration.active;
  if (!worker) return;
  const channel = new MessageChannel();
  const done = new Promise<void>((resolve) => (channel.port1.onmessage = () => resolve()));
  worker.postMessage({ type: 'cache', urls }, [channel.port2]);
  await done;
}

export function registerOfflineShell(): void {
  if (!supported()) return;
  document.documentElement.removeAttribute(offlineReadyAttribute);
  void navigator.serviceWorker
    .register(`/sw.js?build=${encodeURIComponent(buildId)}`)
    .then(() => {
      // What this page loaded before the worker controlled it (a first visit).
      const loaded = performance
        .getEntriesByType('resource')
        .map((entry) => entry.name)
        .filter((name) => name.startsWith(`${location.origin}/_next/static/`));
      return cacheUrls([location.href, ...loaded]);
    })
    .then(() => document.documentElement.setAttribute(offlineReadyAttribute, 'true'))
    .catch(() => undefined); // no worker: the app still works online
}

export function cachePage(pathname: string): void {
  if (!supported() || !navigator.serviceWorker.controller) return;
  void cacheUrls([new URL(pathname, location.origin).href]).catch(() => undefined);
}
