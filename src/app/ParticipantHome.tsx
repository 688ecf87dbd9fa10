// The participant home: big topic tiles, and a quiet way into the instructor area.
import { useT } from '../i18n';
import { Icon, type IconName } from './ui/Icon';

export const CATEGORIES = ['contact', 'authorities', 'books', 'safety', 'device', 'say'] as const;

export function ParticipantHome() {
  const { t } = useT();
  return (
    <section class="screen home" aria-labelledby="home-title">
      <h1 id="home-title">{t('home.title')}</h1>
      <p class="lead">{t('home.intro')}</p>
      <h2 class="visually-hidden">{t('home.categories')}</h2>
      <ul class="tiles" role="list">
        {CATEGORIES.map((category) => (
          <li key={category}>
            <a class={`tile tile-${category}`} href={`/?category=${category}`}>
              <Icon name={category as IconName} size={48} />
              <span>{t(`categories.${category}`)}</span>
            </a>
          </li>
        ))}
      </ul>
      <p class="instructor-entry">
        <a class="button ghost" href="/instructor">
          <Icon name="lock" />
          <span>{t('nav.instructor')}</span>
        </a>
      </p>
    </section>
  );
}
