#!/usr/bin/env node
// Prints the first-load size of the built app (dist/): every file a first visit
// fetches (HTML with its inlined CSS, JS including the service worker, WASM, config,
// form JSON, manifest and icon), raw and
// brotli-compressed (quality 11, as a static host would pre-compress them).
//
//   node scripts/size.mjs [dist] [--budget 150000]
//
// With --budget, exits 1 when the compressed total is over that many bytes. Then, outside the first
// load: the partner's loader embed/embed.js, held to EMBED_BUDGET (issue 13), and the frame's script.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join, extname } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const args = process.argv.slice(2);
const budgetAt = args.indexOf("--budget");
const budget = budgetAt >= 0 ? Number(args[budgetAt + 1]) : null;
const dist = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--budget") ?? "dist";

if (!existsSync(join(dist, "index.html"))) {
  console.error(`size: ${dist}/index.html not found; build first (trunk build --release).`);
  process.exit(2);
}
const config = JSON.parse(readFileSync(join(dist, "config.json"), "utf8"));
const firstLoad = [
  "index.html",
  // Not cannot-start.js: fetched only when the app cannot start on a static host's page; nor stamp.js, fetched
  // when the first answers are stamped (the proof of work, after Send); nor seal.js, fetched only where the
  // configuration names an encryption key.
  ...readdirSync(dist).filter((f) => [".js", ".wasm", ".css"].includes(extname(f)) && !["cannot-start.js", "stamp.js", "seal.js"].includes(f)),
  "config.json",
  `forms/${config.form}.json`,
  "manifest.webmanifest",
  "icons/icon.svg",
];

const kb = (n) => (n / 1000).toFixed(1).padStart(8) + " KB";
let raw = 0, br = 0, gz = 0;
console.log("file".padEnd(48) + "raw".padStart(11) + "gzip".padStart(11) + "brotli".padStart(11));
for (const f of firstLoad) {
  const bytes = readFileSync(join(dist, f));
  const b = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const g = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length; br += b; gz += g;
  console.log(f.padEnd(48) + kb(bytes.length) + kb(g) + kb(b));
}
console.log("first load, total".padEnd(48) + kb(raw) + kb(gz) + kb(br));
if (budget !== null) {
  if (br > budget) {
    console.error(`size: FAILED: ${br} bytes brotli is over the budget of ${budget} bytes.`);
    process.exit(1);
  }
  console.log(`size: within budget: ${br} of ${budget} bytes brotli (${((100 * br) / budget).toFixed(0)}%).`);
}

// Not in the first load: what a partner's page fetches to embed the form (its loader, held to 3 KB
// brotli by issue 13), what the form fetches in a frame, and the proof of work's script.
const EMBED_BUDGET = 3000;
for (const f of ["embed/embed.js", "embed/frame.js", "embed/frame.css", "stamp.js", "seal.js"]) {
  const bytes = readFileSync(join(dist, f));
  const b = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(`${f} (not in the first load)`.padEnd(48) + kb(bytes.length) + kb(gzipSync(bytes, { level: 9 }).length) + kb(b));
  if (f === "embed/embed.js" && budget !== null) {
    if (b > EMBED_BUDGET) {
      console.error(`size: FAILED: embed/embed.js is ${b} bytes brotli, over its budget of ${EMBED_BUDGET}.`);
      process.exit(1);
    }
    console.log(`size: embed/embed.js within its budget: ${b} of ${EMBED_BUDGET} bytes brotli.`);
  }
}
