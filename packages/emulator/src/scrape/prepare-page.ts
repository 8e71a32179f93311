import type { BrowserContext, Page } from "playwright-core";
import type { Viewport } from "./formats.js";

/** The page setup a scrape asks for before its page loads. */
export interface PageSetup {
  headers: Record<string, string> | undefined;
  mobile: boolean;
  /** The screenshot format's viewport: the page is that size from the start. */
  viewport: Viewport | undefined;
  skipTlsVerification: boolean;
}

/** The phone a `mobile: true` scrape emulates: a 390×844 CSS-pixel screen at 3× with touch. */
export const MOBILE_SCREEN = { width: 390, height: 844, deviceScaleFactor: 3 } as const;

/** This Chromium's user agent as its Android build sends it (same version, `Mobile` token). */
export const mobileUserAgent = (desktop: string): string =>
  desktop
    .replace(/\([^)]*\)/, "(Linux; Android 10; K)")
    .replace("HeadlessChrome/", "Chrome/")
    .replace(/ Safari\//, " Mobile Safari/");

/**
 * Applies a scrape's headers, mobile emulation, viewport and TLS choice to its page, before it loads: Firecrawl sends
 * the headers with every request of the page and scrapes a mobile page as a phone would see it.
 */
export async function preparePage(context: BrowserContext, page: Page, setup: PageSetup): Promise<void> {
  if (setup.headers && Object.keys(setup.headers).length > 0) await page.setExtraHTTPHeaders(setup.headers);
  if (!setup.mobile && !setup.viewport && !setup.skipTlsVerification) return;
  // Emulation lasts as long as the CDP session that set it: this one stays attached until the scrape disconnects.
  const cdp = await context.newCDPSession(page);
  if (setup.skipTlsVerification) await cdp.send("Security.setIgnoreCertificateErrors", { ignore: true });
  if (setup.mobile) {
    const desktop = await page.evaluate<string>("navigator.userAgent");
    await cdp.send("Emulation.setUserAgentOverride", { userAgent: mobileUserAgent(desktop), platform: "Linux armv8l" });
    await cdp.send("Emulation.setTouchEmulationEnabled", { enabled: true, maxTouchPoints: 5 });
  }
  if (setup.mobile || setup.viewport) {
    const screen = setup.viewport ?? MOBILE_SCREEN;
    await cdp.send("Emulation.setDeviceMetricsOverride", {
      width: screen.width,
      height: screen.height,
      deviceScaleFactor: setup.mobile ? MOBILE_SCREEN.deviceScaleFactor : 1,
      mobile: setup.mobile,
    });
  }
}
