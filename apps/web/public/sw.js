// Clapper's service worker: the app shell offline (docs/web.md, "Offline").
// Registered as /sw.js?build=<build id> by src/lib/service-worker.ts; a new build is a new
// script URL, so it installs beside the old one and, once active, drops the old caches.
//
// - /_next/static/*: cache-first. Their names carry content hashes, so a cached copy is
//   never stale.
// - Page navigations (same origin): network-first; each page that answers is kept, and
//   served when the network doesn't answer (the web server is down or there is no network).
//   The page then opens from the local WatermelonDB and Yjs copies, as it does online.
// - Anything else (the Clapper server's API and sockets, other origins): not touched.
const build = new URL(self.location.href).searchParams.get('build') || 'dev';
const cachePrefix = 'clapper-shell-';
const cacheName = cachePrefix + build;

self.addEventListener('install', () => {
  // Nothing to precache: the page sends what it loaded before we controlled it ('cache').
  void self.skipWaiting();
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
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function networkFirst(request) {
  const cache = await caches.open(cacheName);
  const key = pageKey(new URL(request.url));
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const hit = await cache.match(key);
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
  else if (request.mode === 'navigate') event.respondWith(networkFirst(request));
});

// The page lists what it loaded before this worker controlled it (the first visit): the
// page itself and its scripts, styles and fonts. Answered once they are all cached.
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
            if (response.ok) await cache.put(key, response);
          } catch {
            // offline already: what is cached is what we have
          }
        }),
      );
      event.ports[0]?.postMessage({ type: 'cached' });
    })(),
  );
});
