// The report screen (instructor area, lazy chunk): a period and a site, the totals and every group as a bar chart with
// its numbers, and two CSV downloads (the logs, and the shareable aggregate with counts under 5 hidden).
import i18next from 'i18next';
import { useMemo, useState } from 'preact/hooks';
import { useLiveQuery } from '../db/live';
import { useT } from '../i18n';
import { MonthField } from '../ui/MonthField';
import { ChipChoice } from '../ui/chips';
import { aggregate, suppressSmallCells, type TotalName } from './aggregate';
import { BarChart } from './BarChart';
import { csvLanguage, downloadCsv, logRows, reportRows, toCsv } from './csv';
import { cellLabel, groupTitle } from './labels';
import { currentMonth, periodRange, periodSlug, PERIOD_KINDS, type Period, type PeriodKind } from './period';
import { guideTitles, namedSitesOnTablet } from '../db/reports';
import { loadPeriod } from './period-data';
import '../sessions/sessions.css';
import './reports.css';
import { useFailed } from '../ui/use-failed';
import { Field } from '../ui/Field';

const ALL_SITES = '*';

function startOf(kind: PeriodKind, now: Date): Period {
  const year = now.getFullYear();
  switch (kind) {
    case 'month':
      return currentMonth(now.getTime());
    case 'quarter':
      return { kind, year, quarter: (Math.floor(now.getMonth() / 3) + 1) as 1 | 2 | 3 | 4 };
    case 'year':
      return { kind, year };
    case 'custom': {
      const month = `${year}-${String(now.getMonth() + 1).padStart(2, '0')}`;
      return { kind, from: `${month}-01`, to: `${month}-${String(now.getDate()).padStart(2, '0')}` };
    }
  }
}

export default function ReportScreen(_props: { params: Record<string, string> }) {
  const { t, language } = useT();
  const [period, setPeriod] = useState<Period>(() => currentMonth(Date.now()));
  const [site, setSite] = useState(ALL_SITES);
  const [monthUnread, setMonthUnread] = useState(false);
  const failed = useFailed();
  const [from, to] = periodRange(period);
  const sites = useLiveQuery(() => namedSitesOnTablet(), []);
  const data = useLiveQuery(() => loadPeriod(from, to, site === ALL_SITES ? undefined : site), [from, to, site]);
  const report = useMemo(() => (data ? aggregate(data.logs, data.feedback) : undefined), [data]);
  const invalid = to <= from;

  function exportFile(kind: 'logs' | 'report') {
    if (!data || !report) return;
    const fixed = i18next.getFixedT(csvLanguage(language));
    const name = `${fixed(kind === 'logs' ? 'reports.csv.fileLogs' : 'reports.csv.fileReport')}-${periodSlug(period)}.csv`;
    if (kind === 'report') return downloadCsv(name, toCsv(reportRows(suppressSmallCells(report), fixed)));
    guideTitles(csvLanguage(language)).then((title) => {
      const logs = data.logs.filter((log) => log.status === 'final').sort((a, b) => a.startedAt - b.startedAt);
      downloadCsv(name, toCsv(logRows(logs, fixed, title)));
    }, failed);
  }

  const kindLabel = (kind: PeriodKind) => t(`reports.period.${kind}`);
  const totals: TotalName[] = ['sessions', 'visits', 'feedback'];

  return (
    <section class="screen reports" aria-labelledby="reports-title">
      <h1 id="reports-title">{t('reports.title')}</h1>
      <p>{t('reports.intro')}</p>

      <ChipChoice
        name="period"
        legend={t('reports.period.legend')}
        options={PERIOD_KINDS.map((kind) => ({ value: kind, label: kindLabel(kind) }))}
        value={period.kind}
        onChoose={(kind) => {
          setMonthUnread(false);
          setPeriod(startOf(kind as PeriodKind, new Date()));
        }}
      />
      <div class="report-controls">
        {period.kind === 'month' && (
          <MonthField
            id="report-month"
            label={t('reports.period.monthInput')}
            month={period.month}
            onMonth={(month) => {
              setMonthUnread(!month);
              if (month) setPeriod({ kind: 'month', month });
            }}
          />
        )}
        {(period.kind === 'quarter' || period.kind === 'year') && (
          <Field id="report-year" label={t('reports.period.yearInput')}>
            <input
              id="report-year"
              type="number"
              inputMode="numeric"
              min={2000}
              max={2100}
              value={period.year}
              onChange={(event) => {
                const year = Number(event.currentTarget.value);
                if (year >= 2000 && year <= 2100) setPeriod({ ...period, year });
              }}
            />
          </Field>
        )}
        {period.kind === 'quarter' && (
          <Field id="report-quarter" label={t('reports.period.quarterInput')}>
            <select
              id="report-quarter"
              value={period.quarter}
              onChange={(event) => setPeriod({ ...period, quarter: Number(event.currentTarget.value) as 1 | 2 | 3 | 4 })}
            >
              {[1, 2, 3, 4].map((quarter) => (
                <option key={quarter} value={quarter}>
                  {t('reports.period.quarterName', { quarter })}
                </option>
              ))}
            </select>
          </Field>
        )}
        {period.kind === 'custom' && (
          <>
            <Field id="report-from" label={t('reports.period.from')}>
              <input id="report-from" type="date" value={period.from} onChange={(event) => setPeriod({ ...period, from: event.currentTarget.value })} />
            </Field>
            <Field id="report-to" label={t('reports.period.to')}>
              <input id="report-to" type="date" value={period.to} onChange={(event) => setPeriod({ ...period, to: event.currentTarget.value })} />
            </Field>
          </>
        )}
        <Field id="report-site" label={t('reports.site')} class="report-site">
          <select id="report-site" value={site} onChange={(event) => setSite(event.currentTarget.value)}>
            <option value={ALL_SITES}>{t('reports.allSites')}</option>
            {(sites ?? []).map(({ id, name }) => (
              <option key={id} value={id}>
                {id === '' ? t('reports.thisTablet') : (name ?? t('reports.otherSite', { id: id.slice(0, 8) }))}
              </option>
            ))}
          </select>
        </Field>
      </div>

      {monthUnread ? null /* the month field says what it could not read; no report of some other month */ : invalid ? (
        <p role="alert">{t('reports.invalidPeriod')}</p>
      ) : !report ? (
        <p class="loading">{t('app.loading')}</p>
      ) : (
        <>
          <ul class="report-totals" role="list" aria-label={t('reports.csv.totals')}>
            {totals.map((name) => (
              <li key={name} data-total={name}>
                <span class="number">{report.totals[name]}</span>
                <span>{t(`reports.totals.${name}`)}</span>
              </li>
            ))}
          </ul>
          {report.drafts > 0 && <p>{t('reports.drafts', { count: report.drafts })}</p>}
          {report.totals.sessions === 0 && report.totals.feedback === 0 && <p>{t('reports.nothing')}</p>}
          <div class="report-charts">
            {report.groups.map((group) => (
              <BarChart
                key={group.id}
                id={`chart-${group.id}`}
                title={groupTitle(t, group.id)}
                itemHeader={t('reports.chartItem')}
                countHeader={t('reports.chartCount')}
                bars={(group.id === 'wishedTopics' ? group.cells.slice(0, 10) : group.cells).map((cell) => ({
                  key: cell.key,
                  label: cellLabel(t, group.id, cell.key),
                  value: cell.value,
                }))}
              />
            ))}
          </div>
          <div class="report-downloads">
            <p id="report-share-help">{t('reports.download.reportHelp')}</p>
            <div class="button-row">
              <button type="button" class="button" onClick={() => exportFile('logs')}>
                {t('reports.download.logs')}
              </button>
              <button type="button" class="button primary" aria-describedby="report-share-help" onClick={() => exportFile('report')}>
                {t('reports.download.report')}
              </button>
            </div>
          </div>
        </>
      )}
    </section>
  );
}
