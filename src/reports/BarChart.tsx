// Owns the report's bar charts: a real table (caption, row headers, the numbers as text) with an SVG bar in each row,
// so screen readers read the numbers and sighted people compare the bars; it reflows at every text size.
export interface Bar {
  key: string;
  label: string;
  value: number;
}

export function BarChart(props: { id: string; title: string; bars: Bar[]; itemHeader: string; countHeader: string }) {
  const max = Math.max(1, ...props.bars.map((bar) => bar.value));
  return (
    <table class="bar-chart" id={props.id}>
      <caption>{props.title}</caption>
      <thead>
        <tr>
          <th scope="col">{props.itemHeader}</th>
          <th scope="col" class="count">
            {props.countHeader}
          </th>
          <td aria-hidden="true" />
        </tr>
      </thead>
      <tbody>
        {props.bars.map((bar) => (
          <tr key={bar.key} data-key={bar.key}>
            <th scope="row">{bar.label}</th>
            <td class="count">{bar.value}</td>
            <td class="bar" aria-hidden="true">
              <svg viewBox="0 0 100 10" preserveAspectRatio="none" focusable="false" aria-hidden="true">
                <rect x="0" y="0" height="10" width={(bar.value / max) * 100} rx="1.5" />
              </svg>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
