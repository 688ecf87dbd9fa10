// Binds a lib/observable value to a Preact component.
import { useEffect, useState } from 'preact/hooks';
import type { Observable } from '../lib/observable';

export function useObservable<T>(observable: Observable<T>): T {
  const [value, setValue] = useState(observable.get);
  useEffect(() => {
    setValue(() => observable.get());
    return observable.subscribe((next) => setValue(() => next));
  }, [observable]);
  return value;
}
