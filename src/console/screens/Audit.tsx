// Owns the audit log: every console and command-line action (who, what, when), newest first, a page at a time, and
// its CSV export.
import { useEffect, useState } from 'preact/hooks';
import { api, downloadAddress, queryString } from '../api';
import { useConsoleT, type ConsoleKey } from '../i18n';
import type { AuditEntry, AuditPage } from '../types';
import { dateTime, ErrorNotice, Loading, PageTitle } from '../ui';

const KNOWN_ACTIONS = [
  'login',
  'login_failed',
  'logout',
  'logout_everywhere',
  'setup',
  'password_changed',
  'passkey_added',
  'user_created',
  'site_created',
  'site_renamed',
  'enrolment_code_created',
  'tablet_revoked',
  'guide_hidden',
  'settings_changed',
  'audit_exported',
  'dashboard_exported',
] as const;

/** The words for an action code; a command-line action names its command; an unknown code shows as it is. */
export function actionLabel(t: (key: ConsoleKey, values?: Record<string, string>) => string, action: string): string {
  if ((KNOWN_ACTIONS as readonly string[]).includes(action)) return t(`audit.actions.${action as (typeof KNOWN_ACTIONS)[number]}`);
  if (action.startsWith('cli:')) return t('audit.cli', { command: action.slice(4) });
  return action;
}

const PAGE = 50;

export function AuditScreen() {
  const { t } = useConsoleT();
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();

  const load = async (before?: string) => {
    setLoading(true);
    setError(undefined);
    try {
      const page = await api.get<AuditPage>(`/audit${queryString({ limit: String(PAGE), before })}`);
      setEntries((previous) => (before ? [...previous, ...page.entries] : page.entries));
      setNext(page.next);
    } catch (caught) {
      setError(caught);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => void load(), []);

  return (
    <section>
      <PageTitle>{t('audit.title')}</PageTitle>
      <p>{t('audit.intro')}</p>
      <p class="button-row">
        <a class="button" href={downloadAddress('/audit.csv')} download>
          {t('audit.download')}
        </a>
      </p>
      <ErrorNotice error={error} />
      {entries.length > 0 ? (
        <div class="table-scroll" tabIndex={0} role="region" aria-label={t('audit.listLabel')}>
          <table class="numbers" id="audit">
            <caption class="visually-hidden">{t('audit.listLabel')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('audit.when')}</th>
                <th scope="col">{t('audit.who')}</th>
                <th scope="col">{t('audit.what')}</th>
                <th scope="col">{t('audit.target')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} data-action={entry.action}>
                  <td>{dateTime(entry.at)}</td>
                  <td>{entry.actor === 'cli' ? t('audit.commandLine') : entry.actor}</td>
                  <th scope="row">{actionLabel(t, entry.action)}</th>
                  <td>{entry.target ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : !loading && !error ? (
        <p>{t('audit.none')}</p>
      ) : null}
      {loading ? <Loading /> : null}
      {next && !loading ? (
        <button type="button" class="button" onClick={() => void load(next)}>
          {t('audit.more')}
        </button>
      ) : null}
    </section>
  );
}
