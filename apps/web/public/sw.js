// Clapper's service worker: the app shell offline (docs/web.md, "Offline").
// Registered as /sw.js?build=<build id> by src/lib/service-worker.ts; a new build is a new
// script URL, so it installs beside the old one and, once active, drops the old caches.
//
// - /_next/static/*: cache-first. Their names carry content hashes, so a cached copy is
//   never stale. Where the browser has static routing (addRoutes), it serves them from the
//   cache without this worker's JS, and the page reports misses for keeping (see install).
// - Page navigations (same origin): a page this build has kept is served from the cache at
//   once and fetched again in the background (stale-while-revalidate), so opening a project
//   never waits for the web server; a page not kept yet is fetched (network-first) and kept.
//   Offline, the kept page opens from the local WatermelonDB and Yjs copies as online.
// - A newer build: the web server stamps every response with its build id (x-clapper-build,
//   next.config.mjs). When a background fetch answers with another build, that page is not
//   kept (this cache holds this build's scripts, not the other's); the worker notes it and
//   tells its windows ('newer-build'), and from then on pages are network-first, so the next
//   load or reload runs the newer build (whose own worker then replaces this one). Offline,
//   the kept page of this build still opens. So after a deploy one load at most runs the
//   previous build, as an open tab always could (docs/web.md, "Offline").
// - Anything else (the Clapper server's API and sockets, other origins): not touched.
// - Taking over after a deploy: Chromium activates a new worker only once the old one is
//   idle, and every request of a page it controls (the API's too) wakes it again, so the
//   new worker can wait minutes. The new build's page therefore has its own worker cache its
//   shell as soon as that worker is installed, without waiting for it to be active, and the
//   old worker, knowing of the newer build, serves that build's kept page and files when the
//   network is gone (docs/web.md, "Offline").
const build = new URL(self.location.href).searchParams.get('build') || 'dev';
const cachePrefix = 'clapper-shell-';
const cacheName = cachePrefix + build;
const buildHeader = 'x-clapper-build';
/** Present in this build's cache once a page of another build was seen: its id. */
const newerBuildKey = new URL('/__clapper/newer-build', self.location.origin).href;

self.addEventListener('install', (event) => {
  // Nothing to precache: the page sends what it loaded before we controlled it ('cache').
  void self.skipWaiting();
  // Static routing (Chromium): /_next/static/* is read from the cache by the browser itself,
  // without starting this worker or running its fetch handler (which a reopen's scripts
  // waited on). 'cache' looks in every cache of the origin, like cacheFirst; a miss goes to
  // the network without this worker, so the page sends what it loaded that way ('cache',
  // src/lib/offline-shell.ts) and it is kept for offline use all the same. Browsers without
  // addRoutes use the fetch handler below.
  if (typeof event.addRoutes === 'function') {
    event.waitUntil(
      event.addRoutes({ condition: { urlPattern: '/_next/static/*' }, source: 'cache' }).catch(() => undefined),
    );
  }
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith(cachePrefix) && key !== cacheName) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

function isStatic(url) {
  return url.origin === self.location.origin && url.pathname.startsWith('/_next/static/');
}

/** The cache key of a page: its URL without Next's `_rsc` query or a fragment. */
function pageKey(url) {
  const key = new URL(url.pathname, url.origin);
  return key.href;
}

async function cacheFirst(request) {
  const cache = await caches.open(cacheName);
  // Content-hashed names: a copy kept by a newer build's worker is as good as our own.
  const hit = (await cache.match(request)) ?? (await caches.match(request));
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

/** Fetches a page; keeps it when it is this build's, notes a newer build otherwise. */
async function fetchPage(cache, request, key) {
  const response = await fetch(request);
  if (!response.ok) return response;
  const served = response.headers.get(buildHeader);
  if (!served || served === build) {
    await cache.put(key, response.clone());
    await cache.delete(newerBuildKey);
  } else if (!(await cache.match(newerBuildKey))) {
    await cache.put(newerBuildKey, new Response(served));
    for (const client of await self.clients.matchAll({ type: 'window' })) {
      client.postMessage({ type: 'newer-build', build: served });
    }
  }
  return response;
}

async function openPage(event) {
  const cache = await caches.open(cacheName);
  const key = pageKey(new URL(event.request.url));
  const [hit, newer] = await Promise.all([cache.match(key), cache.match(newerBuildKey)]);
  if (hit && !newer) {
    // Revalidated after answering: offline or with the web server down this just fails.
    event.waitUntil(fetchPage(cache, event.request, key).catch(() => undefined));
    return hit;
  }
  try {
    return await fetchPage(cache, event.request, key);
  } catch (error) {
    // Offline after a deploy: the newer build's page once its worker kept it (it may not be
    // active yet, see the top), else ours.
    const newerCache = newer ? cachePrefix + (await newer.text()) : null;
    const newerHit =
      newerCache && (await caches.has(newerCache)) ? await (await caches.open(newerCache)).match(key) : null;
    if (newerHit) return newerHit;
    if (hit) return hit;
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (isStatic(url)) event.respondWith(cacheFirst(request));
  else if (request.mode === 'navigate') event.respondWith(openPage(event));
});

// The page lists what it loaded before this worker controlled it (the first visit, or the
// first load of a new build, still under the old worker): the page itself and its scripts,
// styles and fonts. Answered once they are all cached. Also answered while this worker is
// installed but not active yet.
self.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.type !== 'cache' || !Array.isArray(data.urls)) return;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(cacheName);
      await Promise.all(
        data.urls.map(async (href) => {
          const url = new URL(href, self.location.origin);
          if (url.origin !== self.location.origin) return;
          const key = isStatic(url) ? url.href : pageKey(url);
          if (await cache.match(key)) return;
          try {
            const response = await fetch(url.href, { credentials: 'same-origin' });
            // A page of another build is not kept with this build's files (see fetchPage).
            const served = response.headers.get(buildHeader);
            if (response.ok && (isStatic(url) || !served || served === build)) await cache.put(key, response);
          } catch {
            // offline already: what is cached is what we have
          }
        }),
      );
      event.ports[0]?.postMessage({ type: 'cached' });
    })(),
  );
});
