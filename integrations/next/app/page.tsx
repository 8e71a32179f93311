"use client";

// The README's React quick start, verbatim apart from the export: Next wants a default export for a page.
import { createInteractClient } from "firecrawl-interact";
import { InteractProvider, LiveView, useInteractSession } from "firecrawl-interact/react";

const client = createInteractClient({ baseUrl: "/api/firecrawl" }); // your proxy route: the API key stays on the server

function Browser() {
  const s = useInteractSession({ body: { ttl: 600 } }); // one POST per start, DELETE on stop/unmount/tab close
  return (
    <>
      <button type="button" onClick={() => (s.status === "live" ? s.stop() : s.start())}>
        {s.status === "live" ? "Stop" : "Start"}
      </button>
      <LiveView session={s.session} status={s.status} interactive allowFullscreen />
    </>
  );
}

/** The quick-start client page. */
export default function Page() {
  return (
    <InteractProvider client={client}>
      <Browser />
    </InteractProvider>
  );
}
