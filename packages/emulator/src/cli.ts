import { parseArgs } from "node:util";
import { type EmulatorOptions, startEmulator } from "./emulator.js";
import { errorMessage } from "./errors.js";

const USAGE = `Usage: firecrawl-interact-emulator [options]

Runs a local Firecrawl-compatible interact API (/v2/interact, /v2/browser, /v2/scrape and
/v2/scrape/{id}/interact) backed by real Chromium. Interact prompts need an AI agent, which only the library
can plug in (startEmulator({ agent })): here they answer 400 agent_not_configured; send code instead.

Options:
  --port <n>           port to listen on (default 3002; 0 picks a free one)
  --host <addr>        interface to bind (default 127.0.0.1)
  --api-key <key>      accept only this Bearer key (default: FIRECRAWL_EMULATOR_API_KEY, else any non-empty
                       key); prefer the variable: other local users can read flags in /proc/<pid>/cmdline
  --api-keys <k=team,…> teams: accept only these keys, each in its team (key=team pairs, comma-separated;
                       default: FIRECRAWL_EMULATOR_API_KEYS); one team's sessions and scrapes are 403 to another
  --keyless-scrape     serve POST /v2/scrape without a key, as Firecrawl does (its interact still needs it)
  --max-sessions <n>   most active sessions at once (default 4)
  --max-concurrent-runs <n>
                       most executes and prompts running at once (default 8; more get 429)
  --max-concurrent-runs-per-session <n>
                       most of them running at once in one session (default 2)
  --data-dir <dir>     where named profiles are stored
  --chromium <path>    Chromium binary (default: CHROMIUM_PATH, installed, then @sparticuz/chromium)
  --warm-pool <n>      browsers kept launched ahead (default 1, 0 disables)
  --start-url <url>    where new sessions open (default about:blank, as Firecrawl); a path is on the
                       emulator itself: /__emulator/start is its offline start page
  --allowed-host <name> also accept this Host header (repeatable; IPs and localhost always work)
  --allowed-origin <origin>
                       also accept requests from pages of this origin, e.g. http://localhost:5173 (repeatable;
                       any other Origin header gets 403)
  --faults             enable the fault-injection route POST /__emulator/faults
  --quiet              no log lines
  -h, --help           show this help`;

const integer = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative integer`);
  return parsed;
};

// "fc-a=team-a,fc-b=team-b" → { "fc-a": "team-a", "fc-b": "team-b" }.
function parseApiKeys(pairs: string): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const pair of pairs.split(",")) {
    const [key, team, ...rest] = pair.split("=").map((part) => part.trim());
    if (!key || !team || rest.length > 0) throw new Error("--api-keys takes key=team pairs, comma-separated");
    keys[key] = team;
  }
  return keys;
}

// Parses the CLI's arguments (and the key's environment variable) into emulator options; throws on bad input.
function parseEmulatorArgs(args: string[], env: NodeJS.ProcessEnv): EmulatorOptions | "help" {
  const { values } = parseArgs({
    args,
    allowPositionals: false,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      "api-key": { type: "string" },
      "api-keys": { type: "string" },
      "keyless-scrape": { type: "boolean" },
      "max-sessions": { type: "string" },
      "max-concurrent-runs": { type: "string" },
      "max-concurrent-runs-per-session": { type: "string" },
      "data-dir": { type: "string" },
      chromium: { type: "string" },
      "warm-pool": { type: "string" },
      "start-url": { type: "string" },
      "allowed-host": { type: "string", multiple: true },
      "allowed-origin": { type: "string", multiple: true },
      faults: { type: "boolean" },
      quiet: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  const options: EmulatorOptions = { port: integer("port", values.port) ?? 3002 };
  const maxSessions = integer("max-sessions", values["max-sessions"]);
  const warmPool = integer("warm-pool", values["warm-pool"]);
  if (values.host) options.host = values.host;
  // From the environment by preference: a flag is visible to every local user in /proc/<pid>/cmdline.
  const apiKey = values["api-key"] || env.FIRECRAWL_EMULATOR_API_KEY;
  if (apiKey) options.apiKey = apiKey;
  const apiKeys = values["api-keys"] || env.FIRECRAWL_EMULATOR_API_KEYS;
  if (apiKeys) options.apiKeys = parseApiKeys(apiKeys);
  if (values["keyless-scrape"]) options.keylessScrape = true;
  if (maxSessions !== undefined) options.maxSessions = maxSessions;
  const maxRuns = integer("max-concurrent-runs", values["max-concurrent-runs"]);
  const maxRunsPerSession = integer("max-concurrent-runs-per-session", values["max-concurrent-runs-per-session"]);
  if (maxRuns !== undefined) options.maxConcurrentRuns = maxRuns;
  if (maxRunsPerSession !== undefined) options.maxConcurrentRunsPerSession = maxRunsPerSession;
  if (values["data-dir"]) options.dataDir = values["data-dir"];
  if (values.chromium) options.chromiumPath = values.chromium;
  if (warmPool !== undefined) options.warmPool = warmPool;
  if (values["start-url"]) options.startUrl = values["start-url"];
  if (values["allowed-host"]) options.allowedHosts = values["allowed-host"];
  if (values["allowed-origin"]) options.allowedOrigins = values["allowed-origin"];
  if (values.faults) options.faults = true;
  if (values.quiet) options.quiet = true;
  return options;
}

// Starts the emulator, prints its URL, and closes it (killing every Chromium) on SIGINT/SIGTERM.
async function main(args: string[]): Promise<void> {
  let options: EmulatorOptions | "help";
  try {
    options = parseEmulatorArgs(args, process.env);
  } catch (error) {
    console.error(`${errorMessage(error)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options === "help") {
    console.log(USAGE);
    return;
  }
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator(options);
  } catch (error) {
    console.error(`Could not start the emulator: ${errorMessage(error)}`);
    process.exitCode = 1;
    return;
  }
  console.log(`Firecrawl interact emulator: ${emulator.url}`);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    void emulator.close().then(
      () => process.exit(signal === "SIGINT" ? 130 : 143),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

await main(process.argv.slice(2));
