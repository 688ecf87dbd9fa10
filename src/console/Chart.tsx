// Owns the console's bar charts: a real table (caption, row headers, the numbers as text) with an SVG bar in each row,
// as on the tablet's report, so screen readers read the numbers and sighted people compare the bars. A hidden count
// (small-cell rule) shows as a word and has no bar. A chart is named by its title: the table's caption, or the heading
// of the section an empty chart is.
import { formatNumber } from './ui';

export interface BarRow {
  key: string;
  label: string;
  value: number | null;
  /** More numbers shown as text after the count (e.g. each site's sessions in a month). */
  extra?: (number | string)[];
}

export function BarChart(props: {
  id: string;
  title: string;
  rows: BarRow[];
  itemHeader: string;
  countHeader: string;
  extraHeaders?: string[];
  hiddenWord?: string;
  empty: string;
}) {
  if (props.rows.length === 0) {
    return (
      <section class="chart" id={props.id} aria-labelledby={`${props.id}-title`}>
        <h3 id={`${props.id}-title`}>{props.title}</h3>
        <p>{props.empty}</p>
      </section>
    );
  }
  const max = Math.max(1, ...props.rows.map((row) => row.value ?? 0));
  return (
    <div class="chart">
      <table class="bar-chart" id={props.id}>
        <caption>{props.title}</caption>
        <thead>
          <tr>
            <th scope="col">{props.itemHeader}</th>
            {(props.extraHeaders ?? []).map((header) => (
              <th scope="col" class="count" key={header}>
                {header}
              </th>
            ))}
            <th scope="col" class="count">
              {props.countHeader}
            </th>
            <td aria-hidden="true" class="bar" />
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={row.key} data-key={row.key}>
              <th scope="row">{row.label}</th>
              {(row.extra ?? []).map((value, index) => (
                <td class="count" key={index}>
                  {typeof value === 'number' ? formatNumber(value) : value}
                </td>
              ))}
              <td class="count">{row.value === null ? props.hiddenWord : formatNumber(row.value)}</td>
              <td class="bar" aria-hidden="true">
                <svg viewBox="0 0 100 10" preserveAspectRatio="none" focusable="false" aria-hidden="true">
                  <rect x="0" y="0" height="10" width={((row.value ?? 0) / max) * 100} rx="1.5" />
                </svg>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
