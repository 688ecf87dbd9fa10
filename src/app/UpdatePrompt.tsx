// The "new version — update now" banner: a new build never replaces the running one without a tap.
import { useState } from 'preact/hooks';
import { useT } from '../i18n';
import { applyUpdate, updateWaiting } from './update';
import { useObservable } from '../ui/use-observable';

export function UpdatePrompt() {
  const { t } = useT();
  const waiting = useObservable(updateWaiting);
  const [dismissed, setDismissed] = useState(false);
  if (!waiting || dismissed) return null;
  return (
    <section class="update-prompt" role="region" aria-label={t('update.available')}>
      <p>
        <strong>{t('update.available')}</strong> {t('update.explain')}
      </p>
      <div class="button-row">
        <button type="button" class="button primary" onClick={applyUpdate}>
          {t('update.now')}
        </button>
        <button type="button" class="button" onClick={() => setDismissed(true)}>
          {t('update.later')}
        </button>
      </div>
    </section>
  );
}
