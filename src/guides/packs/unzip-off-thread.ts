// Owns where a pack is unpacked: in a worker where the browser has workers (the screen stays responsive and can show
// progress), on the spot where it has none (unit tests). The same checks run either way (unzip.ts).
import { PackError } from './limits';
import { unzipPack, type UnzipProgress } from './unzip';
import type { UnzipAnswer } from './unzip.worker';

export function unzipOffThread(zip: Uint8Array, onProgress: (progress: UnzipProgress) => void = () => {}): Promise<Record<string, Uint8Array>> {
  if (typeof Worker === 'undefined') return Promise.resolve().then(() => unzipPack(zip, onProgress));
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./unzip.worker.ts', import.meta.url), { type: 'module', name: 'pack-unzip' });
    const finish = () => worker.terminate();
    worker.onmessage = (event: MessageEvent<UnzipAnswer>) => {
      const answer = event.data;
      if (answer.kind === 'progress') return onProgress({ done: answer.done, total: answer.total });
      finish();
      if (answer.kind === 'done') resolve(answer.files);
      else reject(new PackError(answer.code, answer.detail));
    };
    worker.onerror = (event) => {
      finish();
      reject(new PackError('notZip', event.message));
    };
    // A copy goes to the worker (the caller keeps its bytes); the worker's files come back without copying.
    const copy = zip.slice().buffer;
    worker.postMessage(copy, [copy]);
  });
}
