/**
 * A stacked bar chart as inline SVG, rendered on the server (no chart library, no client JS).
 * Accessible: the SVG is one image with a title and a summary; every bar segment has a <title> (hover);
 * the same numbers are in a data table below it (for screen readers, keyboard users and copy-paste).
 * Colours are the Okabe-Ito palette (distinguishable with colour-vision deficiencies) and each series is
 * also named in the legend and the table, never told by colour alone.
 */
export const PALETTE = [
  "#D55E00",
  "#0072B2",
  "#CC79A7",
  "#009E73",
  "#E69F00",
  "#56B4E9",
  "#000000",
  "#F0E442",
] as const;

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

interface ChartProps {
  id: string;
  title: string;
  series: Series[];
  data: BarDatum[];
  unitLabel: string;
}

/** The numbers every part of the chart shows: per bar, per series, in all, and the axis top. */
function chartTotals(series: Series[], data: BarDatum[]) {
  const totals = data.map((d) => series.reduce((sum, s) => sum + (d.values[s.key] ?? 0), 0));
  const perSeries = series.map((s) => data.reduce((sum, d) => sum + (d.values[s.key] ?? 0), 0));
  const grand = totals.reduce((a, b) => a + b, 0);
  return { totals, perSeries, grand, max: niceMax(Math.max(0, ...totals)) };
}

type Totals = ReturnType<typeof chartTotals>;

/** The SVG's description: what a screen reader hears instead of the bars. */
function chartSummary({ series, data, unitLabel }: ChartProps, { totals, perSeries, grand }: Totals): string {
  if (grand === 0) return `Nothing recorded in this period (${data.length} bars, all zero).`;
  const peak = totals.indexOf(Math.max(...totals));
  const parts = series.map((s, i) => `${perSeries[i]} ${s.label}`).join(", ");
  return `${grand} ${unitLabel} in total: ${parts}. Highest: ${totals[peak]} at ${data[peak]?.title}.`;
}

const PLOT_W = W - PAD.left - PAD.right;
const PLOT_H = H - PAD.top - PAD.bottom;
const yOf = (max: number) => (v: number) => PAD.top + PLOT_H - (v / max) * PLOT_H;

export function BarChart(props: ChartProps) {
  const { id, title } = props;
  const totals = chartTotals(props.series, props.data);
  return (
    <figure className="admin-chart" data-testid={id} style={{ margin: "1rem 0 2rem" }}>
      <figcaption>
        <strong>{title}</strong>
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-labelledby={`${id}-t ${id}-d`}
        style={{ maxWidth: `${W}px`, display: "block" }}
      >
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{chartSummary(props, totals)}</desc>
        <Gridlines max={totals.max} />
        <Bars series={props.series} data={props.data} max={totals.max} />
      </svg>
      <Legend title={title} series={props.series} perSeries={totals.perSeries} />
      <DataTable {...props} totals={totals} />
    </figure>
  );
}

function Gridlines({ max }: { max: number }) {
  const y = yOf(max);
  return [0, max / 2, max].map((v) => (
    <g key={v}>
      <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} stroke="#d1d5db" />
      <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" fontSize="11" fill="#4b5563">
        {Number.isInteger(v) ? v : v.toFixed(1)}
      </text>
    </g>
  ));
}

function Bars({ series, data, max }: { series: Series[]; data: BarDatum[]; max: number }) {
  const band = data.length ? PLOT_W / data.length : PLOT_W;
  const barW = Math.max(1, Math.min(band * 0.8, 48));
  const labelEvery = Math.max(1, Math.ceil(data.length / 8));
  return data.map((d, i) => {
    const x = PAD.left + i * band + (band - barW) / 2;
    return (
      <g key={d.title}>
        <StackedBar datum={d} series={series} x={x} width={barW} y={yOf(max)} />
        {i % labelEvery === 0 && (
          <text x={x + barW / 2} y={H - PAD.bottom + 16} textAnchor="middle" fontSize="11" fill="#4b5563">
            {d.label}
          </text>
        )}
      </g>
    );
  });
}

interface StackedBarProps {
  datum: BarDatum;
  series: Series[];
  x: number;
  width: number;
  y: (v: number) => number;
}

/** One bar: a segment per series with a value, stacked from the bottom in series order. */
function StackedBar({ datum, series, x, width, y }: StackedBarProps) {
  let base = 0;
  return series.map((s) => {
    const v = datum.values[s.key] ?? 0;
    if (v <= 0) return null;
    const top = y(base + v);
    const rect = (
      <rect key={s.key} x={x} y={top} width={width} height={y(base) - top} fill={s.color}>
        <title>{`${datum.title}: ${v} ${s.label}`}</title>
      </rect>
    );
    base += v;
    return rect;
  });
}

const SWATCH = { display: "inline-block", width: 12, height: 12 } as const;
const LEGEND = { display: "flex", flexWrap: "wrap", gap: "1rem", listStyle: "none", padding: 0 } as const;

function Legend({ title, series, perSeries }: { title: string; series: Series[]; perSeries: number[] }) {
  return (
    <ul aria-label={`Legend: ${title}`} style={LEGEND}>
      {series.map((s, i) => (
        <li key={s.key}>
          <span aria-hidden="true" style={{ ...SWATCH, background: s.color, marginRight: 6 }} />
          {s.label} ({perSeries[i]})
        </li>
      ))}
    </ul>
  );
}

/** The same numbers as a table: for screen readers, keyboard users and copy-paste. */
function DataTable({ id, title, series, data, totals }: ChartProps & { totals: Totals }) {
  return (
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
              <td>{totals.totals[i]}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            {totals.perSeries.map((n, i) => (
              <td key={series[i]?.key} data-testid={`${id}-total-${series[i]?.key}`}>
                {n}
              </td>
            ))}
            <td data-testid={`${id}-total`}>{totals.grand}</td>
          </tr>
        </tfoot>
      </table>
    </details>
  );
}
