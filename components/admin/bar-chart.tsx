/**
 * A stacked bar chart as inline SVG, rendered on the server (no chart library, no client JS).
 * Accessible: the SVG is one image with a title and a summary; every bar segment has a <title> (hover);
 * the same numbers are in a data table below it (for screen readers, keyboard users and copy-paste).
 * Colours are the Okabe-Ito palette (distinguishable with colour-vision deficiencies) and each series is
 * also named in the legend and the table, never told by colour alone.
 */
export const PALETTE = ["#D55E00", "#0072B2", "#CC79A7", "#009E73", "#E69F00", "#56B4E9", "#000000", "#F0E442"] as const;

export interface Series {
  key: string;
  label: string;
  color: string;
}

export interface BarDatum {
  /** short axis label */
  label: string;
  /** full label for titles and the table */
  title: string;
  values: Record<string, number>;
}

const W = 720;
const H = 240;
const PAD = { left: 44, right: 8, top: 12, bottom: 40 };

function niceMax(n: number): number {
  if (n <= 4) return Math.max(n, 1);
  const step = 10 ** Math.floor(Math.log10(n));
  return Math.ceil(n / step) * step;
}

export function BarChart({ id, title, series, data, unitLabel }: { id: string; title: string; series: Series[]; data: BarDatum[]; unitLabel: string }) {
  const totals = data.map((d) => series.reduce((sum, s) => sum + (d.values[s.key] ?? 0), 0));
  const perSeries = series.map((s) => data.reduce((sum, d) => sum + (d.values[s.key] ?? 0), 0));
  const grand = totals.reduce((a, b) => a + b, 0);
  const max = niceMax(Math.max(0, ...totals));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const band = data.length ? plotW / data.length : plotW;
  const barW = Math.max(1, Math.min(band * 0.8, 48));
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const labelEvery = Math.max(1, Math.ceil(data.length / 8));
  const peak = totals.indexOf(Math.max(...totals));
  const summary =
    grand === 0
      ? `Nothing recorded in this period (${data.length} bars, all zero).`
      : `${grand} ${unitLabel} in total: ${series.map((s, i) => `${perSeries[i]} ${s.label}`).join(", ")}. Highest: ${totals[peak]} at ${data[peak]?.title}.`;

  return (
    <figure className="admin-chart" data-testid={id} style={{ margin: "1rem 0 2rem" }}>
      <figcaption>
        <strong>{title}</strong>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-labelledby={`${id}-t ${id}-d`} style={{ maxWidth: `${W}px`, display: "block" }}>
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{summary}</desc>
        {[0, max / 2, max].map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} stroke="#d1d5db" />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" fontSize="11" fill="#4b5563">
              {Number.isInteger(v) ? v : v.toFixed(1)}
            </text>
          </g>
        ))}
        {data.map((d, i) => {
          let base = 0;
          const x = PAD.left + i * band + (band - barW) / 2;
          return (
            <g key={d.title}>
              {series.map((s) => {
                const v = d.values[s.key] ?? 0;
                if (v <= 0) return null;
                const top = y(base + v);
                const rect = (
                  <rect key={s.key} x={x} y={top} width={barW} height={y(base) - top} fill={s.color}>
                    <title>{`${d.title}: ${v} ${s.label}`}</title>
                  </rect>
                );
                base += v;
                return rect;
              })}
              {i % labelEvery === 0 && (
                <text x={x + barW / 2} y={H - PAD.bottom + 16} textAnchor="middle" fontSize="11" fill="#4b5563">
                  {d.label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <ul aria-label={`Legend: ${title}`} style={{ display: "flex", flexWrap: "wrap", gap: "1rem", listStyle: "none", padding: 0 }}>
        {series.map((s, i) => (
          <li key={s.key}>
            <span aria-hidden="true" style={{ display: "inline-block", width: 12, height: 12, background: s.color, marginRight: 6 }} />
            {s.label} ({perSeries[i]})
          </li>
        ))}
      </ul>
      <details>
        <summary>Data table: {title}</summary>
        <table data-testid={`${id}-table`}>
          <thead>
            <tr>
              <th scope="col">Bucket</th>
              {series.map((s) => (
                <th scope="col" key={s.key}>
                  {s.label}
                </th>
              ))}
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {data.map((d, i) => (
              <tr key={d.title}>
                <th scope="row">{d.title}</th>
                {series.map((s) => (
                  <td key={s.key}>{d.values[s.key] ?? 0}</td>
                ))}
                <td>{totals[i]}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              {perSeries.map((n, i) => (
                <td key={series[i]?.key} data-testid={`${id}-total-${series[i]?.key}`}>
                  {n}
                </td>
              ))}
              <td data-testid={`${id}-total`}>{grand}</td>
            </tr>
          </tfoot>
        </table>
      </details>
    </figure>
  );
}
