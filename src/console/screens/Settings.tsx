// Owns the organisation's settings: how long logs and feedback are kept (retention); a coordinator changes it, a site
// admin reads it.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { useConsoleT } from '../i18n';
import type { Settings, User } from '../types';
import { ErrorNotice, Loading, Notice, PageTitle, useLoad } from '../ui';

export const RETENTION_CHOICES: readonly (number | null)[] = [6, 12, 24, 36, 60, 120, null];

/** The select's value of a retention ("keep" for kept until deleted) and back. */
export function retentionValue(months: number | null): string {
  return months === null ? 'keep' : String(months);
}
export function retentionFrom(value: string): number | null {
  return value === 'keep' ? null : Number(value);
}

export function SettingsScreen(props: { user: User }) {
  const { t } = useConsoleT();
  const settings = useLoad(() => api.get<Settings>('/settings'), []);
  const [value, setValue] = useState('keep');
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>();
  const coordinator = props.user.role === 'coordinator';
  useEffect(() => {
    if (settings.data) setValue(retentionValue(settings.data.retentionMonths));
  }, [settings.data]);
  const label = (months: number | null) => (months === null ? t('settings.keepAll') : t('settings.months', { count: months }));
  // A value the server has that is not one of the choices is still shown as it is.
  const choices = settings.data && !RETENTION_CHOICES.includes(settings.data.retentionMonths) ? [...RETENTION_CHOICES, settings.data.retentionMonths] : RETENTION_CHOICES;

  const save = async (event: Event) => {
    event.preventDefault();
    setSaved(false);
    setError(undefined);
    try {
      await api.put<Settings>('/settings', { retentionMonths: retentionFrom(value) });
      setSaved(true);
      settings.reload();
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <section>
      <PageTitle>{t('settings.title')}</PageTitle>
      <ErrorNotice error={settings.error ?? error} />
      {settings.loading && !settings.data ? <Loading /> : null}
      {settings.data ? (
        <form class="form panel" onSubmit={(event) => void save(event)}>
          <h2>{t('settings.retentionTitle')}</h2>
          <p id="retention-help">{t('settings.retentionHelp')}</p>
          <label for="retention">{t('settings.retention')}</label>
          <select id="retention" aria-describedby="retention-help" value={value} disabled={!coordinator} onChange={(event) => setValue(event.currentTarget.value)}>
            {choices.map((months) => (
              <option key={retentionValue(months)} value={retentionValue(months)}>
                {label(months)}
              </option>
            ))}
          </select>
          {coordinator ? (
            <button type="submit" class="button primary">
              {t('settings.save')}
            </button>
          ) : (
            <p class="hint">{t('settings.onlyCoordinator')}</p>
          )}
          {saved ? <Notice>{t('settings.saved')}</Notice> : null}
        </form>
      ) : null}
    </section>
  );
}
