/** CDP steps the bench repeats, on the emulator's own CDP connection (one client for ours and the reference). */
import type { CdpConnection, CdpEvent } from "../src/emulator/cdp.js";

export { CdpConnection } from "../src/emulator/cdp.js";

/** Resolves with the next event of that method (optionally from one session); rejects after timeoutMs. */
export function nextEvent(cdp: CdpConnection, method: string, timeoutMs: number, sessionId?: string) {
  return new Promise<CdpEvent>((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${method} within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = cdp.onEvent((event) => {
      if (event.method !== method || (sessionId && event.sessionId !== sessionId)) return;
      clearTimeout(timer);
      off();
      resolve(event);
    });
  });
}

/** Attaches (flattened) to the browser's first page target and returns the CDP session id. */
export async function attachFirstPage(cdp: CdpConnection): Promise<string> {
  const { targetInfos } = (await cdp.send("Target.getTargets")) as {
    targetInfos: { targetId: string; type: string }[];
  };
  const page = targetInfos.find((target) => target.type === "page");
  if (!page) throw new Error("the browser has no page target");
  const { sessionId } = (await cdp.send("Target.attachToTarget", { targetId: page.targetId, flatten: true })) as {
    sessionId: string;
  };
  return sessionId;
}

/** Enables the Page domain, navigates the attached page to url and waits for its load event. */
export async function navigatePage(cdp: CdpConnection, sessionId: string, url: string, timeoutMs: number) {
  await cdp.send("Page.enable", {}, sessionId);
  const loaded = nextEvent(cdp, "Page.loadEventFired", timeoutMs, sessionId);
  await cdp.send("Page.navigate", { url }, sessionId);
  await loaded;
}
