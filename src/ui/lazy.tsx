// Loads a screen's code on first use, so instructor-only and heavy screens stay out of the start-up bundle.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useT } from '../i18n';

export function lazyScreen<P extends object>(load: () => Promise<{ default: ComponentType<P> }>): ComponentType<P> {
  let loaded: ComponentType<P> | undefined;
  return function LazyScreen(props: P) {
    const { t } = useT();
    const [Screen, setScreen] = useState<ComponentType<P> | undefined>(() => loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (Screen) return;
      load().then(
        (module) => {
          loaded = module.default;
          setScreen(() => module.default);
        },
        () => setFailed(true),
      );
    }, [Screen]);
    if (failed) return <p role="alert">{t('app.error')}</p>;
    if (!Screen) return <p class="loading" aria-live="polite">{t('app.loading')}</p>;
    return <Screen {...props} />;
  };
}
