/**
 * Idle-expiry insights: sessions ended over time (by reason, by area), idle minutes at expiry, friction.
 * A server component: the queries run here, the charts are SVG, nothing is sent to the browser but HTML.
 */
import { expirationsOverTime, frictionInsights, idleMinutesDistribution } from "@/lib/admin/queries";
import type { ChartRange, Period } from "@/lib/admin/filters";
import { BarChart, PALETTE } from "./bar-chart";
import { areaData, histogramData, reasonData, REASON_SERIES } from "./chart-data";
import { FrictionPanel } from "./friction-panel";
import { HiddenFields } from "./hidden-fields";

const PERIOD_LABELS: Record<Period, string> = { "24h": "Last 24 hours", "7d": "Last 7 days", "30d": "Last 30 days" };

export async function InsightsSection({
  period,
  range,
  keep,
}: {
  period: Period;
  range: ChartRange;
  keep: Record<string, string[]>;
}) {
  const [over, histogram, friction] = await Promise.all([
    expirationsOverTime(range, range.bucket),
    idleMinutesDistribution(range),
    frictionInsights(range),
  ]);
  const areas = areaData(over.byReason, over.byArea, range.bucket);
  const span = `${range.from.toISOString().slice(0, 16).replace("T", " ")} to ${range.to.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return (
    <section aria-labelledby="insights-title" data-testid="insights">
      <h2 id="insights-title">Idle-expiry insights</h2>
      <form method="get" action="/admin" aria-label="Chart period">
        <HiddenFields values={keep} />
        <label htmlFor="period">Period</label>{" "}
        <select id="period" name="period" defaultValue={period}>
          {(Object.keys(PERIOD_LABELS) as Period[]).map((p) => (
            <option key={p} value={p}>
              {PERIOD_LABELS[p]}
            </option>
          ))}
        </select>{" "}
        <label htmlFor="bucket">Bars per</label>{" "}
        <select id="bucket" name="bucket" defaultValue={range.bucket}>
          <option value="hour">hour</option>
          <option value="day">day</option>
        </select>{" "}
        <button type="submit" className="secondary">
          Show
        </button>
      </form>
      <p className="muted">{span}. Times are UTC.</p>
      <BarChart
        id="chart-reasons"
        title="Sessions ended, by reason"
        series={REASON_SERIES}
        data={reasonData(over.byReason, range.bucket)}
        unitLabel="sessions ended"
      />
      <BarChart
        id="chart-areas"
        title="Expirations (idle and absolute), by area"
        series={areas.series}
        data={areas.data}
        unitLabel="expirations"
      />
      <BarChart
        id="chart-idle-minutes"
        title="Idle minutes at expiry"
        series={[{ key: "count", label: "idle expirations", color: PALETTE[1] }]}
        data={histogramData(histogram)}
        unitLabel="idle expirations"
      />
      <FrictionPanel insights={friction} />
    </section>
  );
}
