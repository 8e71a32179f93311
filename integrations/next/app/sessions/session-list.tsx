"use client";

import { useQuery } from "@tanstack/react-query";
import { listSessionsQueryOptions, useInteractClient } from "firecrawl-interact/react";

/** The active sessions; the first render uses the list the server prefetched (same key), so nothing is fetched. */
export function SessionList() {
  const { data } = useQuery(listSessionsQueryOptions(useInteractClient(), { status: "active" }));
  return (
    <ul aria-label="Active sessions">
      {data?.sessions?.map((session) => (
        <li key={session.id}>{session.id}</li>
      ))}
    </ul>
  );
}
