import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runtimeGraph } from "../../scripts/import-graph.js";

const root = resolve(import.meta.dirname, "../..");

describe("the React entries", () => {
  it("firecrawl-interact/react loads react and our own code, no @tanstack module", () => {
    const { modules, packages } = runtimeGraph(root, "src/react/index.ts");
    expect(modules).toContain("src/react/use-interact-session.ts");
    expect(modules.filter((file) => /^src\/react-query\//.test(file))).toEqual([]);
    expect(packages).toEqual(["openapi-fetch", "react"]);
  });

  it("firecrawl-interact/react-query loads @tanstack/react-query, react, the shared provider and its own code", () => {
    const { modules, packages } = runtimeGraph(root, "src/react-query/index.ts");
    expect(modules).toEqual(expect.arrayContaining(["src/react/provider.tsx", "src/core/sessions-change.ts"]));
    expect(modules.filter((file) => /^src\/react\//.test(file))).toEqual(["src/react/provider.tsx"]);
    expect(packages).toEqual(["@tanstack/react-query", "react"]);
  });

  it("firecrawl-interact/react exports the hooks, the provider and <LiveView>; the TanStack parts moved out", async () => {
    expect(Object.keys(await import("./index.js")).sort()).toEqual([
      "InteractProvider",
      "LiveView",
      "useInteractClient",
      "useInteractSession",
      "useScrapeInteraction",
    ]);
    expect(Object.keys(await import("../react-query/index.js")).sort()).toEqual([
      "createSessionMutationOptions",
      "deleteSessionMutationOptions",
      "executeMutationOptions",
      "interactKeys",
      "listSessionsQueryOptions",
      "scrapeInteractMutationOptions",
      "scrapeMutationOptions",
      "stopInteractionMutationOptions",
      "useExecute",
      "useInteractSessions",
    ]);
  });
});
