import type { Emulator, EmulatorOptions } from "firecrawl-interact-emulator";
import { describe, expectTypeOf, test } from "vitest";
import type { EmbeddedEmulator, EmbeddedEmulatorOptions, EmulatorModule } from "./dev-proxy.js";

// The plugin types the emulator it loads by itself (the main package can't depend on it); these keep both in step.
describe("the plugin's view of the emulator package", () => {
  test("every embedded option is an option of startEmulator, with the same type", () => {
    expectTypeOf<keyof EmbeddedEmulatorOptions>().toExtend<keyof EmulatorOptions>();
    expectTypeOf<EmbeddedEmulatorOptions>().toExtend<EmulatorOptions>();
  });

  test("the real module is what the plugin loads: startEmulator takes its options, the emulator has its fields", () => {
    expectTypeOf<typeof import("firecrawl-interact-emulator")>().toExtend<EmulatorModule>();
    expectTypeOf<Emulator>().toExtend<EmbeddedEmulator>();
  });
});
