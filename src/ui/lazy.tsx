// Loads a screen's code on first use, so instructor-only and heavy screens stay out of the start-up bundle. Code that
// does not load is thrown to the area's error boundary, which offers to try again.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useT } from '../i18n';

export function lazyScreen<P extends object>(load: () => Promise<{ default: ComponentType<P> }>): ComponentType<P> {
  let loaded: ComponentType<P> | undefined;
  return function LazyScreen(props: P) {
    const { t } = useT();
    const [Screen, setScreen] = useState<ComponentType<P> | undefined>(() => loaded);
    const [failure, setFailure] = useState<{ error: unknown }>();
    useEffect(() => {
      if (Screen) return;
      load().then(
        (module) => {
          loaded = module.default;
          setScreen(() => module.default);
        },
        (error: unknown) => setFailure({ error }),
      );
    }, [Screen]);
    if (failure) throw failure.error; // the area's error boundary offers to try again: a new mount loads again
    if (!Screen)
      return (
        <p class="loading" aria-live="polite">
          {t('app.loading')}
        </p>
      );
    return <Screen {...props} />;
  };
}
