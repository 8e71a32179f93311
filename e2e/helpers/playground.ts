import type { Page } from "playwright-core";
import { expect } from "vitest";

/**
 * The playground's execute box as a function: fills the code, presses Run, waits for that run's success and returns
 * the output text. `page` is read at call time, so the box can be made before the page is opened.
 */
export function executeBox(page: () => Page): (code: string) => Promise<string> {
  let runs = 0;
  return async (code) => {
    runs += 1;
    await page().getByRole("textbox", { name: "Code", exact: true }).fill(code);
    await page().getByRole("button", { name: "Run", exact: true }).click();
    const output = page().getByTestId("execute-output");
    await expect.poll(() => output.getAttribute("data-runs")).toBe(String(runs));
    await expect.poll(() => output.getAttribute("data-state"), { timeout: 60_000 }).toBe("success");
    return (await output.textContent()) ?? "";
  };
}
