// app/api/firecrawl/[...path]/route.ts: the browser uses createInteractClient({ baseUrl: "/api/firecrawl" })
import { createInteractHandler } from "firecrawl-interact/server";

// No apiKey: FIRECRAWL_API_KEY is read per request, so `next build` succeeds without the secret.
const handler = createInteractHandler({
  basePath: "/api/firecrawl",
  limits: { maxTtl: 600, maxActivityTtl: 120 }, // execute and profiles stay off unless allowed
  // A real app returns its signed-in user here (and false without one); each user sees only its own sessions.
  authorize: () => ({ userId: "fixture-user" }),
});

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export { handler as DELETE, handler as GET, handler as POST };
