/** The one table `npm run bench` prints (Markdown, so it pastes into the README as is). */
export type Verdict = "pass" | "FAIL" | "info";

export interface Row {
  item: string;
  metric: string;
  ours: string;
  baseline: string;
  ratio: string;
  target: string;
  verdict: Verdict;
}

/** A row checked against a target: `value <= max` or `value >= min`. */
export function check(value: number, target: { max?: number; min?: number }): Verdict {
  if (!Number.isFinite(value)) return "FAIL";
  if (target.max !== undefined && value > target.max) return "FAIL";
  if (target.min !== undefined && value < target.min) return "FAIL";
  return "pass";
}

export const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "n/a";

export function renderTable(rows: Row[]): string {
  const header = ["#", "metric", "ours", "compared with", "ratio / value", "target", "result"];
  const body = rows.map((r) => [
    r.item,
    r.metric,
    r.ours,
    r.baseline,
    r.ratio,
    r.target,
    r.verdict === "FAIL" ? "**FAIL**" : r.verdict,
  ]);
  return [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...body.map((cells) => `| ${cells.join(" | ")} |`),
  ].join("\n");
}
