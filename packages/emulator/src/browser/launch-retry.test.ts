import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { resolveChromium } from "./chromium.js";
import { BrowserLauncher, LaunchCrashError } from "./launch.js";

// A stand-in for Chromium that crashes (SIGSEGV) on its first `crashes` starts and then runs the real one, counting
// every start in a file: what a launch crash on a loaded machine looks like to the launcher.
let dir = "";
let chromium = "";
const launchers: BrowserLauncher[] = [];

function flakyChromium(crashes: number): { path: string; starts: () => number } {
  const count = join(dir, `starts-${crashes}-${launchers.length}`);
  const path = `${count}.sh`;
  writeFileSync(
    path,
    `#!/bin/sh\necho start >> '${count}'\n[ "$(wc -l < '${count}')" -le ${crashes} ] && kill -SEGV $$\nexec '${chromium}' "$@"\n`,
  );
  chmodSync(path, 0o755);
  return {
    path,
    starts: () => (existsSync(count) ? readFileSync(count, "utf8").split("\n").filter(Boolean).length : 0),
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "fci-launch-retry-"));
  chromium = (await resolveChromium()).path;
});

afterAll(async () => {
  for (const launcher of launchers) launcher.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe("a Chromium that crashes while starting", () => {
  test("gets one more try, which serves", async () => {
    const fake = flakyChromium(1);
    const launcher = new BrowserLauncher(fake.path);
    launchers.push(launcher);
    const browser = await launcher.launch();
    try {
      expect(fake.starts()).toBe(2);
      expect(launcher.pids()).toEqual([browser.pid]);
      expect(await browser.connection.send("Browser.getVersion")).toHaveProperty("product");
    } finally {
      await browser.kill();
    }
  });

  test("twice in a row fails the launch with the crash, after exactly two starts", async () => {
    const fake = flakyChromium(2);
    const launcher = new BrowserLauncher(fake.path);
    launchers.push(launcher);
    const failure = await launcher.launch().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LaunchCrashError);
    expect((failure as Error).message).toMatch(/^Chromium exited during launch \(code null, signal SIGSEGV\)/);
    expect(fake.starts()).toBe(2);
    expect(launcher.pids()).toEqual([]);
  });

  test("on a checked-out profile is not tried again: a failed launch removes the profile's copy", async () => {
    const fake = flakyChromium(1);
    const launcher = new BrowserLauncher(fake.path);
    launchers.push(launcher);
    const profile = mkdtempSync(join(dir, "profile-"));
    await expect(launcher.launch(profile)).rejects.toBeInstanceOf(LaunchCrashError);
    expect(fake.starts()).toBe(1);
  });
});
