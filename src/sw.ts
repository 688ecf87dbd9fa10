// The service worker: precache the app, answer every in-app navigation offline, update only on request.
// It imports no UI and knows nothing of the app beyond that.
/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Any in-app address opens the app shell; the sync API and the coordinator's console (another page, same origin)
// are never answered from the cache.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/v1\//, /^\/console(\/|$)/] }));

// A new version waits until the page asks for it (the instructor taps "update now").
self.addEventListener('message', (event) => {
  // skipWaiting() only resolves (the page reloads when the new version takes control), so nothing is lost here.
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting(); // its promise never rejects (Service Workers spec)
});

// Take control of the first page at once; later versions still wait for SKIP_WAITING.
clientsClaim();
