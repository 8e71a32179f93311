// scrape-browser.tsx: the component under test
import { LiveView, useInteractClient, useScrapeInteraction } from "firecrawl-interact/react";
import { useState } from "react";

export function ScrapeBrowser({ url }: { url: string }) {
  const client = useInteractClient();
  const [scrapeId, setScrapeId] = useState<string | null>(null);
  const s = useScrapeInteraction(scrapeId);
  const scrape = async () => setScrapeId((await client.scrape({ url })).data.metadata.scrapeId);
  return (
    <>
      <button type="button" onClick={scrape}>
        Scrape
      </button>
      <button type="button" disabled={!scrapeId} onClick={() => s.run({ prompt: "Accept the cookie banner" })}>
        Ask the agent
      </button>
      <button type="button" onClick={() => s.stop()}>
        Stop
      </button>
      <pre>{s.error ? `${s.error.code}: ${s.error.message}` : (s.output ?? s.result ?? s.stdout)}</pre>
      <LiveView session={s.session} status={s.status} interactive />
    </>
  );
}
