// The participant home: the guide library, and a quiet way into the instructor area.
import { Library } from '../guides/Library';
import { LANGUAGES, useT } from '../i18n';
import { chooseLanguage } from './language';
import { Icon } from '../ui/Icon';
import { useFailed } from '../ui/use-failed';

export function ParticipantHome() {
  const { t, language } = useT();
  const failed = useFailed();
  return (
    <section class="screen home" aria-labelledby="home-title">
      {/* The three languages by name, one tap each: no flags, nothing hidden behind a settings icon. */}
      <div class="home-top">
        <div class="language-buttons" role="group" aria-label={t('settings.language')}>
          {LANGUAGES.map((lang) => (
            <button
              key={lang}
              type="button"
              class="button ghost"
              lang={lang}
              aria-pressed={lang === language}
              onClick={() => chooseLanguage(lang).catch(failed)}
            >
              {t(`languages.${lang}`)}
            </button>
          ))}
        </div>
        {/* Behind the PIN: "Uusi kirjaus" opens the log form straight after the PIN, the shortest way to log a drop-in. */}
        <p class="instructor-entry">
          <a class="button ghost" href="/instructor/sessions/new">
            <Icon name="lock" />
            <span>{t('nav.newLog')}</span>
          </a>
          <a class="button ghost" href="/instructor">
            <Icon name="lock" />
            <span>{t('nav.instructor')}</span>
          </a>
        </p>
      </div>
      <h1 id="home-title">{t('home.title')}</h1>
      <p class="lead">{t('home.intro')}</p>
      <Library
        footer={
          <p class="feedback-entry">
            <a class="button" href="/feedback">
              {t('feedback.homeLink')}
            </a>
          </p>
        }
      />
    </section>
  );
}
