import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createInteractClient } from "firecrawl-interact";
import { InteractProvider } from "firecrawl-interact/react";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.js";
import "./styles.css";

// The browser talks only to the dev server's proxy route (the proxy's default path, written out as an app would);
// the key stays on the server.
const client = createInteractClient({ baseUrl: "/api/firecrawl" });
const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1 } } });
const root = document.getElementById("root");
if (!root) throw new Error("playground: #root is missing from index.html");

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <InteractProvider client={client}>
        <App />
      </InteractProvider>
    </QueryClientProvider>
  </StrictMode>,
);
