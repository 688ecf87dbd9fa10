// Owns the dashboard's and the funder summary's choice of site and month range; the range is checked before asking.
import { useState } from 'preact/hooks';
import { useConsoleT } from './i18n';
import { rangeProblem, MAX_MONTHS } from './months';
import type { Site, User } from './types';

export interface FilterValues {
  from: string;
  to: string;
  site: string; // '' = every site the account may see
}

export function Filters(props: { user: User; sites: Site[]; value: FilterValues; onChange: (value: FilterValues) => void }) {
  const { t } = useConsoleT();
  const [draft, setDraft] = useState(props.value);
  const problem = rangeProblem(draft.from, draft.to);
  const [shownProblem, setShownProblem] = useState(false);
  const submit = (event: Event) => {
    event.preventDefault();
    setShownProblem(true);
    if (!problem) props.onChange(draft);
  };
  return (
    <form class="filters" onSubmit={submit} noValidate aria-label={t('filters.label')}>
      {props.user.role === 'coordinator' ? (
        <div class="field">
          <label for="filter-site">{t('filters.site')}</label>
          <select id="filter-site" value={draft.site} onChange={(event) => setDraft({ ...draft, site: event.currentTarget.value })}>
            <option value="">{t('filters.allSites')}</option>
            {props.sites.map((site) => (
              <option key={site.id} value={site.id}>
                {site.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {(['from', 'to'] as const).map((end) => (
        <div class="field" key={end}>
          <label for={`filter-${end}`}>{t(`filters.${end}`)}</label>
          <input
            id={`filter-${end}`}
            type="month"
            value={draft[end]}
            aria-describedby="filter-month-help"
            aria-invalid={shownProblem && !!problem}
            onInput={(event) => setDraft({ ...draft, [end]: event.currentTarget.value })}
          />
        </div>
      ))}
      <button type="submit" class="button primary">
        {t('filters.show')}
      </button>
      <p id="filter-month-help" class="hint">
        {t('filters.help', { max: MAX_MONTHS })}
      </p>
      {shownProblem && problem ? (
        <p class="field-error" role="alert">
          {t(`filters.problems.${problem}`, { max: MAX_MONTHS })}
        </p>
      ) : null}
    </form>
  );
}
