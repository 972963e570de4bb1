/**
 * CSV for the audit export (RFC 4180: comma-separated, CRLF lines, quoted when needed). Pure.
 *
 * IMPORTANT: spreadsheet formula injection. Audit metadata holds paths and labels that a user could
 * influence (e.g. a page path "/=HYPERLINK(...)" or an area label); a cell that starts with = + - @ (or a
 * tab / carriage return, which some spreadsheets skip before evaluating) is prefixed with ' so it is shown
 * as text, never evaluated (OWASP "CSV Injection").
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: unknown): string {
  let text: string;
  if (value === null || value === undefined) text = "";
  else if (typeof value === "string") text = value;
  else if (typeof value === "object") text = JSON.stringify(value);
  else text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

export const AUDIT_CSV_COLUMNS = [
  "id",
  "created_at",
  "event_type",
  "identity_id",
  "session_id",
  "area",
  "page",
  "metadata",
] as const;

export interface CsvAuditRow {
  id: string;
  createdAt: string;
  eventType: string;
  identityId: string | null;
  sessionId: string | null;
  metadata: Record<string, unknown>;
}

export function auditCsvLine(row: CsvAuditRow): string {
  const { area, page } = row.metadata;
  return csvLine([
    row.id,
    row.createdAt,
    row.eventType,
    row.identityId,
    row.sessionId,
    area ?? null,
    page ?? null,
    row.metadata,
  ]);
}
