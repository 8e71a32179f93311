import type { Page } from "playwright-core";

/** What {@link pixelStats} reads of a PNG in one decode. */
interface PixelStats {
  /** Mean colour of the middle fifth. */
  readonly center: [number, number, number];
  /** Share of the pixels (sampled on a grid) that are close to the most common colour. */
  readonly dominantShare: number;
}

/** Decodes a PNG in a (blank) page of the test browser and measures it. */
function pixelStats(decoder: Page, png: Buffer): Promise<PixelStats> {
  return decoder.evaluate(async (base64) => {
    const blob = await (await fetch(`data:image/png;base64,${base64}`)).blob();
    const bitmap = await createImageBitmap(blob);
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext("2d");
    if (!context) throw new Error("no 2d context");
    context.drawImage(bitmap, 0, 0);
    const middle = context.getImageData(
      Math.floor(bitmap.width * 0.4),
      Math.floor(bitmap.height * 0.4),
      Math.max(1, Math.floor(bitmap.width * 0.2)),
      Math.max(1, Math.floor(bitmap.height * 0.2)),
    ).data;
    let [red, green, blue] = [0, 0, 0];
    for (let index = 0; index < middle.length; index += 4) {
      red += middle[index] ?? 0;
      green += middle[index + 1] ?? 0;
      blue += middle[index + 2] ?? 0;
    }
    const count = middle.length / 4;
    const center: [number, number, number] = [red, green, blue].map((sum) => Math.round(sum / count)) as [
      number,
      number,
      number,
    ];
    const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
    const buckets = new Map<number, number>();
    let samples = 0;
    for (let index = 0; index < data.length; index += 4 * 3) {
      // 32 levels per channel: JPEG noise stays in one bucket.
      const key = ((data[index] ?? 0) >> 3) * 1024 + ((data[index + 1] ?? 0) >> 3) * 32 + ((data[index + 2] ?? 0) >> 3);
      buckets.set(key, (buckets.get(key) ?? 0) + 1);
      samples += 1;
    }
    return { center, dominantShare: Math.max(...buckets.values()) / samples };
  }, png.toString("base64"));
}

/** Mean colour of the middle fifth of a PNG, decoded by a (blank) page of the test browser. */
export async function centerColor(decoder: Page, png: Buffer): Promise<[number, number, number]> {
  return (await pixelStats(decoder, png)).center;
}

/** True when two colours are within `tolerance` on every channel (JPEG frames are not exact). */
export function near(actual: readonly number[], expected: readonly number[], tolerance = 24): boolean {
  return actual.every((value, index) => Math.abs(value - (expected[index] ?? 0)) <= tolerance);
}

/**
 * Share of a PNG's pixels (sampled on a grid) that are close to its most common colour: 1 for a blank frame (all
 * white, all black), well below for a page with text, images or colours.
 */
export async function dominantShare(decoder: Page, png: Buffer): Promise<number> {
  return (await pixelStats(decoder, png)).dominantShare;
}
