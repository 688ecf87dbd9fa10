// The instructor area's front page (lazy-loaded). The PIN lock in front of it comes with the lock feature.
import { useT } from '../../i18n';

export default function InstructorHome() {
  const { t } = useT();
  return (
    <section class="screen instructor" aria-labelledby="instructor-title">
      <h1 id="instructor-title">{t('instructor.title')}</h1>
      <p>{t('instructor.intro')}</p>
      <div class="button-row instructor-links">
        <a class="button primary" href="/instructor/sessions/new">
          {t('sessions.newLog')}
        </a>
        <a class="button" href="/instructor/sessions">
          {t('sessions.listTitle')}
        </a>
      </div>
      <a class="button" href="/">
        {t('instructor.backToParticipant')}
      </a>
    </section>
  );
}
