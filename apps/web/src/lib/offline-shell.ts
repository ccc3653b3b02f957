/**
 * Registration of the app-shell service worker (public/sw.js), versioned by the build id
 * (next.config.mjs), in production builds only: a development server's chunks change on
 * every edit.
 */

/** Set on <html> once the shell of the current page is cached: it opens with no network. */
export const offlineReadyAttribute = 'data-offline-ready';
/** Set on <html> to the newer build's id once the worker has seen one deployed. */
export const newerBuildAttribute = 'data-newer-build';

const buildId = process.env.CLAPPER_BUILD_ID ?? 'dev';

function supported(): boolean {
  return process.env.NODE_ENV === 'production' && typeof navigator !== 'undefined' && 'serviceWorker' in navigator;
}

/** Asks `worker` to cache `urls`; resolves when it has (or could not). */
async function cacheUrls(worker: ServiceWorker, urls: string[]): Promise<void> {
  const channel = new MessageChannel();
  const done = new Promise<void>((resolve) => (channel.port1.onmessage = () => resolve()));
  worker.postMessage({ type: 'cache', urls }, [channel.port2]);
  await done;
}

/**
 * This build's worker once it is active (null if it never gets there). Not
 * `navigator.serviceWorker.ready`: right after a deploy that is still the previous build's
 * worker, whose cache the new one deletes as it takes over.
 */
function activated(registration: ServiceWorkerRegistration): Promise<ServiceWorker | null> {
  const worker = registration.installing ?? registration.waiting ?? registration.active;
  if (!worker || worker.state === 'activated') return Promise.resolve(worker);
  return new Promise((resolve) => {
    const onChange = () => {
      if (worker.state !== 'activated' && worker.state !== 'redundant') return;
      worker.removeEventListener('statechange', onChange);
      resolve(worker.state === 'activated' ? worker : null);
    };
    worker.addEventListener('statechange', onChange);
  });
}

export function registerOfflineShell(): void {
  if (!supported()) return;
  document.documentElement.removeAttribute(offlineReadyAttribute);
  void navigator.serviceWorker
    .register(`/sw.js?build=${encodeURIComponent(buildId)}`)
    .then(activated)
    .then((worker) => {
      if (!worker) return;
      // What this page loaded before the worker controlled it (a first visit).
      const loaded = performance
        .getEntriesByType('resource')
        .map((entry) => entry.name)
        .filter((name) => name.startsWith(`${location.origin}/_next/static/`));
      return cacheUrls(worker, [location.href, ...loaded]).then(() =>
        document.documentElement.setAttribute(offlineReadyAttribute, 'true'),
      );
    })
    .catch(() => undefined); // no worker: the app still works online
}

export function cachePage(pathname: string): void {
  const worker = supported() ? navigator.serviceWorker.controller : null;
  if (!worker) return;
  void cacheUrls(worker, [new URL(pathname, location.origin).href]).catch(() => undefined);
}

/**
 * Calls `onNewer` with the id of a newer build once this build's worker has seen one deployed
 * (public/sw.js: its background fetch of a page answered with another build); the next load
 * runs that build. Returns a function that stops watching.
 */
export function watchForNewerBuild(onNewer: (build: string) => void): () => void {
  if (!supported()) return () => undefined;
  let live = true;
  const found = (build: string) => {
    if (!live) return;
    document.documentElement.setAttribute(newerBuildAttribute, build);
    onNewer(build);
  };
  const onMessage = (event: MessageEvent) => {
    const data = event.data as { type?: unknown; build?: unknown } | null;
    if (data?.type === 'newer-build' && typeof data.build === 'string') found(data.build);
  };
  navigator.serviceWorker.addEventListener('message', onMessage);
  navigator.serviceWorker.startMessages();
  // Seen before this page listened (while it loaded): the worker's note is in its cache.
  void caches
    .open(`clapper-shell-${buildId}`)
    .then((cache) => cache.match('/__clapper/newer-build'))
    .then((hit) => hit?.text())
    .then((build) => build && found(build))
    .catch(() => undefined);
  return () => {
    live = false;
    navigator.serviceWorker.removeEventListener('message', onMessage);
  };
}
