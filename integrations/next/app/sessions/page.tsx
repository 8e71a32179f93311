import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { createInteractClient } from "firecrawl-interact";
import { LiveView } from "firecrawl-interact/react";
import { listSessionsQueryOptions } from "firecrawl-interact/react-query";
import { SessionList } from "./session-list";

// Rendered per request: the list is live data, and `next build` must not call Firecrawl.
export const dynamic = "force-dynamic";

/** Server Component: prefetches the active sessions with the server's key and shows the newest one's view. */
export default async function SessionsPage() {
  // On the server the client calls Firecrawl directly (FIRECRAWL_API_URL may point it at the emulator).
  const firecrawl = createInteractClient({
    apiKey: process.env.FIRECRAWL_API_KEY,
    baseUrl: process.env.FIRECRAWL_API_URL,
  });
  const queryClient = new QueryClient();
  const active = listSessionsQueryOptions(firecrawl, { status: "active" });
  await queryClient.prefetchQuery(active);
  const newest = queryClient.getQueryData(active.queryKey)?.sessions?.[0];
  return (
    <main>
      <LiveView
        session={newest ? { id: newest.id, liveViewUrl: newest.liveViewUrl, status: newest.status } : null}
        title="Newest session"
        aspectRatio="16 / 9"
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <SessionList />
      </HydrationBoundary>
    </main>
  );
}
