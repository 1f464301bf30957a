#!/usr/bin/env node
// trunk post_build hook (release builds): minifies the JS glue that wasm-bindgen
// writes (about 1.6 KB less to download, brotli), and the shared device's script, and rewrites the `integrity`
// hashes trunk put in index.html to match. Runs in trunk's staging folder.
// It also drops wasm-streams' three classes (IntoUnderlyingSource, …ByteSource, …Sink)
// from the glue, whose WASM side index.html's `--remove-exports` already removes:
// nothing can make one, and each method would call a WASM export that is gone.
// -344 bytes brotli of the glue (issue 11). Left as they are if the glue does not
// have the expected shape (a newer wasm-bindgen): only the saving is lost.
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
const streamClasses = /export class (IntoUnderlying\w+) \{\n[\s\S]*?\n\}\nif \(Symbol\.dispose\) \1\.prototype\[Symbol\.dispose\] = \1\.prototype\.free;\n/g;
const streamRegistries = /const IntoUnderlying\w+Finalization = \(typeof FinalizationRegistry === 'undefined'\)\n.*\n.*\n/g;
const withoutStreams = (js) => {
  const out = js.replace(streamClasses, "").replace(streamRegistries, "");
  return out.includes("IntoUnderlying") ? js : out;
};
for (const f of readdirSync(dir).filter((f) => f.endsWith(".js"))) {
  const path = join(dir, f);
  const before = readFileSync(path);
  const text = before.toString("utf8");
  const js = withoutStreams(text);
  // Tree shaking (what only the classes used) in the glue alone: it is a module.
  const options = { minify: true, format: "esm", target: "es2020", ...(js !== text && { treeShaking: true }) };
  const after = Buffer.from(transformSync(js, options).code);
  writeFileSync(path, after);
  const old = sri(before);
  if (html.includes(old)) html = html.replaceAll(old, sri(after));
  console.log(`minify-glue: ${f} ${before.length} -> ${after.length} bytes`);
}
writeFileSync(htmlPath, html);

// The shared device's script (public/shared/shared.js, a module with a top-level await) and the embedded
// form's (public/embed/frame.js, a module), loaded by import(), and the partner's loader (embed/embed.js,
// a classic script): no integrity hash names them. shared.js 7.7 -> about 4 KB brotli.
for (const [file, format] of [["shared/shared.js", "esm"], ["stamp.js", "esm"], ["seal.js", "esm"], ["embed/frame.js", "esm"], ["embed/embed.js", undefined]]) {
  const path = join(dir, file);
  try {
    const before = readFileSync(path);
    const after = transformSync(before.toString("utf8"), { minify: true, format, target: "es2022" }).code;
    writeFileSync(path, after);
    console.log(`minify-glue: ${file} ${before.length} -> ${after.length} bytes`);
  } catch (e) {
    if (e.code !== "ENOENT") throw e;
  }
}
