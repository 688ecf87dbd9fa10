// Owns where the built-in guides are loaded: in a worker where the browser has module workers (the first screen stays
// responsive while about a thousand rows are read and written), on the main thread where it has none or the worker
// cannot do it. A start with this build's guides already in place reads one value and starts no worker.
import { builtinContentVersion } from '../db/guides';
import { BUILD_CONTENT_VERSION, ensureBuiltinGuides } from './builtin-loader';
import type { BuiltinAnswer } from './builtin.worker';

export async function loadBuiltinGuides(): Promise<'current' | 'loaded'> {
  if ((await builtinContentVersion()) === BUILD_CONTENT_VERSION) return 'current';
  if (typeof Worker === 'undefined') return ensureBuiltinGuides();
  try {
    return await inWorker();
  } catch (error) {
    if (error instanceof LeftPage) throw error;
    return ensureBuiltinGuides(); // a worker that could not start or open the database: the main thread does it
  }
}

class LeftPage extends Error {}

function inWorker(): Promise<'current' | 'loaded'> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./builtin.worker.ts', import.meta.url), { type: 'module', name: 'builtin-guides' });
    // A page going into the back-forward cache must not leave a worker's transaction frozen (db/leave-page.ts): the
    // worker ends, and the page brought back starts again, loading the guides then.
    const leave = (event: PageTransitionEvent) => {
      if (!event.persisted) return;
      finish();
      reject(new LeftPage('The page was left while the built-in guides were loading.'));
      addEventListener('pageshow', (shown) => (shown as PageTransitionEvent).persisted && location.reload(), { once: true });
    };
    const finish = () => {
      worker.terminate();
      removeEventListener('pagehide', leave);
    };
    addEventListener('pagehide', leave);
    worker.onmessage = (event: MessageEvent<BuiltinAnswer>) => {
      finish();
      if (event.data.kind === 'done') resolve(event.data.result);
      else reject(new Error(event.data.message));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      finish();
      reject(new Error(event.message || 'The built-in guides worker did not start.'));
    };
    worker.postMessage('load');
  });
}
