import { cleanup, renderHook } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { useInteractClient } from "./provider.js";

afterEach(cleanup);

describe("useInteractClient", () => {
  it("without a provider or a client option, hooks throw a clear error", () => {
    expect(() => renderHook(() => useInteractClient())).toThrow(
      "firecrawl-interact: no client (use <InteractProvider> or the client option)",
    );
  });
});
