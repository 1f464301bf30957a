#!/usr/bin/env node
// Brotli and gzip copies of the built app's text and WebAssembly files, for a server
// that sends them by the browser's Accept-Encoding (the collector does; README:
// "Putting the form on any static host"): `x.wasm` gets `x.wasm.br` and `x.wasm.gz`.
// Brotli at quality 11 (as scripts/size.mjs measures), gzip at level 9, both from
// Node's own zlib. A copy that is not smaller than its file is not written.
//
//   node scripts/compress.mjs              trunk post_build hook (release builds): compresses $TRUNK_STAGING_DIR
//   node scripts/compress.mjs dist         compresses dist/ again, after a file in it was edited by hand
//                                          (the collector sends no copy older than its file)
//   node scripts/compress.mjs --check dist checks dist/: each text or WASM file has both copies, each
//                                          decompressing to exactly that file (a copy is left out only
//                                          where it would not be smaller), and no copy lacks its file
//
// As a hook it must run after scripts/minify-glue.mjs has rewritten the JS and the page,
// which Trunk.toml makes sure of (trunk starts the hooks of one stage all at once).
import { readFileSync, writeFileSync, readdirSync, existsSync, rmSync } from "node:fs";
import { join, extname, relative } from "node:path";
import { brotliCompressSync, brotliDecompressSync, gzipSync, gunzipSync, constants } from "node:zlib";

/** The extensions of files that compress: text, and WebAssembly. Pictures in PNG are compressed already. */
const COMPRESSIBLE = new Set([
  ".html", ".js", ".mjs", ".css", ".json", ".webmanifest", ".svg", ".wasm", ".txt", ".xml", ".map",
]);

const ENCODINGS = [
  { ext: ".br", compress: (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }), decompress: brotliDecompressSync },
  { ext: ".gz", compress: (b) => gzipSync(b, { level: 9 }), decompress: gunzipSync },
];

/** Every file under `dir`, as paths joined to it. */
function files(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .sort();
}

const args = process.argv.slice(2);
if (args[0] === "--check") {
  const dist = args[1] ?? "dist";
  if (!existsSync(join(dist, "index.html"))) {
    console.error(`compress: ${dist}/index.html not found; build first (trunk build --release --offline).`);
    process.exit(2);
  }
  const problems = [];
  let checked = 0;
  const all = files(dist);
  const present = new Set(all);
  for (const path of all) {
    const copyOf = ENCODINGS.find((e) => path.endsWith(e.ext));
    if (copyOf) {
      if (!present.has(path.slice(0, -copyOf.ext.length))) problems.push(`${path}: no file beside it that it is a copy of`);
      continue;
    }
    if (!COMPRESSIBLE.has(extname(path))) continue;
    const bytes = readFileSync(path);
    for (const e of ENCODINGS) {
      const copy = path + e.ext;
      if (!present.has(copy)) {
        // Left out is right only where the copy would not be smaller.
        if (e.compress(bytes).length < bytes.length) problems.push(`${copy}: missing`);
        continue;
      }
      let back;
      try {
        back = e.decompress(readFileSync(copy));
      } catch (err) {
        problems.push(`${copy}: does not decompress (${err.message})`);
        continue;
      }
      if (!back.equals(bytes)) problems.push(`${copy}: decompresses to something other than ${relative(dist, path)}`);
      else checked++;
    }
  }
  if (problems.length) {
    console.error(`compress: FAILED: ${problems.length} problem(s) in ${dist}:\n  ${problems.join("\n  ")}`);
    process.exit(1);
  }
  console.log(`compress: ${checked} brotli and gzip copies in ${dist}, each decompressing to its file; none missing.`);
  process.exit(0);
}

const dir = args[0] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("compress: no folder given and TRUNK_STAGING_DIR is not set; run through trunk, or name the folder.");
  process.exit(2);
}
// As a hook, release builds only: a debug build's WASM is many megabytes, and `trunk serve`
// sends it uncompressed anyway.
if (!args[0] && process.env.TRUNK_PROFILE !== "release") process.exit(0);

let raw = 0, written = 0, br = 0;
for (const path of files(dir)) {
  if (!COMPRESSIBLE.has(extname(path))) continue;
  const bytes = readFileSync(path);
  raw += bytes.length;
  for (const e of ENCODINGS) {
    const copy = e.compress(bytes);
    if (copy.length < bytes.length) {
      writeFileSync(path + e.ext, copy);
      written++;
      if (e.ext === ".br") br += copy.length;
    } else {
      rmSync(path + e.ext, { force: true });
      if (e.ext === ".br") br += bytes.length;
    }
  }
}
console.log(`compress: ${written} copies written; text and WASM ${(raw / 1000).toFixed(1)} KB, ${(br / 1000).toFixed(1)} KB as sent with brotli.`);
