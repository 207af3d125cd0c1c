// Cunyi service worker: starts the app with no network (冷启动离线).
//
// The server writes the build id in (GET /sw.js), so each build keeps its app shell in its own cache:
// the shell page, the /pkg JS, WASM and CSS it loads, the manifest and icons. A new build installs a new
// worker, which precaches the new shell completely before it takes over; only then are older caches
// deleted. The doctor's data is in IndexedDB, never in these caches, so an update cannot make it unreachable.
const BUILD = '__CUNYI_BUILD__';
// Every file of the build's /pkg (hashed names; the lazily loaded WASM parts too), listed by the server.
const PKG = __CUNYI_PKG__;
const CACHE = 'cunyi-shell-' + BUILD;
const SHELL = '/shell';
const PRECACHE = [
  SHELL,
  ...PKG,
  '/manifest.webmanifest',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
  '/register-sw.js',
];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      // 'reload' so the precache comes from the server, not from an older copy in the HTTP cache.
      .then((c) => c.addAll(PRECACHE.map((u) => new Request(u, { cache: 'reload' }))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('cunyi-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

function isStatic(url) {
  return url.pathname.startsWith('/pkg/') || url.pathname.startsWith('/icons/') ||
    url.pathname === '/manifest.webmanifest' || url.pathname === '/register-sw.js';
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  // Server functions and the sync API go to the network; the app handles their failure itself.
  if (req.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (req.mode === 'navigate') {
    // Network first: online, every page is rendered fresh by the server; offline, the shell starts the app.
    event.respondWith(
      fetch(req).catch(() => caches.open(CACHE).then((c) => c.match(SHELL)).then((hit) => hit || Response.error()))
    );
    return;
  }
  if (!isStatic(url)) return;
  // Network first so a new build is picked up at once; the cache answers when the network does not.
  event.respondWith(
    fetch(req).then((res) => {
      if (res.ok) {
        const copy = res.clone();
        caches.open(CACHE).then((c) => c.put(url.pathname, copy));
      }
      return res;
    }).catch(() => caches.open(CACHE).then((c) => c.match(url.pathname)).then((hit) => hit || Response.error()))
  );
});
