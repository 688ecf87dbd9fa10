// Shown for an address the app does not know, with a way home.
import { useT } from '../i18n';

export function NotFound() {
  const { t } = useT();
  return (
    <section class="screen" aria-labelledby="not-found-title">
      <h1 id="not-found-title">{t('notFound.title')}</h1>
      <a class="button primary" href="/">
        {t('notFound.goHome')}
      </a>
    </section>
  );
}
