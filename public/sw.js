// Cunyi service worker. For now it caches the static assets (the /pkg build output, icons, manifest, scripts)
// so repeat loads on a slow network are fast; the offline app shell and data come with the offline issue.
// Pages and server functions (/api) always go to the network.
const CACHE = 'cunyi-static-v1';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((c) => c.addAll([
      new Request('/manifest.webmanifest', { cache: 'reload' }),
      new Request('/icons/icon-192.png', { cache: 'reload' }),
      new Request('/register-sw.js', { cache: 'reload' }),
    ])).then(() => self.skipWaiting())
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('cunyi-static-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  const isStatic = url.pathname.startsWith('/pkg/') || url.pathname.startsWith('/icons/') ||
    url.pathname === '/manifest.webmanifest' || url.pathname === '/register-sw.js';
  if (!isStatic) return;
  // Network first so a new build is picked up at once; the cache answers when the network does not.
  event.respondWith(
    fetch(req).then((res) => {
      if (res.ok) {
        const copy = res.clone();
        caches.open(CACHE).then((c) => c.put(req, copy));
      }
      return res;
    }).catch(() => caches.match(req).then((hit) => hit || Response.error()))
  );
});
