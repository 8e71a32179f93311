"use client";

import { useInteractSessions } from "firecrawl-interact/react-query";

/**
 * The active sessions; the first render uses the list the server prefetched with listSessionsQueryOptions (same key),
 * so nothing is fetched, and the list refreshes as useInteractSession starts and stops sessions.
 */
export function SessionList() {
  const { data } = useInteractSessions({ status: "active" });
  return (
    <ul aria-label="Active sessions">
      {data?.sessions?.map((session) => (
        <li key={session.id}>{session.id}</li>
      ))}
    </ul>
  );
}
