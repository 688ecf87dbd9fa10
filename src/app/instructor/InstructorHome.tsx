// The instructor area's front page (lazy-loaded, behind the PIN gate of src/lock).
import { useT } from '../../i18n';
import SyncStatusLine from '../../sync/SyncStatusLine';

export default function InstructorHome() {
  const { t } = useT();
  return (
    <section class="screen instructor" aria-labelledby="instructor-title">
      <h1 id="instructor-title">{t('instructor.title')}</h1>
      <p>{t('instructor.intro')}</p>
      <SyncStatusLine />
      <div class="button-row instructor-links">
        <a class="button primary" href="/instructor/sessions/new">
          {t('sessions.newLog')}
        </a>
        <a class="button" href="/instructor/sessions">
          {t('sessions.listTitle')}
        </a>
        <a class="button" href="/instructor/guides">
          {t('editor.list.title')}
        </a>
        <a class="button" href="/instructor/reports">
          {t('reports.title')}
        </a>
      </div>
      <nav class="card" aria-labelledby="lock-links-title">
        <h2 id="lock-links-title">{t('lock.links.title')}</h2>
        <ul class="lock-links" role="list">
          <li>
            <a class="button" href="/instructor/profiles">
              {t('lock.links.profiles')}
            </a>
          </li>
          <li>
            <a class="button" href="/instructor/tablet">
              {t('lock.links.tablet')}
            </a>
          </li>
        </ul>
      </nav>
    </section>
  );
}
