import type { SessionStatus } from "firecrawl-interact";
import { operations } from "firecrawl-interact/core";
import { useInteractSessions } from "firecrawl-interact/react-query";
import { useState } from "react";

// One filter per status the spec lists (active, destroyed, error), plus "all".
const STATUSES: readonly SessionStatus[] = operations.listBrowserSessions.parameters[0].schema.enum;
const FILTERS: readonly { label: string; status: SessionStatus | undefined }[] = [
  { label: "all", status: undefined },
  ...STATUSES.map((status) => ({ label: status, status })),
];

const PILLS: Readonly<Record<SessionStatus, string>> = { active: "live", destroyed: "ended", error: "error" };

const time = (iso: string | undefined) => (iso ? new Date(iso).toLocaleTimeString() : "—");

/** Every session the API knows, refreshed every two seconds, filterable by status. */
export function SessionList() {
  const [status, setStatus] = useState<SessionStatus | undefined>(undefined);
  const sessions = useInteractSessions({ status, refetchInterval: 2000 });
  const list = sessions.data?.sessions ?? [];
  return (
    <section className="card" aria-label="Sessions">
      <div className="card-head">
        <h2>Sessions</h2>
        <fieldset className="segmented">
          <legend className="sr-only">Filter sessions</legend>
          {FILTERS.map((filter) => (
            <button
              key={filter.label}
              type="button"
              aria-pressed={status === filter.status}
              onClick={() => setStatus(filter.status)}
            >
              {filter.label}
            </button>
          ))}
        </fieldset>
      </div>
      {sessions.error ? <p className="error">{sessions.error.message}</p> : null}
      {list.length === 0 ? <p className="muted">{sessions.isPending ? "Loading…" : "No sessions yet."}</p> : null}
      <ul className="sessions" data-testid="session-list">
        {list.map((entry) => (
          <li key={entry.id} data-session-id={entry.id} data-status={entry.status}>
            <span className="mono">{entry.id?.slice(0, 8)}</span>
            <span className={`pill pill-${entry.status ? PILLS[entry.status] : "ended"}`}>{entry.status}</span>
            <span className="muted">since {time(entry.createdAt)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
