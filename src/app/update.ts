// Owns the service-worker life cycle on the page: register, notice a waiting version, switch only on request.
import { Workbox } from 'workbox-window';
import { createObservable } from '../lib/observable';

/** True when a new version is installed and waits for the instructor's OK. */
export const updateWaiting = createObservable<boolean>(false);

let workbox: Workbox | undefined;

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  workbox = new Workbox('/sw.js', { scope: '/' });
  workbox.addEventListener('waiting', () => updateWaiting.set(true));
  workbox.register().catch((error: unknown) => console.error('the service worker did not register: the app works, but not offline', error));
  // Look for a new version when the tablet comes back to the app, not only at start.
  document.addEventListener('visibilitychange', () => {
    // An offline tablet cannot look for a new version; it looks again the next time it comes back to the app.
    if (document.visibilityState === 'visible') workbox?.update().catch(() => undefined);
  });
}

/** Activates the waiting version and reloads once it controls the page. */
export function applyUpdate(): void {
  if (!workbox) return;
  workbox.addEventListener('controlling', () => window.location.reload());
  workbox.messageSkipWaiting();
}
