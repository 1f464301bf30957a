#!/usr/bin/env node
// Does the split build run? Opens the app in headless Chromium, answers up to Check your answers (its own module),
// sends (the confirmation's module), opens it in Welsh (the language module), and reports console errors and which split modules were fetched.
//   node docs/measurements/wasm-split/smoke.mjs http://127.0.0.1:8931/
import { chromium } from "playwright";

const url = process.argv[2] ?? "http://127.0.0.1:8931/";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
const page = await browser.newPage();
const problems = [], fetched = [];
page.on("console", (m) => (m.type() === "error" || m.type() === "warning") && problems.push(`${m.type()}: ${m.text()}`));
page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
page.on("response", (r) => r.status() >= 400 && problems.push(`${r.status()} ${new URL(r.url()).pathname}`));
page.on("requestfinished", (r) => /\.wasm$/.test(r.url()) && fetched.push(new URL(r.url()).pathname.split("/").pop()));
const step = async (name, f) => {
  try { await f(); console.log(`ok   ${name}  (wasm fetched so far: ${fetched.length})`); }
  catch (e) { console.log(`FAIL ${name}: ${e.message.split("\n")[0]}`); }
};
const heading = () => page.locator("#main-heading").textContent({ timeout: 10_000 });
await step("start page, app started", async () => {
  await page.goto(url);
  await page.waitForSelector("html[data-app=started]", { timeout: 20_000 });
  console.log("     heading:", await heading());
});
await step("answers up to Check your answers", async () => {
  await page.getByRole("button", { name: "Start now" }).click();
  await page.getByLabel("In person").check();
  for (let i = 0; i < 5; i++) await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Is there anything else you want to tell us?").fill("wasm-split smoke");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForFunction(() => document.querySelector("#main-heading")?.textContent === "Check your answers", null, { timeout: 10_000 });
  console.log("     heading:", await heading());
});
await step("send, confirmation", async () => {
  await page.getByRole("button", { name: "Send" }).click();
  await page.waitForSelector(".panel--confirmation", { timeout: 10_000 });
  console.log("     heading:", await heading());
});
await step("another language by ?lang=cy (its own module)", async () => {
  const before = await heading();
  await page.goto(new URL("?lang=cy", url).href);
  await page.waitForSelector("html[data-app=started]", { timeout: 20_000 });
  await page.waitForFunction((b) => document.querySelector("#main-heading")?.textContent !== b && document.documentElement.lang === "cy", before, { timeout: 10_000 });
  console.log("     heading:", await heading(), " lang:", await page.evaluate(() => document.documentElement.lang));
});
console.log("wasm fetched:", fetched.join(" "));
console.log(problems.length ? `console:\n  ${problems.join("\n  ")}` : "console: no errors or warnings");
await browser.close();
