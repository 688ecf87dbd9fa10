// Owns the organisation's settings: how long logs and feedback are kept (retention); a coordinator changes it, a site
// admin reads it.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { useConsoleT } from '../i18n';
import type { Settings, User } from '../types';
import { ErrorNotice, Loading, Notice, PageTitle, useLoad } from '../ui';

/** The months a coordinator can choose; "default" is the server's own (null in PUT /settings). */
export const RETENTION_CHOICES: readonly (number | 'default')[] = ['default', 6, 12, 24, 36, 60, 120];

/** The select's value of the organisation's setting: the server's default, or its own months. */
export function retentionValue(settings: Pick<Settings, 'retentionMonths' | 'isDefault'>): string {
  return settings.isDefault ? 'default' : String(settings.retentionMonths);
}

/** What PUT /settings gets for a select value: null for the server's default, else the months. */
export function retentionFrom(value: string): number | null {
  return value === 'default' ? null : Number(value);
}

export function SettingsScreen(props: { user: User }) {
  const { t } = useConsoleT();
  const settings = useLoad(() => api.get<Settings>('/settings'), []);
  const [value, setValue] = useState('default');
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>();
  const coordinator = props.user.role === 'coordinator';
  useEffect(() => {
    if (settings.data) setValue(retentionValue(settings.data));
  }, [settings.data]);
  const label = (choice: number | 'default') =>
    choice === 'default' ? t('settings.serverDefault', { count: settings.data?.defaultMonths ?? 0 }) : t('settings.months', { count: choice });
  // Months the server has that are not one of the choices (set from the command line) are still shown as they are.
  const own = settings.data && !settings.data.isDefault && !RETENTION_CHOICES.includes(settings.data.retentionMonths) ? [settings.data.retentionMonths] : [];
  const choices = [...RETENTION_CHOICES, ...own];

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
          <select
            id="retention"
            aria-describedby="retention-help"
            value={value}
            disabled={!coordinator}
            onChange={(event) => setValue(event.currentTarget.value)}
          >
            {choices.map((choice) => (
              <option key={String(choice)} value={String(choice)}>
                {label(choice)}
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
