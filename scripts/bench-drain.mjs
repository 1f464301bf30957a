#!/usr/bin/env node
// Outbox drain benchmark: how fast answers queued on a device with no network
// reach the database once the network returns.
//
// Starts the receiving server (target/server/collector if built, else
// target/debug/collector) serving dist/ on a fresh temporary database, opens the
// app in headless Chromium, goes offline, queues BENCH_COUNT (default 100)
// submissions through the UI, goes online, and measures the time from going
// online until the database holds them all. Exits 1 if any are missing, repeated
// or changed, or if they take longer than BENCH_LIMIT_S (default 300) seconds.
//
//   node scripts/bench-drain.mjs
//   BENCH_COUNT=20 node scripts/bench-drain.mjs

import { chromium } from "@playwright/test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromiumArgs as args, collector, executablePath, exportRows, sleep, startCollector, stopCollector } from "./bench-common.mjs";

const COUNT = Number(process.env.BENCH_COUNT ?? 100);
const LIMIT_MS = Number(process.env.BENCH_LIMIT_S ?? 300) * 1000;
const POLL_MS = 50;
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

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
  // The collector logs "submission <id>: stored" once each submission is committed.
  // Counting those lines is how arrival is watched every 50 ms: spawning an export
  // (or sqlite3) twenty times a second would take the CPU the browser is
  // measured on (this machine may have two cores). The export checks the end result.
  const stored = new Set();
  const onLine = (line) => {
    const m = / submission (\S+): stored$/.exec(line);
    if (m) stored.add(m[1]);
  };
  let origin;
  ({ server, origin } = await startCollector({ db, onLine }));

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
  const rows = exportRows(db);
  const ids = new Set(rows.map((r) => r.submission_id));
  const got = rows.map((r) => r.answers?.keep).sort();
  if (rows.length !== COUNT) fail(`the database holds ${rows.length} rows, not ${COUNT}`);
  if (ids.size !== rows.length) fail(`${rows.length - ids.size} repeated submission ids`);
  if (JSON.stringify(got) !== JSON.stringify([...markers].sort())) fail("the stored answers differ from those typed");
} catch (e) {
  fail(e.message ?? String(e));
} finally {
  await browser?.close().catch(() => {});
  await stopCollector(server);
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
