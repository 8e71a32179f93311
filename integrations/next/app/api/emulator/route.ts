import { startEmulator } from "firecrawl-interact-emulator";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Starts an emulator inside the Next server, lists its sessions and closes it: the emulator runs unbundled here. */
export async function GET(): Promise<Response> {
  const emulator = await startEmulator({ port: 0, warmPool: 0, quiet: true });
  try {
    const listed = await fetch(`${emulator.url}/interact`, { headers: { authorization: "Bearer fc-local" } });
    return Response.json({ status: listed.status, body: await listed.json() });
  } finally {
    await emulator.close();
  }
}
