// Owns running writes one after another: each starts once every earlier write of its queue has settled (done or
// failed), so quick taps and typed text land in the order they were made, and one failed write never blocks the
// writes after it. Pure; imports nothing.

/** Runs `write` after the queue's earlier writes have settled; its promise is the write's own result or failure. */
export type WriteQueue = <T>(write: () => Promise<T>) => Promise<T>;

export function writeQueue(): WriteQueue {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(write: () => Promise<T>): Promise<T> => {
    const next = last.then(write);
    last = next.catch(() => undefined); // the queue goes on after a failure; the caller still sees it on `next`
    return next;
  };
}
