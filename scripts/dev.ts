import { startPlayground } from "../playground/server.js";

// `npm run dev`: the playground on http://127.0.0.1:5173 (PORT to change), Firecrawl with FIRECRAWL_API_KEY, else
// a local emulator on the npm-shipped Chromium. Ctrl-C / SIGTERM close Vite and the emulator with its browsers.
const playground = await startPlayground({ port: Number(process.env.PORT ?? 5173) });
console.log(`\n  firecrawl-interact playground  ${playground.url}\n  talking to: ${playground.label}\n`);

let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n  ${signal}: closing the playground…`);
  playground.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
