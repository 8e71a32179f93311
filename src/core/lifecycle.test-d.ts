import { describe, expectTypeOf, it } from "vitest";
import { createLifecycle, type Lifecycle, type LifecycleConfig, type SetState } from "./lifecycle.js";
import type {
  ScrapeInteractionConfig,
  ScrapeInteractionController,
  ScrapeInteractionState,
} from "./scrape-interaction-controller.js";
import type { InteractSessionState, SessionController, SessionControllerConfig } from "./session-controller.js";

describe("createLifecycle", () => {
  it("hands its controller the owner's methods, the setter and readers typed by the state and config", () => {
    const [controls, set, state, config] = createLifecycle(
      { count: 0 },
      { stopOnUnmount: false } as LifecycleConfig & { label?: string },
      async () => {},
      () => {},
    );
    expectTypeOf(controls).toEqualTypeOf<Lifecycle<{ count: number }, LifecycleConfig & { label?: string }>>();
    expectTypeOf(set).toEqualTypeOf<SetState<{ count: number }>>();
    expectTypeOf(set).parameter(0).toEqualTypeOf<Partial<{ count: number }>>();
    expectTypeOf(state).returns.toEqualTypeOf<{ count: number }>();
    expectTypeOf(config).returns.toEqualTypeOf<LifecycleConfig & { label?: string }>();
    expectTypeOf(controls.stop).returns.toEqualTypeOf<Promise<void>>();
  });

  it("both controllers are lifecycles of their own state and config (what useController takes)", () => {
    expectTypeOf<SessionController>().toExtend<Lifecycle<InteractSessionState, SessionControllerConfig>>();
    expectTypeOf<ScrapeInteractionController>().toExtend<Lifecycle<ScrapeInteractionState, ScrapeInteractionConfig>>();
    expectTypeOf<SessionControllerConfig>().toExtend<LifecycleConfig>();
    expectTypeOf<ScrapeInteractionConfig>().toExtend<LifecycleConfig>();
  });
});
