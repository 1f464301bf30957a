#!/usr/bin/env node
// Lighthouse (mobile defaults: simulated slow 4G, 4x CPU slowdown) for the app as the
// collector serves it, beside "the limit": the same start page as plain static HTML
// (the app's own first screen, captured after it has drawn, with its scripts taken
// out), served by the same collector in the same run. Median of BENCH_RUNS (default 3)
// runs each, taken in turn, so the machine's noise falls on both. Prints each figure
// and the app's beside the limit's as a ratio. Asserts nothing about speed.
//
//   node scripts/bench-lighthouse.mjs        (scripts/bench.sh installs Lighthouse first)
//
// Needs dist/ (trunk build --release --offline), a collector binary, /usr/bin/chromium,
// and Lighthouse in target/bench-tools (npm install --prefix target/bench-tools lighthouse@13.5.0).

import { chromium } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromiumArgs, collector, executablePath, startCollector, stopCollector } from "./bench-common.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const lighthouse = "target/bench-tools/node_modules/.bin/lighthouse";

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const dir = mkdtempSync(join(tmpdir(), "bench-lighthouse-"));
let server;
let failed = false;
try {
  if (!existsSync(lighthouse)) throw new Error(`Lighthouse is missing (${lighthouse})`);
  if (!existsSync("dist/index.html")) throw new Error("dist/ has no built app");
  const site = join(dir, "site");
  // Timestamps kept: the collector sends no compressed copy older than its file.
  cpSync("dist", site, { recursive: true, preserveTimestamps: true });
  let origin;
  ({ server, origin } = await startCollector({ db: join(dir, "db.sqlite"), staticDir: site }));

  // The limit: the app's start page as it is drawn, as static HTML (no script at all).
  const browser = await chromium.launch({ executablePath, args: chromiumArgs });
  const page = await browser.newPage({ viewport: { width: 412, height: 823 } });
  await page.goto(`${origin}/`);
  await page.locator(".button--start").waitFor();
  let html = await page.evaluate(() => {
    document.querySelectorAll("script, link[rel=modulepreload], link[rel=preload], link[rel=manifest]").forEach((e) => e.remove());
    return "<!DOCTYPE html>\n" + document.documentElement.outerHTML;
  });
  await browser.close();
  html = html.replace("<head>", '<head><base href="../">');
  mkdirSync(join(site, "limit"));
  writeFileSync(join(site, "limit", "index.html"), html);
  execFileSync("node", ["scripts/compress.mjs", join(site, "limit")]);

  const results = { app: [], limit: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const [name, url] of [["app", `${origin}/`], ["limit", `${origin}/limit/`]]) {
      const out = join(dir, `${name}-${i}.json`);
      execFileSync(lighthouse, [url, "--only-categories=performance,accessibility,best-practices", "--output=json", `--output-path=${out}`, "--quiet",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu"], { env: { ...process.env, CHROME_PATH: executablePath }, timeout: 180_000 });
      const r = JSON.parse(readFileSync(out, "utf8"));
      results[name].push({
        performance: Math.round(r.categories.performance.score * 100),
        accessibility: Math.round(r.categories.accessibility.score * 100),
        "best practices": Math.round(r.categories["best-practices"].score * 100),
        "LCP ms": Math.round(r.audits["largest-contentful-paint"].numericValue),
        "FCP ms": Math.round(r.audits["first-contentful-paint"].numericValue),
        "TBT ms": Math.round(r.audits["total-blocking-time"].numericValue),
        CLS: Number(r.audits["cumulative-layout-shift"].numericValue.toFixed(3)),
        "KB over the wire": Math.round(r.audits["total-byte-weight"].numericValue / 1000),
      });
    }
  }
  console.log(`lighthouse: mobile defaults, median of ${RUNS} runs each, taken in turn (${collector})`);
  console.log(`lighthouse: ${"figure".padEnd(18)} ${"app".padStart(8)} ${"limit".padStart(8)}   app / limit`);
  for (const key of Object.keys(results.app[0])) {
    const a = median(results.app.map((r) => r[key]));
    const l = median(results.limit.map((r) => r[key]));
    const ratio = l ? (a / l).toFixed(2) : "n/a";
    console.log(`lighthouse: ${key.padEnd(18)} ${String(a).padStart(8)} ${String(l).padStart(8)}   ${ratio}`);
  }
} catch (e) {
  console.error(`lighthouse: FAILED: ${e.message ?? e}`);
  failed = true;
} finally {
  await stopCollector(server);
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
