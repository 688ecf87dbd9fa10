// The blank PWA's service worker: keeps the page and every file it loaded, and answers from them (offline too).
const CACHE = 'blank-pwa';
self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.add('/'))
      .then(() => self.skipWaiting()),
  );
});
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  if (event.request.method !== 'GET') return;
  const key = event.request.mode === 'navigate' ? '/' : event.request;
  event.respondWith(
    caches.match(key).then(
      (hit) =>
        hit ??
        fetch(event.request).then((response) => {
          if (response.ok) void caches.open(CACHE).then((cache) => cache.put(event.request, response.clone()));
          return response;
        }),
    ),
  );
});
