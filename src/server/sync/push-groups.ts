// Owns group commit for pushes: while a push of an organisation is being applied, the pushes of that organisation
// that arrive wait, and are then applied together in one transaction (one counter lock, one read and one write for
// all of them) instead of each waiting its turn for the lock with its own round trips. Under many tablets the
// organisation's counter lock is held for a few round trips per group instead of per push.
//
// One push per device in a group (a device's next push waits for the next group), and a group stops growing at
// MAX_GROUP_MUTATIONS. If a group fails as a whole (a database error), each of its pushes is tried again alone, so
// one push that upsets the database cannot fail the others.

export interface GroupItem {
  /** Pushes with the same group key may share a transaction (the organisation). */
  groupKey: string;
  /** At most one item per member in a group (the device). */
  member: string;
  size: number;
}

/** What `apply` gives back for each item of a group: a value, or an error that is that item's alone. */
export type ItemOutcome<R> = { response: R } | { refused: Error };

interface Waiting<T, R> {
  item: T;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/** A group can hold this many mutations (ten full pushes): its statements and its transaction stay bounded. */
export const MAX_GROUP_MUTATIONS = 5_000;

/**
 * Takes the next group out of a queue: in arrival order, one item per member, up to `limit` in size (at least one
 * item). `itemOf` says what of a queued entry is the item.
 */
export function takeGroup<Q>(queue: Q[], itemOf: (entry: Q) => GroupItem, limit = MAX_GROUP_MUTATIONS): Q[] {
  const group: Q[] = [];
  const members = new Set<string>();
  let size = 0;
  for (let at = 0; at < queue.length; ) {
    const item = itemOf(queue[at]!);
    if (members.has(item.member)) {
      at += 1; // a device's later push waits for the next group; other devices' pushes behind it may still join
      continue;
    }
    if (group.length && size + item.size > limit) break;
    group.push(queue[at]!);
    members.add(item.member);
    size += item.size;
    queue.splice(at, 1);
  }
  return group;
}

export class GroupCommit<T extends GroupItem, R> {
  private readonly queues = new Map<string, Waiting<T, R>[]>();

  constructor(private readonly apply: (items: T[]) => Promise<ItemOutcome<R>[]>) {}

  /** Applies `item` with whatever else of its group key is waiting when its turn comes. */
  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.queues.get(item.groupKey);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      this.queues.set(item.groupKey, [{ item, resolve, reject }]);
      void this.drain(item.groupKey);
    });
  }

  private async drain(key: string): Promise<void> {
    const queue = this.queues.get(key)!;
    try {
      while (queue.length) {
        // One turn of the event loop first: pushes whose requests are a step from here (reading their device, or
        // waiting for SQLite's one connection) join this group instead of starting the next.
        await new Promise((resolve) => setImmediate(resolve));
        await this.run(takeGroup(queue, (waiting) => waiting.item));
      }
    } finally {
      this.queues.delete(key);
    }
  }

  private async run(group: Waiting<T, R>[]): Promise<void> {
    try {
      settle(group, await this.apply(group.map((waiting) => waiting.item)));
    } catch (error) {
      if (group.length === 1) {
        group[0]!.reject(error);
        return;
      }
      // Alone, each push meets only its own problem.
      for (const waiting of group) {
        try {
          settle([waiting], await this.apply([waiting.item]));
        } catch (alone) {
          waiting.reject(alone);
        }
      }
    }
  }
}

function settle<T, R>(group: Waiting<T, R>[], outcomes: ItemOutcome<R>[]): void {
  group.forEach((waiting, index) => {
    const outcome = outcomes[index]!;
    if ('response' in outcome) waiting.resolve(outcome.response);
    else waiting.reject(outcome.refused);
  });
}
