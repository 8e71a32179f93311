// @vitest-environment node
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { renderToString } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createInteractClient } from "../client/index.js";
import { LiveView } from "./live-view.js";
import { InteractProvider } from "./provider.js";
import { useInteractSession } from "./use-interact-session.js";
import { useScrapeInteraction } from "./use-scrape-interaction.js";

const fetchSpy = vi.fn<typeof fetch>();
const client = createInteractClient({ baseUrl: "http://127.0.0.1:9/v2", fetch: fetchSpy });

function Browser() {
  const session = useInteractSession({ autoStart: true, body: { ttl: 60 } });
  return <LiveView session={session.session} status={session.status} interactive />;
}

function ScrapeBrowser() {
  const interaction = useScrapeInteraction("3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b");
  return <LiveView session={interaction.session} status={interaction.status} interactive />;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("server rendering", () => {
  it("renders the quick start with no warning, no request and the idle state", () => {
    const error = vi.spyOn(console, "error");
    const warn = vi.spyOn(console, "warn");
    const html = renderToString(
      <QueryClientProvider client={new QueryClient()}>
        <InteractProvider client={client}>
          <Browser />
        </InteractProvider>
      </QueryClientProvider>,
    );
    expect(error).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(html).toContain('data-state="idle"');
  });

  it("renders useScrapeInteraction with no warning, no request and the idle state", () => {
    const error = vi.spyOn(console, "error");
    const warn = vi.spyOn(console, "warn");
    const html = renderToString(
      <InteractProvider client={client}>
        <ScrapeBrowser />
      </InteractProvider>,
    );
    expect(error).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(html).toContain('data-state="idle"');
  });
});
