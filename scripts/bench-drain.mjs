#!/usr/bin/env node
// Outbox drain benchmark: how fast answers queued on a device with no network
// reach the database once the network returns.
//
// Starts the receiving server (target/release/collector if built, else
// target/debug/collector) serving dist/ on a fresh temporary database, opens the
// app in headless Chromium, goes offline, queues BENCH_COUNT (default 100)
// submissions through the UI, goes online, and measures the time from going
// online until the database holds them all. Exits 1 if any are missing, repeated
// or changed, or if they take longer than BENCH_LIMIT_S (default 300) seconds.
//
//   node scripts/bench-drain.mjs
//   BENCH_COUNT=20 node scripts/bench-drain.mjs

import { chromium } from "@playwright/test";
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

process.chdir(new URL("..", import.meta.url).pathname);
const COUNT = Number(process.env.BENCH_COUNT ?? 100);
const LIMIT_MS = Number(process.env.BENCH_LIMIT_S ?? 300) * 1000;
const POLL_MS = 50;
const collector = existsSync("target/release/collector") ? "target/release/collector" : "target/debug/collector";
// The same Chromium and flags as the browser tests (playwright.config.ts).
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

const dir = mkdtempSync(join(tmpdir(), "bench-drain-"));
const db = join(dir, "feedback.sqlite");
let server;
let browser;
let failed = false;

function fail(message) {
  console.error(`outbox drain: FAILED: ${message}`);
  failed = true;
}

try {
  if (!existsSync(collector)) throw new Error(`${collector} is missing: cargo build -p collector`);
  if (!existsSync("dist/index.html")) throw new Error("dist/ has no built app");
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  server = spawn(collector, ["serve", "--db", db, "--static", "dist", "--addr", `127.0.0.1:${port}`], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  // The collector logs "submission <id>: stored" once each submission is committed.
  // Counting those lines is how arrival is watched every 50 ms: spawning an export
  // (or sqlite3) twenty times a second would take the CPU the browser is
  // measured on (this machine may have two cores). The export checks the end result.
  const stored = new Set();
  let serverLog = "";
  createInterface({ input: server.stderr }).on("line", (line) => {
    serverLog += `${line}\n`;
    const m = / submission (\S+): stored$/.exec(line);
    if (m) stored.add(m[1]);
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await fetch(`${origin}/api/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (server.exitCode !== null || Date.now() > deadline) throw new Error(`the collector did not start:\n${serverLog}`);
    await sleep(100);
  }

  browser = await chromium.launch({ executablePath, args });
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  let posts = 0;
  page.on("request", (r) => {
    if (r.method() === "POST" && new URL(r.url()).pathname === "/api/submissions") posts++;
  });
  await page.goto(`${origin}/`);
  await page.locator(".button--start").waitFor();

  // Queue them with no network, through the UI as a person would.
  await context.setOffline(true);
  const markers = [];
  const queueStart = Date.now();
  for (let i = 0; i < COUNT; i++) {
    const marker = `bench ${queueStart}-${i}`;
    markers.push(marker);
    await page.goto(`${origin}/#/page/what-next`);
    await page.locator("#q-keep").fill(marker);
    await page.goto(`${origin}/#/check`);
    await page.locator("#send").click();
    await page.locator(".panel__title:focus").waitFor();
  }
  const queueMs = Date.now() - queueStart;
  if (stored.size !== 0) throw new Error(`${stored.size} arrived while offline`);
  console.log(`outbox drain: ${COUNT} submissions typed and queued offline in ${seconds(queueMs)} (${(queueMs / COUNT / 1000).toFixed(2)} s each)`);

  // The network returns: the `online` event makes every queued submission due.
  const postsBefore = posts;
  const online = performance.now();
  await context.setOffline(false);
  let drainMs;
  while (performance.now() - online < LIMIT_MS) {
    if (stored.size >= COUNT) {
      drainMs = performance.now() - online;
      break;
    }
    await sleep(POLL_MS);
  }
  if (drainMs === undefined) {
    fail(`only ${stored.size} of ${COUNT} arrived within ${seconds(LIMIT_MS)} of the network returning`);
  } else {
    console.log(
      `outbox drain: ${COUNT} queued submissions sent in ${seconds(drainMs)} (${Math.round(COUNT / (drainMs / 1000))}/s) after the network returned` +
        ` (${posts - postsBefore} POSTs; ${collector})`,
    );
  }

  // What the database holds: each exactly once, as typed.
  await sleep(500);
  const rows = execFileSync(collector, ["export", "--db", db, "--format", "jsonl"], { encoding: "utf8", timeout: 60_000 })
    .split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
  const ids = new Set(rows.map((r) => r.submission_id));
  const got = rows.map((r) => r.answers?.keep).sort();
  if (rows.length !== COUNT) fail(`the database holds ${rows.length} rows, not ${COUNT}`);
  if (ids.size !== rows.length) fail(`${rows.length - ids.size} repeated submission ids`);
  if (JSON.stringify(got) !== JSON.stringify([...markers].sort())) fail("the stored answers differ from those typed");
} catch (e) {
  fail(e.message ?? String(e));
} finally {
  await browser?.close().catch(() => {});
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await Promise.race([new Promise((r) => server.once("exit", r)), sleep(5_000)]);
  }
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
