import { describe, expect, test } from "vitest";
import { chromiumEnv, isChromiumEnvName } from "./chromium.js";

describe("chromiumEnv: a Chromium gets the allow-listed variables only", () => {
  test("keys, tokens, preloads and Node options of the emulator's environment are left out", () => {
    const passed = {
      PATH: "/usr/bin:/bin",
      HOME: "/home/dev",
      LANG: "C.UTF-8",
      LC_ALL: "C.UTF-8",
      TZ: "Europe/Paris",
      FONTCONFIG_PATH: "/tmp/fonts",
      LD_LIBRARY_PATH: "/tmp/al2023/lib",
      https_proxy: "http://proxy.internal:3128",
    };
    const withheld = {
      FIRECRAWL_API_KEY: "fc-test-secret-xyz",
      FIRECRAWL_EMULATOR_API_KEY: "fc-test-secret-emulator",
      AWS_SECRET_ACCESS_KEY: "aws-test-secret",
      GOOGLE_API_KEY: "google-test-secret",
      npm_config__authToken: "npm-test-secret",
      NODE_OPTIONS: "--require /tmp/hook.js",
      LD_PRELOAD: "/tmp/hook.so",
      UNSET: undefined,
    };
    // Its own temp dir, inside the profile, instead of the emulator's.
    expect(chromiumEnv("/tmp/fci-chromium-x/.tmp", { ...passed, ...withheld, TMPDIR: "/tmp" })).toEqual({
      ...passed,
      TMPDIR: "/tmp/fci-chromium-x/.tmp",
    });
  });

  test.each([
    ["PATH", true],
    ["LC_CTYPE", true],
    ["XDG_RUNTIME_DIR", true],
    ["DISPLAY", true],
    ["NO_PROXY", true],
    ["LC_", false],
    ["FIRECRAWL_API_KEY", false],
    ["CHROMIUM_PATH", false],
    ["path", false],
    ["LD_PRELOAD", false],
  ])("%s → %s", (name, passed) => {
    expect(isChromiumEnvName(name)).toBe(passed);
  });
});
