// Owns the online/offline state the header shows; the app itself never waits for the network.
import { createObservable } from '../lib/observable';

export const online = createObservable<boolean>(typeof navigator === 'undefined' ? true : navigator.onLine);

export function watchNetwork(): void {
  window.addEventListener('online', () => online.set(true));
  window.addEventListener('offline', () => online.set(false));
}
