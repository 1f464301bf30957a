#!/usr/bin/env node
// A page the collector drew on a split screen, taken over by the split build: answers up to Check your answers
// with no app (each button a POST the collector answers with the next page), then that last page's HTML served to
// a browser with the app, which must take it over (hydrate) with Check your answers behind its split point.
// With `page` after the address: stops at the first question page instead (for split-questions).
//   node docs/measurements/wasm-split/hydrate.mjs http://127.0.0.1:8941/ [page]   (the collector serving the split dist)
import { chromium } from "playwright";

const url = process.argv[2] ?? "http://127.0.0.1:8941/";
const atPage = process.argv[3] === "page";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
const noApp = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
let html = null;
noApp.on("response", async (r) => r.request().resourceType() === "document" && (html = await r.text().catch(() => html)));
await noApp.goto(url);
await noApp.getByRole("button", { name: "Start now" }).click();
if (!atPage) {
  await noApp.getByLabel("In person").check();
  for (let i = 0; i < 5; i++) await noApp.getByRole("button", { name: "Continue" }).click();
  await noApp.getByLabel("Is there anything else you want to tell us?").fill("wasm-split hydrate");
  await noApp.getByRole("button", { name: "Continue" }).click();
}
console.log("no app, the collector drew:", await noApp.locator("#main-heading").textContent());
await noApp.waitForTimeout(500);

const page = await browser.newPage();
const problems = [], fetched = [];
page.on("console", (m) => ["error", "warning"].includes(m.type()) && problems.push(`${m.type()}: ${m.text()}`));
page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
page.on("requestfinished", (r) => /\.wasm$/.test(r.url()) && fetched.push(new URL(r.url()).pathname.split("/").pop()));
// The drawn page, as the answer to the app's first request for the page.
let served = false;
await page.route(url, (route) => (served ? route.continue() : ((served = true), route.fulfill({ status: 200, contentType: "text/html", body: html }))));
await page.goto(url);
const started = await page.waitForSelector("html[data-app]", { timeout: 20_000 }).then(() => page.evaluate(() => document.documentElement.dataset.app)).catch((e) => `no data-app (${e.message.split("\n")[0]})`);
await page.waitForTimeout(2000);
console.log("with the app: data-app =", started, "| heading:", await page.locator("#main-heading").textContent().catch(() => null),
  "| Send buttons:", await page.getByRole("button", { name: "Send" }).count(), "| headings h1:", await page.locator("h1").count());
if (atPage) {
  // The question page taken over: the app answers and moves on without a POST.
  const on = await page.getByLabel("In person").check({ timeout: 5000 }).then(() => page.getByRole("button", { name: "Continue" }).click())
    .then(() => page.waitForFunction((h) => document.querySelector("#main-heading")?.textContent !== h, "How did you get support?", { timeout: 10_000 }))
    .then(() => "moved on").catch((e) => `FAIL ${e.message.split("\n")[0]}`);
  console.log("Continue:", on, "| heading:", await page.locator("#main-heading").textContent().catch(() => null));
}
const send = atPage ? "(not tried)" : await page.getByRole("button", { name: "Send" }).first().click({ timeout: 5000 }).then(() => page.waitForSelector(".panel--confirmation", { timeout: 10_000 })).then(() => "confirmation shown").catch((e) => `FAIL ${e.message.split("\n")[0]}`);
console.log("Send:", send, "| heading:", await page.locator("#main-heading").textContent().catch(() => null));
console.log("wasm fetched:", fetched.join(" "));
console.log(problems.length ? `console:\n  ${problems.join("\n  ")}` : "console: no errors or warnings");
await browser.close();
