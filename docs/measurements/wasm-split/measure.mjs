#!/usr/bin/env node
// The sizes for measure.sh: every file of the baseline and of the split build, raw and brotli (quality 11, as
// scripts/size.mjs), as a Markdown table.   node docs/measurements/wasm-split/measure.mjs /tmp/wasm-split-measure
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";

const out = process.argv[2] ?? "/tmp/wasm-split-measure";
const size = (path) => {
  const bytes = readFileSync(path);
  return { raw: bytes.length, br: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length };
};
const n = (x) => x.toLocaleString("en");
const rows = [];
const row = (build, file, s, note = "") => rows.push(`| ${build} | \`${file}\` | ${n(s.raw)} | ${n(s.br)} | ${note} |`);

const base = { wasm: size(join(out, "base/app_bg.wasm")), js: size(join(out, "base/app.js")) };
row("baseline", "app_bg.wasm", base.wasm, "first load");
row("baseline", "app.js", base.js, "first load (wasm-bindgen's glue, before trunk's minifier)");

const sum = (...xs) => ({ raw: xs.reduce((a, x) => a + x.raw, 0), br: xs.reduce((a, x) => a + x.br, 0) });
const d = (a, b) => `${b - a >= 0 ? "+" : ""}${n(b - a)}`;
const totals = [];
for (const build of ["split", "split-questions"].filter((b) => existsSync(join(out, b)))) {
  const dir = join(out, build);
  const main = size(join(dir, "app_bg.wasm"));
  const glue = size(join(dir, "app.js"));
  const loader = size(join(dir, "__wasm_split.js"));
  row(build, "app_bg.wasm", main, "first load: the main module");
  row(build, "app.js", glue, "first load");
  row(build, "__wasm_split.js", loader, "first load: app.js imports it");
  const later = readdirSync(dir).filter((f) => /^(split|chunk)_.*\.wasm$/.test(f)).sort();
  let lazy = { raw: 0, br: 0 };
  for (const f of later) {
    const s = size(join(dir, f));
    lazy = sum(lazy, s);
    row(build, f, s, f.startsWith("chunk_") ? "shared by two or more splits" : "fetched when first called");
  }
  totals.push({ build, main, lazy, later: later.length, first: sum(main, glue, loader) });
}

console.log("| build | file | raw (bytes) | brotli (bytes) | |");
console.log("|---|---|---:|---:|---|");
for (const r of rows) console.log(r);
console.log();
console.log("| | raw (bytes) | brotli (bytes) | brotli vs baseline |");
console.log("|---|---:|---:|---:|");
const baseFirst = sum(base.wasm, base.js);
console.log(`| baseline WebAssembly | ${n(base.wasm.raw)} | ${n(base.wasm.br)} | |`);
console.log(`| baseline first load, wasm + glue | ${n(baseFirst.raw)} | ${n(baseFirst.br)} | |`);
for (const { build, main, lazy, later, first } of totals) {
  console.log(`| ${build}: main module (first load) | ${n(main.raw)} | ${n(main.br)} | ${d(base.wasm.br, main.br)} |`);
  console.log(`| ${build}: lazy modules and chunks (${later} files) | ${n(lazy.raw)} | ${n(lazy.br)} | |`);
  console.log(`| ${build}: all WebAssembly | ${n(main.raw + lazy.raw)} | ${n(main.br + lazy.br)} | ${d(base.wasm.br, main.br + lazy.br)} |`);
  console.log(`| ${build}: first load, wasm + glue + loader | ${n(first.raw)} | ${n(first.br)} | ${d(baseFirst.br, first.br)} |`);
}
