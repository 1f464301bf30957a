// What the browser benchmarks share (bench-drain, bench-memory, bench-lighthouse):
// the collector binary, Chromium as the browser tests start it, and starting and
// stopping a collector on a free loopback port with a fresh database.

import { spawn, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { createInterface } from "node:readline";

process.chdir(new URL("..", import.meta.url).pathname);

export const collector = existsSync("target/server/collector") ? "target/server/collector" : "target/debug/collector";
// The same Chromium and flags as the browser tests (playwright.config.ts).
export const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const chromiumArgs = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

/** Starts `collector serve` on the database `db` with `staticDir`, and waits (30 s at most)
 * until it answers. `onLine` gets each line it logs. Returns `{ server, origin }`. */
export async function startCollector({ db, staticDir = "dist", onLine = () => {} }) {
  if (!existsSync(collector)) throw new Error(`${collector} is missing: cargo build -p collector`);
  if (!existsSync(`${staticDir}/index.html`)) throw new Error(`${staticDir}/ has no built app`);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const server = spawn(collector, ["serve", "--db", db, "--static", staticDir, "--addr", `127.0.0.1:${port}`], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  createInterface({ input: server.stderr }).on("line", (line) => {
    log += `${line}\n`;
    onLine(line);
  });
  const deadline = Date.now() + 30_000;
  while (!(await fetch(`${origin}/api/health`).then((r) => r.ok, () => false))) {
    if (server.exitCode !== null || Date.now() > deadline) {
      stopCollector(server);
      throw new Error(`the collector did not start:\n${log}`);
    }
    await sleep(100);
  }
  return { server, origin };
}

/** Stops a collector started by `startCollector` (5 s at most). */
export async function stopCollector(server) {
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await Promise.race([new Promise((r) => server.once("exit", r)), sleep(5_000)]);
  }
}

/** Every stored submission in `db`, as `collector export --format jsonl` gives them. */
export function exportRows(db) {
  return execFileSync(collector, ["export", "--db", db, "--format", "jsonl"], { encoding: "utf8", timeout: 60_000 })
    .split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
}
