// The unzip worker: unpacks a guide pack off the main thread, so even a hostile zip never freezes the screen. It gets
// the zip's bytes, tells how far it is, and answers with the files or the PackError's code.
import { PackError, type PackErrorCode } from './limits';
import { unzipPack, type UnzipProgress } from './unzip';

export type UnzipRequest = ArrayBuffer;
export type UnzipAnswer =
  | ({ kind: 'progress' } & UnzipProgress)
  | { kind: 'done'; files: Record<string, Uint8Array> }
  | { kind: 'refused'; code: PackErrorCode; detail: string };

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<UnzipRequest>) => void) | null;
  postMessage(answer: UnzipAnswer, transfer?: Transferable[]): void;
};

scope.onmessage = (event) => {
  try {
    const files = unzipPack(new Uint8Array(event.data), (progress) => scope.postMessage({ kind: 'progress', ...progress }));
    scope.postMessage(
      { kind: 'done', files },
      Object.values(files).map((bytes) => bytes.buffer as ArrayBuffer),
    );
  } catch (error) {
    const refused = error instanceof PackError ? error : new PackError('notZip', error instanceof Error ? error.message : String(error));
    scope.postMessage({ kind: 'refused', code: refused.code, detail: refused.detail });
  }
};
