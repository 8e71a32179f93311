// A host program that embeds the emulator, for host-signals.test.ts: starts `emulators` emulators with one live
// session each, prints what they launched as one JSON line, then waits for a signal. `host` says what the host itself
// does on SIGINT/SIGTERM: "none" (no listener), "exit" (process.exit(7) at once), "slow" (exits 0 after 1.5 s),
// "resend" (sends the signal on once) or "alone" (raises it again once it is the last listener).
import { startEmulator } from "../emulator.js";

const [emulators = "1", host = "none"] = process.argv.slice(2);

const started = await Promise.all(
  Array.from({ length: Number(emulators) }, () => startEmulator({ quiet: true, warmPool: 0, apiKey: "fc-host-test" })),
);
for (const emulator of started) {
  const created = await fetch(`${emulator.url}/interact`, {
    method: "POST",
    headers: { authorization: "Bearer fc-host-test", "content-type": "application/json" },
    body: "{}",
  });
  if (created.status !== 200) throw new Error(`create answered ${created.status}`);
  await created.body?.cancel();
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  if (host === "exit") process.on(signal, () => process.exit(7));
  if (host === "slow") process.on(signal, () => setTimeout(() => process.exit(0), 1_500));
  // As Vite's lock file cleanup does: once, then sends the signal on at once.
  if (host === "resend") process.once(signal, () => process.kill(process.pid, signal));
  // As signal-exit does: acts only when it is the last listener, then raises the signal again.
  if (host === "alone") {
    const whenAlone = () => {
      if (process.listeners(signal).length > 1) return;
      process.off(signal, whenAlone);
      process.kill(process.pid, signal);
    };
    process.on(signal, whenAlone);
  }
}

console.log(
  JSON.stringify({
    pids: started.flatMap((emulator) => emulator.spawnedPids()),
    dirs: started.flatMap((emulator) => emulator.spawnedUserDataDirs()),
  }),
);
// Keeps the host alive until a signal ends it.
setInterval(() => undefined, 60_000);
