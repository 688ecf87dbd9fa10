// Owns the order of a guide's steps while editing: where a moved or added step goes, as fractional order keys.
// A move normally rewrites ONE row (the moved step); only keys that two tablets made equal get repaired as well.
import { compareOrder, keyBetween, type Ordered } from '../../lib/order-key';

export { compareOrder, type Ordered };

/** The key of a step added after every other step. */
export function keyAtEnd(steps: readonly Ordered[]): string {
  const last = [...steps].sort(compareOrder).at(-1);
  return keyBetween(last?.orderKey ?? null, null);
}

/**
 * New keys after moving the step at index `from` to index `to` (indexes in the current order).
 * Returns only the rows whose key changes: the moved step, plus neighbours whose keys were equal to each other.
 */
export function keysAfterMove(steps: readonly Ordered[], from: number, to: number): Ordered[] {
  const order = [...steps].sort(compareOrder);
  if (from < 0 || from >= order.length || to < 0 || to >= order.length || from === to) return [];
  const [moved] = order.splice(from, 1);
  order.splice(to, 0, moved!);
  const keys = order.map((step) => step.orderKey);
  const changed: Ordered[] = [];
  let previous: string | null = null;
  for (let i = 0; i < order.length; i += 1) {
    const mustMove = order[i] === moved || (previous !== null && keys[i]! <= previous);
    if (mustMove) {
      // The next step that already sits after `previous` bounds the new key from above.
      let upper: string | null = null;
      for (let j = i + 1; j < order.length; j += 1) {
        if (order[j] !== moved && (previous === null || keys[j]! > previous)) {
          upper = keys[j]!;
          break;
        }
      }
      keys[i] = keyBetween(previous, upper);
      changed.push({ id: order[i]!.id, orderKey: keys[i]! });
    }
    previous = keys[i]!;
  }
  return changed;
}
