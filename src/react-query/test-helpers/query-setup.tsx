import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { InteractProvider } from "../../react/provider.js";
import { fakeInteractApi } from "../../react/test-helpers/fake-interact-api.js";

const created = new Set<QueryClient>();

/** A fake interact API, a QueryClient that never retries, and a wrapper giving both to the hooks under test. */
export function querySetup() {
  const api = fakeInteractApi();
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  created.add(queryClient);
  const wrapper = ({ children }: { children?: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <InteractProvider client={api.client}>{children}</InteractProvider>
    </QueryClientProvider>
  );
  return { api, queryClient, wrapper };
}

/** Clears every QueryClient {@link querySetup} made (for `afterEach`), so no query outlives its test. */
export function clearQueryClients(): void {
  for (const queryClient of created) queryClient.clear();
  created.clear();
}
