// Owns the online/offline state the header shows; the app itself never waits for the network.
import { createStore } from '../lib/store';

export const online = createStore<boolean>(typeof navigator === 'undefined' ? true : navigator.onLine);

export function watchNetwork(): void {
  window.addEventListener('online', () => online.set(true));
  window.addEventListener('offline', () => online.set(false));
}
