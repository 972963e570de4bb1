/**
 * Query results -> chart rows (pure; the counting happened in SQL).
 */
import type { AreaBucket, EndReason, IdleMinutesBin, ReasonBucket } from "@/lib/admin/queries";
import type { Bucket } from "@/lib/admin/filters";
import { PALETTE, type BarDatum, type Series } from "./bar-chart";

export const REASON_SERIES: Series[] = [
  { key: "idle", label: "idle", color: PALETTE[0] },
  { key: "absolute", label: "absolute (4 h)", color: PALETTE[1] },
  { key: "admin", label: "ended by an admin", color: PALETTE[2] },
  { key: "manual", label: "signed out", color: PALETTE[3] },
] satisfies (Series & { key: EndReason })[];

/** "2031-06-11T13:00:00Z" -> axis "13:00" / title "2031-06-11 13:00 UTC" (hours), "06-11" / "2031-06-11" (days). */
export function bucketLabels(iso: string, bucket: Bucket): { label: string; title: string } {
  const day = iso.slice(0, 10);
  if (bucket === "hour") return { label: iso.slice(11, 16), title: `${day} ${iso.slice(11, 16)} UTC` };
  return { label: day.slice(5), title: day };
}

export function reasonData(rows: ReasonBucket[], bucket: Bucket): BarDatum[] {
  return rows.map((r) => ({
    ...bucketLabels(r.bucket, bucket),
    values: { idle: r.idle, absolute: r.absolute, admin: r.admin, manual: r.manual },
  }));
}

/** One series per area (largest first), on the same buckets as the reason chart. */
export function areaData(
  buckets: ReasonBucket[],
  rows: AreaBucket[],
  bucket: Bucket,
): { series: Series[]; data: BarDatum[] } {
  const areas = [...new Set(rows.map((r) => r.area))];
  const series = areas.map((area, i) => ({ key: `a${i}`, label: area, color: PALETTE[i % PALETTE.length] ?? "#000" }));
  const keyOf = new Map(areas.map((a, i) => [a, `a${i}`]));
  const byBucket = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const values = byBucket.get(r.bucket) ?? {};
    values[keyOf.get(r.area) ?? ""] = r.count;
    byBucket.set(r.bucket, values);
  }
  return {
    series,
    data: buckets.map((b) => ({ ...bucketLabels(b.bucket, bucket), values: byBucket.get(b.bucket) ?? {} })),
  };
}

export function histogramData(bins: IdleMinutesBin[]): BarDatum[] {
  return bins.map((b) => ({
    label: String(b.fromMinutes),
    title: b.toMinutes === null ? `${b.fromMinutes} min or more` : `${b.fromMinutes} to under ${b.toMinutes} min`,
    values: { count: b.count },
  }));
}
