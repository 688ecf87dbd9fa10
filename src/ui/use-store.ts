// Binds a lib/store value to a Preact component.
import { useEffect, useState } from 'preact/hooks';
import type { Store } from '../lib/store';

export function useStore<T>(store: Store<T>): T {
  const [value, setValue] = useState(store.get);
  useEffect(() => {
    setValue(() => store.get());
    return store.subscribe((next) => setValue(() => next));
  }, [store]);
  return value;
}
