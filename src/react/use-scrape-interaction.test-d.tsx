import { describe, expectTypeOf, it } from "vitest";
import {
  createInteractClient,
  type InteractError,
  type ScrapeInteractRequest,
  type ScrapeInteractResponse,
} from "../client/index.js";
import {
  InteractProvider,
  LiveView,
  type LiveViewProps,
  type LiveViewSession,
  type ScrapeInteractionStatus,
  type UseScrapeInteractionOptions,
  type UseScrapeInteractionResult,
  useScrapeInteraction,
} from "./index.js";

describe("useScrapeInteraction", () => {
  it("returns the documented shape", () => {
    const interaction = useScrapeInteraction("3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b", { stopOnUnmount: true });
    expectTypeOf(interaction).toEqualTypeOf<UseScrapeInteractionResult>();
    expectTypeOf(interaction.status).toEqualTypeOf<ScrapeInteractionStatus>();
    expectTypeOf<ScrapeInteractionStatus>().toEqualTypeOf<"idle" | "creating" | "live" | "ended" | "error">();
    expectTypeOf(interaction.isRunning).toEqualTypeOf<boolean>();
    expectTypeOf(interaction.response).toEqualTypeOf<ScrapeInteractResponse | null>();
    expectTypeOf(interaction.output).toEqualTypeOf<string | null>();
    expectTypeOf(interaction.result).toEqualTypeOf<string | null>();
    expectTypeOf(interaction.stdout).toEqualTypeOf<string | null>();
    expectTypeOf(interaction.error).toEqualTypeOf<InteractError | null>();
    expectTypeOf(interaction.liveViewUrl).toEqualTypeOf<string | null>();
    expectTypeOf(interaction.interactiveLiveViewUrl).toEqualTypeOf<string | null>();
    expectTypeOf(interaction.session).toEqualTypeOf<LiveViewSession | null>();
    expectTypeOf(interaction.run).parameters.toEqualTypeOf<[body: ScrapeInteractRequest]>();
    expectTypeOf(interaction.run).returns.resolves.toEqualTypeOf<ScrapeInteractResponse | null>();
    expectTypeOf(interaction.stop).returns.resolves.toEqualTypeOf<void>();
  });

  it("takes a scrape id, null or undefined, and the documented options", () => {
    expectTypeOf(useScrapeInteraction).parameter(0).toEqualTypeOf<string | null | undefined>();
    expectTypeOf(useScrapeInteraction).parameter(1).toEqualTypeOf<UseScrapeInteractionOptions | undefined>();
    expectTypeOf<UseScrapeInteractionOptions>().toEqualTypeOf<{
      stopOnUnmount?: boolean;
      stopOnPageHide?: boolean;
      client?: ReturnType<typeof createInteractClient>;
    }>();
    // @ts-expect-error a scrape id is a string
    useScrapeInteraction(42);
  });

  it("feeds <LiveView>: its status and session fit the component's props", () => {
    expectTypeOf<ScrapeInteractionStatus>().toExtend<NonNullable<LiveViewProps["status"]>>();
    expectTypeOf<UseScrapeInteractionResult["session"]>().toExtend<LiveViewProps["session"]>();
  });

  it("takes exactly one of code and prompt", () => {
    const { run } = useScrapeInteraction("id");
    run({ code: "await page.title()", language: "node", timeout: 60, origin: "docs" });
    run({ prompt: "Accept the cookies", timeout: 120 });
    // @ts-expect-error both code and prompt
    run({ code: "1", prompt: "click" });
    // @ts-expect-error neither code nor prompt
    run({ language: "node" });
    // @ts-expect-error language is the spec's enum
    run({ code: "1", language: "ruby" });
    // @ts-expect-error timeout is a number
    run({ prompt: "x", timeout: "60" });
  });
});

// The scrape → interact example given for the README, kept compiling here.
const readmeClient = createInteractClient({ baseUrl: "/api/firecrawl" });
function ScrapeBrowser({ scrapeId }: { scrapeId: string | null }) {
  const s = useScrapeInteraction(scrapeId); // POST /scrape/{id}/interact per run, DELETE on stop/unmount/tab close
  return (
    <>
      <button type="button" disabled={s.isRunning} onClick={() => s.run({ prompt: "Accept the cookie banner" })}>
        Ask the agent
      </button>
      <button type="button" onClick={() => s.run({ code: "await page.title()", language: "node" })}>
        Run code
      </button>
      <button type="button" onClick={() => s.stop()}>
        Stop
      </button>
      <pre>{s.error ? `${s.error.code}: ${s.error.message}` : (s.output ?? s.result ?? s.stdout)}</pre>
      <LiveView session={s.session} status={s.status} interactive allowFullscreen />
    </>
  );
}
const ReadmeApp = () => (
  <InteractProvider client={readmeClient}>
    <ScrapeBrowser scrapeId="3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b" />
  </InteractProvider>
);

describe("README scrape → interact example", () => {
  it("type-checks as a component", () => {
    expectTypeOf(ReadmeApp).toBeFunction();
  });
});
