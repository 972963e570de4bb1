/**
 * The audit log's filters: a plain GET form (the URL is the state: shareable, back button works, no JS).
 * The server parses the query with zod (lib/admin/filters.ts); bad values come back as messages.
 */
import { AUDIT_EVENT_TYPES } from "@/lib/audit/events";
import { HiddenFields } from "./hidden-fields";

export interface FilterValues {
  types: string[];
  user: string;
  from: string;
  to: string;
}

export function AuditFiltersForm({ values, keep }: { values: FilterValues; keep: Record<string, string[]> }) {
  return (
    <form method="get" action="/admin" aria-label="Audit log filters" data-testid="audit-filters">
      <HiddenFields values={keep} />
      <fieldset>
        <legend>Event types (none ticked: all)</legend>
        <div
          style={{ display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(15rem, 1fr))", gap: "0.25rem 1rem" }}
        >
          {AUDIT_EVENT_TYPES.map((t) => (
            <label key={t}>
              <input type="checkbox" name="type" value={t} defaultChecked={values.types.includes(t)} /> <code>{t}</code>
            </label>
          ))}
        </div>
      </fieldset>
      <p style={{ display: "flex", flexWrap: "wrap", gap: "1rem", alignItems: "end" }}>
        <span>
          <label htmlFor="filter-user">User (email or identity id)</label>
          <br />
          <input
            id="filter-user"
            name="user"
            type="text"
            size={36}
            defaultValue={values.user}
            autoComplete="off"
            spellCheck={false}
          />
        </span>
        <span>
          <label htmlFor="filter-from">From (UTC, inclusive)</label>
          <br />
          <input
            id="filter-from"
            name="from"
            type="text"
            placeholder="2031-06-11T09:30"
            size={22}
            defaultValue={values.from}
            aria-describedby="filter-time-help"
          />
        </span>
        <span>
          <label htmlFor="filter-to">To (UTC, exclusive)</label>
          <br />
          <input
            id="filter-to"
            name="to"
            type="text"
            placeholder="2031-06-12"
            size={22}
            defaultValue={values.to}
            aria-describedby="filter-time-help"
          />
        </span>
        <button type="submit">Filter</button>
      </p>
      <p id="filter-time-help" className="muted">
        Dates as 2031-06-11 or 2031-06-11T09:30, in UTC unless they end in Z or an offset such as +02:00.
      </p>
    </form>
  );
}
