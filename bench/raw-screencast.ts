/** The reference for streaming: a CDP screencast of a raw Chromium, read directly with no emulator in between. */
import { attachFirstPage, CdpConnection, navigatePage } from "./cdp.js";
import { FrameLog, type FrameViewer } from "./frames.js";
import { launchRawChromium, REFERENCE_SCREENCAST } from "./raw-chromium.js";

/**
 * Launches Chromium on pageUrl and screencasts it like the emulator does (its screencast parameters, optionally
 * overridden, e.g. with `maxWidth`/`maxHeight`); input goes to Input.dispatchMouseEvent.
 */
export async function openRawScreencast(
  chromiumPath: string,
  pageUrl: string,
  overrides: Record<string, number> = {},
): Promise<FrameViewer> {
  const browser = await launchRawChromium(chromiumPath);
  let cdp: CdpConnection | undefined;
  try {
    cdp = await CdpConnection.connect(browser.wsEndpoint);
    const client = cdp;
    const sessionId = await attachFirstPage(client);
    await navigatePage(client, sessionId, pageUrl, 30_000);
    const log = new FrameLog();
    client.onEvent((event) => {
      if (event.method !== "Page.screencastFrame" || event.sessionId !== sessionId) return;
      const params = event.params as { data: string; sessionId: number };
      // Ack first, as the emulator does: Chromium sends the next frame only after this one is acknowledged.
      client.send("Page.screencastFrameAck", { sessionId: params.sessionId }, sessionId).catch(() => undefined);
      log.push(Buffer.from(params.data, "base64"));
    });
    await client.send("Page.startScreencast", { ...REFERENCE_SCREENCAST, ...overrides }, sessionId);
    return {
      frames: log.frames,
      frameAfter: (from, waitMs, matches) => log.frameAfter(from, waitMs, matches),
      sendInput: (message) => {
        const { action, x, y, button, buttons, clickCount, modifiers } = message;
        const params = { type: action, x, y, button, buttons, clickCount, modifiers };
        client.send("Input.dispatchMouseEvent", params, sessionId).catch(() => undefined);
      },
      close: async () => {
        client.close();
        await browser.close();
      },
    };
  } catch (error) {
    cdp?.close();
    await browser.close();
    throw error;
  }
}
