#!/usr/bin/env node
// The proof of work on a slow phone: the app's own stamp script (public/stamp.js, through the loader's
// `feedbackStamp`, as the app calls it) finding 12-bit stamps (the collector's default) for 30 random ids
// in Chromium at 4× CPU slowdown (Lighthouse's stand-in for a mid-range phone), and at 1×. Beside it, in the
// same page and run, the baseline: one SHA-256 digest at a time, so the figures read as "hashes it took" ×
// "a hash's time". Prints the median and 90th percentile; asserts nothing about speed (exits 1 if a stamp is
// missing or wrong).
//
//   node scripts/bench-stamp.mjs        (needs dist/ and a collector binary)

import { chromium } from "@playwright/test";
import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromiumArgs as args, executablePath, startCollector, stopCollector } from "./bench-common.mjs";

const BITS = 12;
const IDS = 30;
const zeroBits = (id, n) => {
  const d = createHash("sha256").update(`feedback-stamp:${id}:${n}`).digest();
  let bits = 0;
  for (const b of d) {
    if (b) return bits + Math.clz32(b) - 24;
    bits += 8;
  }
  return bits;
};
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

const dir = mkdtempSync(join(tmpdir(), "bench-stamp-"));
let server, browser;
try {
  let origin;
  ({ server, origin } = await startCollector({ db: join(dir, "db.sqlite") }));
  browser = await chromium.launch({ executablePath, args });
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => document.documentElement.dataset.app === "started", null, { timeout: 30_000 });
  const cdp = await page.context().newCDPSession(page);
  for (const rate of [4, 1]) {
    await cdp.send("Emulation.setCPUThrottlingRate", { rate });
    const ids = Array.from({ length: IDS }, () => randomUUID());
    const runs = await page.evaluate(
      async ({ ids, bits }) => {
        const out = [];
        for (const id of ids) {
          const t = performance.now();
          const body = await self.feedbackStamp(id, "{}", bits);
          out.push({ id, ms: performance.now() - t, stamp: JSON.parse(body).stamp });
        }
        // The baseline: 1,024 bare digests, one at a time.
        const text = new TextEncoder();
        const t = performance.now();
        for (let n = 0; n < 1024; n++) await crypto.subtle.digest("SHA-256", text.encode(`feedback-stamp:${ids[0]}:${n}`));
        return { out, hashMs: (performance.now() - t) / 1024 };
      },
      { ids, bits: BITS },
    );
    for (const r of runs.out) {
      if (!(zeroBits(r.id, r.stamp) >= BITS)) throw new Error(`a wrong stamp for ${r.id}: ${r.stamp}`);
    }
    const ms = runs.out.map((r) => r.ms);
    const hashes = runs.out.map((r) => r.stamp + 1);
    const perHash = ms.reduce((a, b) => a + b) / hashes.reduce((a, b) => a + b);
    console.log(
      `${BITS}-bit stamps at ${rate}× CPU slowdown, ${IDS} ids: median ${quantile(ms, 0.5).toFixed(0)} ms, ` +
        `90th percentile ${quantile(ms, 0.9).toFixed(0)} ms, most ${Math.max(...ms).toFixed(0)} ms; ` +
        `median ${quantile(hashes, 0.5)} hashes (2^${BITS} = ${2 ** BITS} expected on average); ` +
        `${(perHash * 1000).toFixed(1)} µs a hash beside ${(runs.hashMs * 1000).toFixed(1)} µs for a bare digest ` +
        `(${(perHash / runs.hashMs).toFixed(2)}×)`,
    );
  }
} finally {
  await browser?.close();
  await stopCollector(server);
  rmSync(dir, { recursive: true, force: true });
}
