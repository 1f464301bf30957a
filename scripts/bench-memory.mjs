#!/usr/bin/env node
// Long sessions stay lean: one page, person after person, as on a peer
// researcher's tablet. Answers and sends the default form BENCH_COUNT (default
// 100) times in a row through the UI with no reload, and compares the page's
// memory after the last person with after the first: the JavaScript heap
// (Runtime.getHeapUsage after a forced garbage collection), the WebAssembly
// memory (its buffer's size, which only ever grows), and the DOM's nodes and
// listeners (Memory.getDOMCounters). Prints each figure beside its first value as
// a ratio; exits 1 if the JS heap or the WebAssembly memory grew by more than
// 10%, or if a submission is missing.
//
// The JS heap is checked without V8's compiled code (the heap snapshot's "code"
// nodes: machine code, its metadata and type feedback), which is printed beside
// it. As functions get hot, V8's optimising compilers add their code to the heap
// (about 300 KB over the first 50 people here, then flat): a cache bounded by the
// size of the app's JavaScript, not something a long session piles up. With them
// off (`--js-flags="--no-opt --no-maglev"`) the whole heap grows 2% by the 25th
// person and then not at all (2762, 2818, then 2819 KB after 50, 75 and 100).
//
//   node scripts/bench-memory.mjs
//   BENCH_COUNT=20 node scripts/bench-memory.mjs

import { chromium } from "@playwright/test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromiumArgs as args, executablePath, exportRows, sleep, startCollector, stopCollector } from "./bench-common.mjs";

const COUNT = Number(process.env.BENCH_COUNT ?? 100);

const dir = mkdtempSync(join(tmpdir(), "bench-memory-"));
const db = join(dir, "feedback.sqlite");
let server;
let browser;
let failed = false;

function fail(message) {
  console.error(`memory: FAILED: ${message}`);
  failed = true;
}

try {
  let origin;
  ({ server, origin } = await startCollector({ db }));

  browser = await chromium.launch({ executablePath, args });
  const context = await browser.newContext({ viewport: { width: 768, height: 1024 } });
  // trunk's loader announces the WebAssembly's exports; keep its memory to measure.
  await context.addInitScript(() => {
    addEventListener("TrunkApplicationStarted", (e) => (globalThis.__benchWasmMemory = e.detail?.wasm?.memory));
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const cdp = await context.newCDPSession(page);
  let loads = 0;
  page.on("load", () => loads++);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));

  // V8's compiled code in the heap: the self sizes of a heap snapshot's "code" nodes.
  async function compiledCode() {
    const chunks = [];
    const keep = (e) => chunks.push(e.chunk);
    cdp.on("HeapProfiler.addHeapSnapshotChunk", keep);
    await cdp.send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
    cdp.off("HeapProfiler.addHeapSnapshotChunk", keep);
    const { snapshot, nodes } = JSON.parse(chunks.join(""));
    const fields = snapshot.meta.node_fields;
    const [type, size, code] = [fields.indexOf("type"), fields.indexOf("self_size"), snapshot.meta.node_types[0].indexOf("code")];
    let bytes = 0;
    for (let i = 0; i < nodes.length; i += fields.length) if (nodes[i + type] === code) bytes += nodes[i + size];
    return bytes;
  }

  async function measure() {
    for (let i = 0; i < 3; i++) await cdp.send("HeapProfiler.collectGarbage");
    const { usedSize } = await cdp.send("Runtime.getHeapUsage");
    const code = await compiledCode();
    const dom = await cdp.send("Memory.getDOMCounters");
    const wasm = await page.evaluate(() => globalThis.__benchWasmMemory?.buffer.byteLength ?? 0);
    return { heap: usedSize, code, js: usedSize - code, wasm, nodes: dom.nodes, listeners: dom.jsEventListeners };
  }

  await page.goto(`${origin}/`);
  const heading = page.locator("#main-heading");
  const start = "Tell us about the support you got";
  await heading.filter({ hasText: start }).waitFor();
  const run = `memory-${Date.now()}`;
  const figures = {};
  const began = Date.now();
  for (let person = 1; person <= COUNT; person++) {
    await page.getByRole("button", { name: "Start now" }).click();
    await page.getByLabel("In person").check();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("group", { name: "How well did in-person support work for you?" }).getByLabel("Well", { exact: true }).check();
    for (let i = 0; i < 8 && (await heading.textContent()) !== "Anything else"; i++) {
      const before = (await heading.textContent()) ?? "";
      await page.getByRole("button", { name: "Continue" }).click();
      await page.waitForFunction((b) => document.querySelector("#main-heading")?.textContent !== b, before);
    }
    await page.getByLabel("Is there anything else you want to tell us?").fill(`${run}-${person}`);
    await page.getByRole("button", { name: "Continue" }).click();
    await heading.filter({ hasText: "Check your answers" }).waitFor();
    await page.getByRole("button", { name: "Send" }).click();
    await heading.filter({ hasText: "Thank you. Your answers have been sent" }).waitFor();
    await page.getByRole("link", { name: /Answer the form again/ }).click();
    await heading.filter({ hasText: start }).waitFor();
    if (person === 1 || person === Math.ceil(COUNT / 2) || person === COUNT) figures[person] = await measure();
  }
  const minutes = ((Date.now() - began) / 60_000).toFixed(1);
  const first = figures[1];
  const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
  console.log(`memory: ${COUNT} people answered and sent on one page in ${minutes} min (${loads} page load)`);
  for (const [what, key, show] of [
    ["JS heap (after GC)", "heap", kb],
    ["  V8's compiled code", "code", kb],
    ["  without it", "js", kb],
    ["WebAssembly memory", "wasm", kb],
    ["DOM nodes", "nodes", String],
    ["JS event listeners", "listeners", String],
  ]) {
    const row = Object.entries(figures).map(([p, f]) => `after ${p}: ${show(f[key])}`).join(", ");
    const ratio = first[key] ? (figures[COUNT][key] / first[key]).toFixed(3) : "n/a";
    console.log(`memory: ${what.padEnd(20)} ${row}; last/first = ${ratio}`);
  }
  if (!first.wasm) fail("the WebAssembly memory could not be read (trunk's TrunkApplicationStarted event)");
  for (const key of ["js", "wasm"]) {
    const what = key === "js" ? "the JS heap without compiled code" : "the WebAssembly memory";
    if (figures[COUNT][key] > first[key] * 1.1) fail(`${what} grew by more than 10% (${figures[COUNT][key]} from ${first[key]})`);
  }
  if (loads !== 1) fail(`the page was loaded ${loads} times`);
  if (errors.length) fail(`page errors: ${errors.slice(0, 3).join(" | ")}`);
  await sleep(500);
  const ours = exportRows(db).filter((r) => String(r.answers?.anything_else ?? "").startsWith(`${run}-`));
  if (ours.length !== COUNT) fail(`the database holds ${ours.length} of the ${COUNT} submissions`);
} catch (e) {
  fail(e.message ?? String(e));
} finally {
  await browser?.close().catch(() => {});
  await stopCollector(server);
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
