// Owns the dashboard: sessions, people helped (new and returning), topics, outcomes, barriers and feedback per site and
// month and in total, as charts with the numbers as text in tables; a site filter, a month range and the CSV download.
import { useState } from 'preact/hooks';
import { cellLabel, groupTitle } from '../../reports/labels';
import { api, downloadAddress, queryString } from '../api';
import { BarChart } from '../Chart';
import { figures, groupCells, monthRows, SHOWN_GROUPS, siteRows } from '../dashboard-view';
import { Filters, type FilterValues } from '../Filters';
import { useConsoleT } from '../i18n';
import { defaultRange } from '../months';
import type { Dashboard, Site, User } from '../types';
import { ErrorNotice, formatNumber, Loading, monthName, PageTitle, useLoad } from '../ui';

export function DashboardScreen(props: { user: User }) {
  const { t, tablet } = useConsoleT();
  const [filters, setFilters] = useState<FilterValues>(() => ({ ...defaultRange(Date.now()), site: '' }));
  const sites = useLoad(() => api.get<Site[]>('/sites'), []);
  const query = queryString({ from: filters.from, to: filters.to, site: filters.site });
  const dashboard = useLoad(() => api.get<Dashboard>(`/dashboard${query}`), [query]);
  const data = dashboard.data;

  return (
    <section>
      <PageTitle>{t('dashboard.title')}</PageTitle>
      <p>{t('dashboard.intro')}</p>
      <Filters user={props.user} sites={sites.data ?? []} value={filters} onChange={setFilters} />
      <p class="button-row">
        <a class="button" href={downloadAddress(`/dashboard.csv${query}`)} download>
          {t('dashboard.downloadCsv')}
        </a>
      </p>
      <ErrorNotice error={dashboard.error ?? sites.error} />
      {dashboard.loading && !data ? <Loading /> : null}
      {data ? <DashboardBody data={data} t={t} tablet={tablet} /> : null}
    </section>
  );
}

function DashboardBody(props: { data: Dashboard; t: ReturnType<typeof useConsoleT>['t']; tablet: ReturnType<typeof useConsoleT>['tablet'] }) {
  const { data, t, tablet } = props;
  const total = figures(data.total.total);
  const months = monthRows(data);
  const sites = siteRows(data);
  const range = t('dashboard.range', { from: monthName(data.from), to: monthName(data.to) });
  return (
    <>
      <section aria-labelledby="totals-title" class="panel">
        <h2 id="totals-title">{t('dashboard.totalsTitle', { range })}</h2>
        <dl class="figures">
          <div>
            <dt>{t('figures.sessions')}</dt>
            <dd data-figure="sessions">{formatNumber(total.sessions)}</dd>
          </div>
          <div>
            <dt>{t('figures.people')}</dt>
            <dd data-figure="people">{formatNumber(total.people)}</dd>
          </div>
          <div>
            <dt>{t('figures.newPeople')}</dt>
            <dd data-figure="new">{formatNumber(total.newPeople)}</dd>
          </div>
          <div>
            <dt>{t('figures.returning')}</dt>
            <dd data-figure="returning">{formatNumber(total.returning)}</dd>
          </div>
          <div>
            <dt>{t('figures.feedback')}</dt>
            <dd data-figure="feedback">{formatNumber(total.feedback)}</dd>
          </div>
        </dl>
        {data.total.total.drafts > 0 ? <p class="hint">{t('dashboard.drafts', { count: data.total.total.drafts })}</p> : null}
      </section>

      <section>
        <h2 id="sites-title">{t('dashboard.bySiteTitle')}</h2>
        <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="sites-title">
          <table class="numbers" id="by-site">
            <caption class="visually-hidden">{t('dashboard.bySiteTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('figures.site')}</th>
                <th scope="col" class="count">
                  {t('figures.sessions')}
                </th>
                <th scope="col" class="count">
                  {t('figures.people')}
                </th>
                <th scope="col" class="count">
                  {t('figures.newPeople')}
                </th>
                <th scope="col" class="count">
                  {t('figures.returning')}
                </th>
                <th scope="col" class="count">
                  {t('figures.feedback')}
                </th>
              </tr>
            </thead>
            <tbody>
              {sites.map((row) => (
                <tr key={row.siteId} data-site={row.siteId}>
                  <th scope="row">{row.name}</th>
                  <td class="count" data-figure="sessions">
                    {formatNumber(row.sessions)}
                  </td>
                  <td class="count" data-figure="people">
                    {formatNumber(row.people)}
                  </td>
                  <td class="count">{formatNumber(row.newPeople)}</td>
                  <td class="count">{formatNumber(row.returning)}</td>
                  <td class="count">{formatNumber(row.feedback)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('figures.total')}</th>
                <td class="count">{formatNumber(total.sessions)}</td>
                <td class="count">{formatNumber(total.people)}</td>
                <td class="count">{formatNumber(total.newPeople)}</td>
                <td class="count">{formatNumber(total.returning)}</td>
                <td class="count">{formatNumber(total.feedback)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      </section>

      <section aria-labelledby="months-title">
        <h2 id="months-title">{t('dashboard.byMonthTitle')}</h2>
        <p class="hint">{t('dashboard.byMonthHelp')}</p>
        <BarChart
          id="by-month"
          title={t('dashboard.sessionsByMonth')}
          itemHeader={t('figures.month')}
          extraHeaders={data.sites.length > 1 ? data.sites.map((site) => site.name) : []}
          countHeader={data.sites.length > 1 ? t('figures.totalSessions') : t('figures.sessions')}
          rows={months.map((row) => ({
            key: row.month,
            label: monthName(row.month),
            value: row.total.sessions,
            extra: data.sites.length > 1 ? row.sessionsBySite : [],
          }))}
          empty={t('dashboard.nothing')}
        />
        <BarChart
          id="people-by-month"
          title={t('dashboard.peopleByMonth')}
          itemHeader={t('figures.month')}
          extraHeaders={[t('figures.newPeople'), t('figures.returning')]}
          countHeader={t('figures.people')}
          rows={months.map((row) => ({
            key: row.month,
            label: monthName(row.month),
            value: row.total.people,
            extra: [row.total.newPeople, row.total.returning],
          }))}
          empty={t('dashboard.nothing')}
        />
      </section>

      <section aria-labelledby="groups-title">
        <h2 id="groups-title">{t('dashboard.groupsTitle', { range })}</h2>
        <div class="charts">
          {SHOWN_GROUPS.map((group) => (
            <BarChart
              key={group}
              id={`group-${group}`}
              title={groupTitle(tablet, group)}
              itemHeader={t('figures.item')}
              countHeader={t('figures.count')}
              rows={groupCells(data.total.total, group).map((cell) => ({ key: cell.key, label: cellLabel(tablet, group, cell.key), value: cell.value }))}
              empty={t('dashboard.nothing')}
            />
          ))}
        </div>
      </section>
    </>
  );
}
