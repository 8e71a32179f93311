import type { InteractError } from "firecrawl-interact";
import type { UseInteractSessionResult } from "firecrawl-interact/react";
import { formatCountdown } from "./form.js";

/** Props of {@link SessionStatus}. */
export interface SessionStatusProps {
  session: UseInteractSessionResult;
}

const describeError = (error: InteractError) => `${error.message} (${error.code})`;

/** The lifecycle at a glance: status pill, countdown to expiry, session id, last error. */
export function SessionStatus({ session }: SessionStatusProps) {
  const { status, remainingMs, isEstimate, isExpiringSoon, error } = session;
  return (
    <section className="card" aria-label="Session status">
      <h2>Status</h2>
      <div className="status-line">
        <span className={`pill pill-${status}`} data-testid="session-status">
          {status}
        </span>
        {remainingMs !== null ? (
          <span className={isExpiringSoon ? "countdown soon" : "countdown"} data-testid="countdown">
            {isEstimate ? "≈ " : ""}
            {formatCountdown(remainingMs)} left
          </span>
        ) : null}
      </div>
      {session.session?.id ? (
        <p className="muted mono" data-testid="session-id">
          {session.session.id}
        </p>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {describeError(error)}
        </p>
      ) : null}
    </section>
  );
}
