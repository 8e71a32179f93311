// scrape-browser.test.tsx
// @vitest-environment jsdom
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { InteractProvider } from "firecrawl-interact/react";
import { createFakeFirecrawl } from "firecrawl-interact/testing";
import { expect, test } from "vitest";
import { ScrapeBrowser } from "./scrape-browser.js";

test("scrape, ask the agent, take over the live view, stop", async () => {
  const fake = createFakeFirecrawl({ onPrompt: ({ prompt }) => `Done: ${prompt}` });
  fake.addPage("https://shop.example/", { title: "Shop", markdown: "# Shop" });
  render(
    <InteractProvider client={fake.client}>
      <ScrapeBrowser url="https://shop.example/" />
    </InteractProvider>,
  );

  fireEvent.click(screen.getByRole("button", { name: "Scrape" }));
  const ask = screen.getByRole("button", { name: "Ask the agent" });
  await waitFor(() => expect(ask).toHaveProperty("disabled", false));
  fireEvent.click(ask);
  await screen.findByText("Done: Accept the cookie banner");
  act(() => fake.liveView().connect()); // the browser the first call opened
  expect(screen.getByRole("status").textContent).toBe("Live view connected (interactive)");
  fireEvent.click(screen.getByRole("button", { name: "Stop" }));
  await waitFor(() => expect(fake.sessions("active")).toEqual([]));
  expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.status}`).slice(1)).toEqual([
    expect.stringMatching(/^POST \/scrape\/[0-9a-f-]{36}\/interact 200$/),
    expect.stringMatching(/^DELETE \/scrape\/[0-9a-f-]{36}\/interact 200$/),
  ]);
});
