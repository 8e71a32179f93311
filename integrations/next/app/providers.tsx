"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createInteractClient } from "firecrawl-interact";
import { InteractProvider } from "firecrawl-interact/react";
import { type ReactNode, useState } from "react";

const client = createInteractClient({ baseUrl: "/api/firecrawl" }); // the proxy route; the key stays on the server

/** One QueryClient per browser tab (per request on the server), and the proxy client for every hook below. */
export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 30_000 } } }));
  return (
    <QueryClientProvider client={queryClient}>
      <InteractProvider client={client}>{children}</InteractProvider>
    </QueryClientProvider>
  );
}
