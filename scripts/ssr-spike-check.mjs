// SPIKE (docs/ssr-design.md): opens a page the collector drew, with JavaScript off and on, and says what
// a person sees: the start page's heading, <html lang dir>, the title; with JavaScript on, whether the app
// took the page over (easy read toggles, the language picker switches in place, Start now moves on) and
// any console error or warning (a hydration mismatch names the node it found).
//   node scripts/ssr-spike-check.mjs http://127.0.0.1:PORT/
import { chromium } from "playwright";

const url = process.argv[2];
const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH || "/usr/bin/chromium" });
let failed = false;
for (const js of [false, true]) {
  const ctx = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 375, height: 740 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on("console", async (m) => {
    if (m.type() !== "error" && m.type() !== "warning") return;
    if (m.text().includes("`integrity` attribute is currently ignored")) return; // Chromium's note on trunk's preload
    let node = "";
    const args = m.args();
    if (args.length >= 2) {
      node = await args[1]
        .evaluate((n) => (n && (n.outerHTML || n.nodeName + ":" + JSON.stringify(n.textContent)))?.slice(0, 160))
        .catch(() => "");
    }
    errors.push(`${m.type()}: ${m.text().split("\n")[0]} ${node}`);
  });
  page.on("pageerror", (e) => errors.push("pageerror: " + e.message));
  await page.goto(url);
  const h1 = await page.locator("h1").textContent();
  const html = await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir, document.title]);
  console.log(`JavaScript ${js ? "on" : "off"}: h1 ${JSON.stringify(h1)}; <html lang dir> and title: ${html.join(" | ")}`);
  if (js) {
    const started = await page
      .waitForFunction(() => window.wasmBindings !== undefined, null, { timeout: 15000 })
      .then(() => true, () => false);
    await page.waitForTimeout(500);
    console.log(`  app started: ${started}; start buttons ${await page.locator("a.button--start").count()}, headings ${await page.locator("h1").count()}`);
    await page.locator("#easy-read-switch").click();
    console.log(`  easy read after a tap: aria-pressed=${await page.locator("#easy-read-switch").getAttribute("aria-pressed")}`);
    await page.locator("#easy-read-switch").click();
    await page.locator('a[hreflang="cy"]').click();
    await page.waitForTimeout(800);
    const cy = await page.evaluate(() => [document.documentElement.lang, location.search]);
    console.log(`  after Cymraeg: h1 ${JSON.stringify(await page.locator("h1").textContent())}; ${cy.join(" ")}`);
    await page.locator("a.button--start").click();
    await page.waitForTimeout(500);
    console.log(`  after Start now: ${page.url().replace(/^.*?(#|\?)/, "$1")}; h1/legend ${JSON.stringify(await page.locator("h1, legend").first().textContent())}`);
  }
  console.log(`  console: ${errors.length ? errors.join("\n    ") : "nothing"}`);
  failed ||= errors.length > 0;
  await ctx.close();
}
// Taken over in place: the heading drawn by the server is the same node after the app starts, and
// a tap on Start now before the WebAssembly has arrived is not lost.
{
  const ctx = await browser.newContext({ viewport: { width: 375, height: 740 } });
  const page = await ctx.newPage();
  let release;
  const held = new Promise((r) => (release = r));
  await page.route("**/*.wasm", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(url, { waitUntil: "domcontentloaded" });
  await page.evaluate(() => (document.querySelector("h1").drawnByServer = true));
  release();
  await page.waitForFunction(() => window.wasmBindings !== undefined, null, { timeout: 15000 });
  await page.waitForTimeout(300);
  const same = await page.evaluate(() => document.querySelector("h1").drawnByServer === true);
  console.log(`taken over in place: the server's <h1> is the same node after the app started: ${same}`);
  failed ||= !same;
  await ctx.close();
}
{
  const ctx = await browser.newContext({ viewport: { width: 375, height: 740 } });
  const page = await ctx.newPage();
  let release;
  const held = new Promise((r) => (release = r));
  await page.route("**/*.wasm", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(url, { waitUntil: "domcontentloaded" });
  await page.locator("a.button--start").click();
  release();
  await page.waitForFunction(() => window.wasmBindings !== undefined, null, { timeout: 15000 });
  await page.waitForTimeout(500);
  const where = page.url().replace(/^[^#]*/, "");
  const heading = await page.locator("h1, legend").first().textContent();
  console.log(`Start now tapped before the app arrived: ${where}, showing ${JSON.stringify(heading)}`);
  failed ||= !where.startsWith("#/page/");
  await ctx.close();
}
// In another language, asked for by ?lang=: drawn in it by the server, and taken over in it.
for (const js of [false, true]) {
  const ctx = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 375, height: 740 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on("console", (m) => {
    if ((m.type() === "error" || m.type() === "warning") && !m.text().includes("`integrity` attribute")) errors.push(m.text().split("\n")[0]);
  });
  page.on("pageerror", (e) => errors.push("pageerror: " + e.message));
  await page.goto(new URL("?lang=ar", url).href, { waitUntil: "domcontentloaded" });
  await page.evaluate(() => (document.querySelector("h1").drawnByServer = true));
  if (js) {
    await page.waitForFunction(() => window.wasmBindings !== undefined, null, { timeout: 15000 });
    await page.waitForTimeout(500);
  }
  const [lang, dir, title, same] = await page.evaluate(() => [
    document.documentElement.lang, document.documentElement.dir, document.title, document.querySelector("h1").drawnByServer === true,
  ]);
  const current = await page.locator('[aria-current="true"]').textContent();
  console.log(`?lang=ar, JavaScript ${js ? "on" : "off"}: ${lang} ${dir}, title ${JSON.stringify(title)}, picker current ${JSON.stringify(current)}, same <h1>: ${same}; console: ${errors.join("; ") || "nothing"}`);
  failed ||= lang !== "ar" || dir !== "rtl" || !same || errors.length > 0;
  await ctx.close();
}
await browser.close();
process.exit(failed ? 1 : 0);
