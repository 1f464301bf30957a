#!/usr/bin/env node
// trunk post_build hook (release builds): minifies the JS glue that wasm-bindgen
// writes (about 1.6 KB less to download, brotli) and rewrites the `integrity`
// hashes trunk put in index.html to match. Runs in trunk's staging folder.
import { readFileSync, writeFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { transformSync } from "esbuild";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("minify-glue: TRUNK_STAGING_DIR is not set; run through trunk.");
  process.exit(2);
}
if (process.env.TRUNK_PROFILE !== "release") process.exit(0);

const sri = (bytes) => "sha384-" + createHash("sha384").update(bytes).digest("base64");
const htmlPath = join(dir, "index.html");
let html = readFileSync(htmlPath, "utf8");
for (const f of readdirSync(dir).filter((f) => f.endsWith(".js"))) {
  const path = join(dir, f);
  const before = readFileSync(path);
  const after = Buffer.from(transformSync(before.toString("utf8"), { minify: true, format: "esm", target: "es2020" }).code);
  writeFileSync(path, after);
  const old = sri(before);
  if (html.includes(old)) html = html.replaceAll(old, sri(after));
  console.log(`minify-glue: ${f} ${before.length} -> ${after.length} bytes`);
}
writeFileSync(htmlPath, html);
