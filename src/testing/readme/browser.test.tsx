// browser.test.tsx
// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { InteractProvider } from "firecrawl-interact/react";
import { createFakeFirecrawl } from "firecrawl-interact/testing";
import { afterEach, expect, test } from "vitest";
import { Browser } from "./browser.js";

afterEach(cleanup);

test("Start shows the live view, Stop ends the session", async () => {
  const fake = createFakeFirecrawl();
  render(
    <InteractProvider client={fake.client}>
      <Browser />
    </InteractProvider>,
  );

  fireEvent.click(screen.getByRole("button", { name: "Start" }));
  await screen.findByRole("button", { name: "Stop" });
  expect(screen.getByRole("status").textContent).toBe("Connecting…"); // jsdom never loads the viewer page…
  act(() => fake.liveView().connect()); // …so the fake posts what it would
  expect(screen.getByRole("status").textContent).toBe("Live view connected (interactive)");
  fireEvent.click(screen.getByRole("button", { name: "Stop" }));
  await screen.findByText("Session ended");
  expect(fake.sessions("destroyed")).toHaveLength(1);
});

test("at the session limit, the 429 shows", async () => {
  const fake = createFakeFirecrawl({ maxSessions: 1 });
  await fake.client.createSession(); // another tab holds the only slot
  render(
    <InteractProvider client={fake.client}>
      <Browser />
    </InteractProvider>,
  );

  fireEvent.click(screen.getByRole("button", { name: "Start" }));
  const alert = await screen.findByRole("alert");
  expect(alert.textContent).toBe("too_many_sessions: At most 1 session may be active at once");
});
