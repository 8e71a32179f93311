import { QueryClient, QueryClientProvider, useMutation } from "@tanstack/react-query";
import { act, cleanup, configure, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { InteractApiError, InteractValidationError } from "../client/index.js";
import { fakeScrapeApi, SCRAPE_ID, UNKNOWN_SCRAPE_ID } from "../react/test-helpers/fake-scrape-api.js";
import { createFakeFirecrawl } from "../testing/index.js";
import { interactKeys } from "./keys.js";
import { scrapeInteractMutationOptions, scrapeMutationOptions, stopInteractionMutationOptions } from "./options.js";

// Generous waits: the machine is shared, and a slow run must not look like a broken hook.
configure({ asyncUtilTimeout: 4000 });

afterEach(cleanup);

const PATH = `/scrape/${SCRAPE_ID}/interact`;

describe("scrape mutation options", () => {
  let queryClient: QueryClient;
  afterEach(() => queryClient?.clear());
  function setup() {
    const api = fakeScrapeApi();
    queryClient = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
    const wrapper = ({ children }: { children?: ReactNode }) => (
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    );
    return { api, wrapper };
  }

  it("scrapeMutationOptions posts the body to /scrape and answers the page, checked before sending", async () => {
    const fake = createFakeFirecrawl({
      pages: { "https://example.com/": { markdown: "# Example", title: "Example" } },
    });
    const wrapper = ({ children }: { children?: ReactNode }) => (
      <QueryClientProvider client={new QueryClient({ defaultOptions: { mutations: { retry: false } } })}>
        {children}
      </QueryClientProvider>
    );
    const options = scrapeMutationOptions(fake.client);
    expect(options.mutationKey).toEqual([...interactKeys.all, "scrape"]);
    const { result } = renderHook(() => useMutation(options), { wrapper });
    let markdown: string | undefined;
    await act(async () => {
      markdown = (await result.current.mutateAsync({ url: "https://example.com/" })).data.markdown;
    });
    expect(markdown).toBe("# Example");
    await act(async () => {
      await result.current.mutateAsync({ url: "not a url" }).catch(() => undefined);
    });
    await waitFor(() => expect(result.current.error).toBeInstanceOf(InteractValidationError));
    expect(result.current.error).toMatchObject({ field: "url" });
    expect(fake.requests.map((request) => [request.method, request.path, request.body])).toEqual([
      ["POST", "/scrape", { url: "https://example.com/" }],
    ]);
  });

  it("interactKeys.scrape builds the scrape prefix", () => {
    expect(interactKeys.scrape(SCRAPE_ID)).toEqual(["firecrawl-interact", "scrape", SCRAPE_ID]);
  });

  it("scrapeInteractMutationOptions posts the body to the scrape's interact route", async () => {
    const { api, wrapper } = setup();
    const options = scrapeInteractMutationOptions(api.client, SCRAPE_ID);
    expect(options.mutationKey).toEqual([...interactKeys.scrape(SCRAPE_ID), "interact"]);
    const { result } = renderHook(() => useMutation(options), { wrapper });
    let output: string | null | undefined;
    await act(async () => {
      output = (await result.current.mutateAsync({ prompt: "Find the price", timeout: 120 })).output;
    });
    expect(output).toBe("done: Find the price");
    expect(api.calls).toEqual([
      { method: "POST", path: PATH, body: { prompt: "Find the price", timeout: 120 }, keepalive: false },
    ]);
  });

  it("scrapeInteractMutationOptions surfaces typed errors, and validation errors send nothing", async () => {
    const { api, wrapper } = setup();
    const { result } = renderHook(() => useMutation(scrapeInteractMutationOptions(api.client, UNKNOWN_SCRAPE_ID)), {
      wrapper,
    });
    await act(async () => {
      await result.current.mutateAsync({ code: "1" }).catch(() => undefined);
    });
    await waitFor(() => expect(result.current.error).toBeInstanceOf(InteractApiError));
    expect(result.current.error).toMatchObject({ status: 404 });
    await act(async () => {
      await result.current.mutateAsync({ code: "1", timeout: 0 }).catch(() => undefined);
    });
    // The mutation's state may land a tick after mutateAsync settles.
    await waitFor(() => expect(result.current.error).toBeInstanceOf(InteractValidationError));
    expect(result.current.error).toMatchObject({ field: "timeout", rule: "minimum" });
    expect(api.calls).toHaveLength(1);
  });

  it("stopInteractionMutationOptions sends one DELETE for the scrape id it is given", async () => {
    const { api, wrapper } = setup();
    await api.client.interact(SCRAPE_ID, { code: "1" });
    const options = stopInteractionMutationOptions(api.client);
    expect(options.mutationKey).toEqual([...interactKeys.all, "stopInteraction"]);
    const { result } = renderHook(() => useMutation(options), { wrapper });
    await act(async () => {
      expect(await result.current.mutateAsync(SCRAPE_ID)).toEqual({ success: true });
    });
    expect(api.requests("DELETE")).toEqual([`DELETE ${PATH}`]);
    expect(api.openIds()).toEqual([]);
  });
});
