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
 * Whether a static file came from the service worker's cache by its static route
 * (public/sw.js, install): those are kept already. A page the worker does not control, a
 * miss that went to the network, or a browser without static routing: not known to be.
 */
function fromCache(entry: PerformanceEntry): boolean {
  return (entry as PerformanceEntry & { workerFinalSourceType?: string }).workerFinalSourceType === 'cache';
}

/** This build's worker once it is installed (see ownWorker); null before. */
let installedWorker: ServiceWorker | null = null;

const isOwn = (worker: ServiceWorker | null | undefined): worker is ServiceWorker =>
  !!worker && new URL(worker.scriptURL).searchParams.get('build') === buildId;

/**
 * This build's worker once it is installed, waiting or active (null if it never gets
 * there). Not `navigator.serviceWorker.ready`, nor waiting for it to be active: right after
 * a deploy the page is controlled by the previous build's worker, and Chromium activates
 * the new one only once the old one is idle, which the page's own requests (the API's
 * included) keep postponing, for minutes in the worst case (with DevTools attached, as in
 * the browser tests, until its 5-minute limit). A worker that is installed already caches
 * into its own cache, and the old one serves that cache offline (public/sw.js).
 */
function ownWorker(registration: ServiceWorkerRegistration): Promise<ServiceWorker | null> {
  const worker = [registration.installing, registration.waiting, registration.active].find(isOwn);
  const installed = (state: ServiceWorkerState) =>
    state === 'installed' || state === 'activating' || state === 'activated';
  if (!worker || installed(worker.state)) return Promise.resolve(worker ?? null);
  return new Promise((resolve) => {
    const onChange = () => {
      if (!installed(worker.state) && worker.state !== 'redundant') return;
      worker.removeEventListener('statechange', onChange);
      resolve(worker.state === 'redundant' ? null : worker);
    };
    worker.addEventListener('statechange', onChange);
  });
}

export function registerOfflineShell(): void {
  if (!supported()) return;
  document.documentElement.removeAttribute(offlineReadyAttribute);
  void navigator.serviceWorker
    .register(`/sw.js?build=${encodeURIComponent(buildId)}`)
    .then(ownWorker)
    .then((worker) => {
      if (!worker) return;
      installedWorker = worker;
      // Static files loaded later (lazy chunks) and not from the cache: kept as they come.
      const sent = new Set<string>();
      const unkept = (entries: PerformanceEntryList) =>
        entries
          .filter((entry) => entry.name.startsWith(`${location.origin}/_next/static/`) && !fromCache(entry))
          .map((entry) => entry.name)
          .filter((name) => !sent.has(name) && sent.add(name));
      if (typeof PerformanceObserver !== 'undefined') {
        new PerformanceObserver((list) => {
          const urls = unkept(list.getEntries());
          if (urls.length > 0) void cacheUrls(worker, urls).catch(() => undefined);
        }).observe({ type: 'resource' });
      }
      // What this page loaded before the worker controlled it (a first visit, or the first
      // load of a new build), or past its cache.
      return cacheUrls(worker, [location.href, ...unkept(performance.getEntriesByType('resource'))]).then(() =>
        document.documentElement.setAttribute(offlineReadyAttribute, 'true'),
      );
    })
    .catch(() => undefined); // no worker: the app still works online
}

export function cachePage(pathname: string): void {
  if (!supported()) return;
  const controller = navigator.serviceWorker.controller;
  const worker = installedWorker ?? (isOwn(controller) ? controller : null);
  if (!worker) return; // the registration sends it
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
