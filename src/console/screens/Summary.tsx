// Owns the funder summary: the shareable numbers (people counts of 1–4 hidden, as on the tablet's shared report) for
// the organisation and each site over a month range, laid out to print on paper (console.css has the print rules).
import { useState } from 'preact/hooks';
import { cellLabel, groupTitle } from '../../reports/labels';
import { api, queryString } from '../api';
import { BarChart } from '../Chart';
import { groupCells, SHOWN_GROUPS } from '../dashboard-view';
import { Filters, type FilterValues } from '../Filters';
import { useConsoleT } from '../i18n';
import { defaultRange } from '../months';
import type { SharedReport, Site, Summary, User } from '../types';
import { ErrorNotice, formatNumber, Loading, monthName, PageTitle, useLoad } from '../ui';

export function SummaryScreen(props: { user: User }) {
  const { t, tablet } = useConsoleT();
  const [filters, setFilters] = useState<FilterValues>(() => ({ ...defaultRange(Date.now()), site: '' }));
  const sites = useLoad(() => api.get<Site[]>('/sites'), []);
  const query = queryString({ from: filters.from, to: filters.to, site: filters.site });
  const summary = useLoad(() => api.get<Summary>(`/summary${query}`), [query]);
  const data = summary.data;
  const shown = (value: number | null) => (value === null ? t('summary.hidden') : formatNumber(value));
  const totalsList = (report: SharedReport) => (
    <dl class="figures">
      <div>
        <dt>{t('figures.sessions')}</dt>
        <dd>{shown(report.totals.sessions)}</dd>
      </div>
      <div>
        <dt>{t('figures.people')}</dt>
        <dd>{shown(report.totals.visits)}</dd>
      </div>
      <div>
        <dt>{t('figures.feedback')}</dt>
        <dd>{shown(report.totals.feedback)}</dd>
      </div>
    </dl>
  );

  return (
    <section class="summary">
      {/* Printed too: the paper's title and the page's one level-one heading in print. */}
      <PageTitle>{t('summary.title')}</PageTitle>
      <div class="no-print">
        <p>{t('summary.intro')}</p>
        <Filters user={props.user} sites={sites.data ?? []} value={filters} onChange={setFilters} />
        <p class="button-row">
          <button type="button" class="button primary" onClick={() => window.print()} disabled={!data}>
            {t('summary.print')}
          </button>
        </p>
      </div>
      <ErrorNotice error={summary.error ?? sites.error} />
      {summary.loading && !data ? <Loading /> : null}
      {data ? (
        <article class="printable" aria-labelledby="summary-heading">
          <h2 id="summary-heading">{t('summary.heading', { organisation: data.organisation.name })}</h2>
          <p>{t('dashboard.range', { from: monthName(data.from), to: monthName(data.to) })}</p>
          <p>{t('summary.sites', { sites: data.sites.map((site) => site.name).join(', ') })}</p>
          {totalsList(data.total)}
          <div class="charts">
            {SHOWN_GROUPS.map((group) => (
              <BarChart
                key={group}
                id={`summary-${group}`}
                title={groupTitle(tablet, group)}
                itemHeader={t('figures.item')}
                countHeader={t('figures.count')}
                hiddenWord={t('summary.hidden')}
                rows={groupCells(data.total, group).map((cell) => ({ key: cell.key, label: cellLabel(tablet, group, cell.key), value: cell.value }))}
                empty={t('dashboard.nothing')}
              />
            ))}
          </div>
          {data.bySite.length > 1 ? (
            <section aria-labelledby="summary-sites">
              <h3 id="summary-sites">{t('summary.bySite')}</h3>
              {data.bySite.map((entry) => (
                <section key={entry.siteId} class="summary-site" aria-label={data.sites.find((site) => site.id === entry.siteId)?.name ?? entry.siteId}>
                  <h4>{data.sites.find((site) => site.id === entry.siteId)?.name ?? entry.siteId}</h4>
                  {totalsList(entry.report)}
                </section>
              ))}
            </section>
          ) : null}
          <p class="hint">{t('summary.hiddenWhy')}</p>
        </article>
      ) : null}
    </section>
  );
}
