// The list of session logs (instructor area, lazy chunk): newest first, filters by month, format and topic, search in
// notes, a page at a time so it stays instant with tens of thousands of logs, and a mark on logs not yet synced.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { useLiveQuery } from '../db/live';
import { useT } from '../i18n';
import { vocabularyLabel } from './labels';
import { MonthField } from '../ui/MonthField';
import { pendingLogIds } from '../db/sessions';
import { findLogs, PAGE_SIZE, type LogFilter } from './log-list';
import { visitCount, VOCABULARY } from './session-log';
import { justFinalised } from './log-edits';
import './sessions.css';
import { Field } from '../ui/Field';

export default function SessionListScreen(_props: { params: Record<string, string> }) {
  const { t, language } = useT();
  const [filter, setFilter] = useState<LogFilter>({});
  const [limit, setLimit] = useState(PAGE_SIZE);
  const page = useLiveQuery(() => findLogs(filter, limit), [filter, limit]);
  const ids = page?.logs.map((log) => log.id) ?? [];
  const pending = useLiveQuery(() => pendingLogIds(ids), [ids.join(',')]);
  const dateFormat = useMemo(() => new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }), [language]);
  // A month that could not be read hides the list: the field says why, and no list of all months pretends otherwise.
  const [monthUnread, setMonthUnread] = useState(false);
  const [cleared, setCleared] = useState(0);
  const filtered = Boolean(filter.month || filter.format || filter.topic || filter.search || monthUnread);
  // "Tallennettu" once, right after Valmis: the instructor sees the log was kept.
  const [finalised] = useState(() => justFinalised.get());
  useEffect(() => justFinalised.set(undefined), []);

  function refine(next: Partial<LogFilter>) {
    setFilter((current) => ({ ...current, ...next }));
    setLimit(PAGE_SIZE);
  }

  return (
    <section class="screen sessions" aria-labelledby="logs-title">
      <h1 id="logs-title">{t('sessions.listTitle')}</h1>
      <p class="saved-banner" role="status">
        {finalised ? t('sessions.savedDone') : ''}
      </p>
      <p>
        <a class="button primary" href="/instructor/sessions/new">
          {t('sessions.newLog')}
        </a>
      </p>

      <fieldset class="log-filters">
        <legend class="visually-hidden">{t('sessions.filters.legend')}</legend>
        <MonthField
          key={cleared}
          id="filter-month"
          label={t('sessions.filters.month')}
          month={filter.month}
          optional
          onMonth={(month) => {
            setMonthUnread(month === null);
            refine({ month: month ?? undefined });
          }}
        />
        <Field id="filter-format" label={t('sessions.filters.format')}>
          <select id="filter-format" value={filter.format ?? ''} onChange={(event) => refine({ format: event.currentTarget.value || undefined })}>
            <option value="">{t('sessions.filters.all')}</option>
            {VOCABULARY.format.map((format) => (
              <option key={format} value={format}>
                {vocabularyLabel(t, 'format', format)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="filter-topic" label={t('sessions.filters.topic')}>
          <select id="filter-topic" value={filter.topic ?? ''} onChange={(event) => refine({ topic: event.currentTarget.value || undefined })}>
            <option value="">{t('sessions.filters.all')}</option>
            {VOCABULARY.topics.map((topic) => (
              <option key={topic} value={topic}>
                {vocabularyLabel(t, 'topics', topic)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="filter-search" label={t('sessions.filters.search')}>
          <input
            id="filter-search"
            type="search"
            autoComplete="off"
            value={filter.search ?? ''}
            onInput={(event) => refine({ search: event.currentTarget.value || undefined })}
          />
        </Field>
      </fieldset>
      {filtered && (
        <p>
          <button
            type="button"
            class="button ghost"
            onClick={() => {
              setMonthUnread(false);
              setCleared((count) => count + 1); // a fresh, empty month field
              refine({ month: undefined, format: undefined, topic: undefined, search: undefined });
            }}
          >
            {t('sessions.filters.clear')}
          </button>
        </p>
      )}

      {monthUnread ? null : !page ? (
        <p class="loading">{t('app.loading')}</p>
      ) : page.logs.length === 0 ? (
        <p>{t('sessions.empty')}</p>
      ) : (
        <ul class="log-list" role="list">
          {page.logs.map((log) => (
            <li key={log.id}>
              <a class="log-item" href={`/instructor/sessions/${log.id}`}>
                <span class="log-item-main">
                  {t('sessions.listSummary', {
                    date: dateFormat.format(log.startedAt),
                    format: log.format ? vocabularyLabel(t, 'format', log.format) : t('sessions.noFormat'),
                    count: visitCount(log.participants),
                  })}
                </span>
                <span class={`badge ${log.status}`}>{t(`sessions.status.${log.status}`)}</span>
                {pending?.has(log.id) && <span class="badge pending">{t('sessions.notSynced')}</span>}
                {log.topics.length > 0 && <span class="log-item-topics">{log.topics.map((topic) => vocabularyLabel(t, 'topics', topic)).join(', ')}</span>}
              </a>
            </li>
          ))}
        </ul>
      )}
      {page?.more && !monthUnread && (
        <button type="button" class="button" onClick={() => setLimit((current) => current + PAGE_SIZE)}>
          {t('sessions.showMore')}
        </button>
      )}
    </section>
  );
}
