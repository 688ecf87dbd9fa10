// The participant home: the guide library, and a quiet way into the instructor area.
import { Library } from '../guides/Library';
import { useT } from '../i18n';
import { Icon } from './ui/Icon';

export function ParticipantHome() {
  const { t } = useT();
  return (
    <section class="screen home" aria-labelledby="home-title">
      <h1 id="home-title">{t('home.title')}</h1>
      <p class="lead">{t('home.intro')}</p>
      <Library />
      <p class="feedback-entry">
        <a class="button" href="/feedback">
          {t('feedback.homeLink')}
        </a>
      </p>
      <p class="instructor-entry">
        <a class="button ghost" href="/instructor">
          <Icon name="lock" />
          <span>{t('nav.instructor')}</span>
        </a>
      </p>
    </section>
  );
}
