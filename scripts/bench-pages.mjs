#!/usr/bin/env node
// The start page as the collector draws it (from the app's components, for each request)
// beside a static file the same collector sends, in the same run: requests a second with
// 16 clients over loopback, each asking for brotli, 3 s per figure, taken in turn twice.
// What a flood of page requests costs the server, as a ratio to a flood of static ones
// (the baseline: `config.json`, sent by the same server through its precompressed copies).
// Asserts nothing about speed; exits 1 if a page is not drawn (no heading) or a request fails.
//
//   node scripts/bench-pages.mjs        (needs dist/ and a collector binary)

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { collector, startCollector, stopCollector } from "./bench-common.mjs";

const CLIENTS = 16;
const SECONDS = 3;
const dir = mkdtempSync(join(tmpdir(), "bench-pages-"));
let server;
let failed = false;
try {
  let origin;
  ({ server, origin } = await startCollector({ db: join(dir, "db.sqlite") }));
  // (fetch decodes the brotli itself.)
  const first = await fetch(`${origin}/`, { headers: { "accept-encoding": "br" } });
  const drawn = await first.text();
  if (first.headers.get("content-encoding") !== "br") throw new Error("the drawn page was not sent with brotli");
  if (!/<h1[^>]*>[^<]+/.test(drawn) || !drawn.includes('id="boot-config"')) {
    throw new Error("the collector did not draw the start page");
  }
  const rate = async (path) => {
    let done = 0;
    const end = performance.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() < end) {
          const res = await fetch(origin + path, { headers: { "accept-encoding": "br" } });
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
          done++;
        }
      }),
    );
    return done / SECONDS;
  };
  const figures = { "/": [], "/?lang=ar": [], "/config.json": [] };
  for (let round = 0; round < 2; round++) {
    for (const path of Object.keys(figures)) figures[path].push(await rate(path));
  }
  const best = (xs) => Math.max(...xs);
  const limit = best(figures["/config.json"]);
  console.log(`pages: ${collector}, ${CLIENTS} clients, loopback, brotli; best of 2 runs of ${SECONDS} s each, taken in turn`);
  for (const [path, xs] of Object.entries(figures)) {
    const what = path === "/config.json" ? "a static file (the baseline)" : "the start page, drawn";
    console.log(`pages: ${path.padEnd(14)} ${what.padEnd(26)} ${best(xs).toFixed(0).padStart(6)}/s   ${(best(xs) / limit).toFixed(2)} of the baseline`);
  }
} catch (e) {
  console.error(`pages: ${e.message}`);
  failed = true;
} finally {
  await stopCollector(server);
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
