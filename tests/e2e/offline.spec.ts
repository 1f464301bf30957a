import { test, expect, fault, type Page } from "./fixtures";
import { exportJsonl, expectNoAxeViolations } from "./helpers";

// These tests are about the service worker, so they let it run (the others block it).
test.use({ serviceWorkers: "allow" });

/** The paths the service worker keeps for use with no connection. */
const kept = (page: Page) =>
  page.evaluate(async () => {
    const cache = await caches.open("feedback-form");
    return (await cache.keys()).map((r) => new URL(r.url).pathname).sort();
  });

/** Visits once, and waits until the service worker has kept every file the form needs. */
async function visitOnce(page: Page) {
  await page.goto("/");
  await expect(page.getByRole("button", { name: "Start now" })).toBeVisible();
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  // Named in the page's loader, where the service worker finds them too.
  const scripts = [...(await page.content()).matchAll(/"\.\/([\w.-]+\.(?:js|wasm))"/g)].map((m) => `/${m[1]}`);
  expect(scripts.some((s) => s.endsWith(".wasm")) && scripts.some((s) => s.endsWith(".js")), "the page names its script and WebAssembly").toBe(true);
  const needed = [
    "/", "/config.json", "/forms/remote-support.json",
    "/forms/remote-support.cy.json", "/locales/cy.json", "/forms/remote-support.ar.json", "/locales/ar.json",
    "/pictures/face-ok.svg", "/manifest.webmanifest", ...scripts,
  ];
  await expect.poll(() => kept(page), { timeout: 20_000 }).toEqual(expect.arrayContaining(needed));
  // Only the app's own files: no answers, no API replies.
  expect((await kept(page)).filter((p) => p.startsWith("/api/"))).toEqual([]);
}

test("after one visit, the form opens and is answered with no connection, and the answers go when it returns", async ({ page, context, problems }, info) => {
  problems.expect(fault("api/submissions", "ERR_INTERNET_DISCONNECTED"), "the network is turned off");
  await visitOnce(page);
  await context.setOffline(true);

  const opened = await page.goto("/");
  expect(opened?.fromServiceWorker(), "the page came from the service worker").toBe(true);
  await page.getByRole("button", { name: "Start now" }).click();
  await page.getByLabel("In person").check();
  for (let i = 0; i < 5; i++) await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.locator("#main-heading")).toHaveText("Anything else");
  const marker = `offline-first-${info.project.name}-${Date.now()}`;
  await page.getByLabel("Is there anything else you want to tell us?").fill(marker);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.locator("#main-heading")).toHaveText("Check your answers");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.locator("#main-heading")).toHaveText("Thank you. Your answers are saved");
  await expect(page.getByText("Your answers are saved on this device and will be sent when you're back online.")).toBeVisible();
  await expectNoAxeViolations(page, "saved with no connection");
  expect(exportJsonl().filter((r) => r.answers.anything_else === marker)).toHaveLength(0);

  await context.setOffline(false);
  await expect(page.locator("#main-heading")).toHaveText("Thank you. Your answers have been sent", { timeout: 15_000 });
  const stored = exportJsonl().filter((r) => r.answers.anything_else === marker);
  expect(stored).toHaveLength(1);
  expect(stored[0].answers.ways).toEqual(["in_person"]);
});

test("with no connection, the form opens in another of its languages, with its pictures", async ({ page, context }) => {
  await visitOnce(page);
  await context.setOffline(true);
  await page.goto("/?lang=cy");
  await expect(page.locator("html")).toHaveAttribute("lang", "cy");
  await expect(page.locator("#language-current")).toBeVisible();
  await expect(page.locator(".button--start")).not.toHaveText("Start now");
  await page.goto("/?lang=ar#/page/rating");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await page.locator(".button--start").click();
  await page.locator("#q-ways-2").check();
  await page.locator("form.question-page button[type=submit]").click();
  const faces = page.locator("img[src$='face-ok.svg']");
  await expect(faces.first()).toBeVisible();
  await expect.poll(() => faces.first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { message: "the picture loaded offline" }).toBe(true);
});

/** The page the service worker keeps, as text. */
const keptPage = (page: Page) =>
  page.evaluate(async () => {
    const kept = await (await caches.open("feedback-form")).match(new URL("./", location.href).href);
    return kept ? kept.text() : "";
  });

test("a new version replaces the kept one only when all its files have arrived", async ({ page, context }) => {
  await visitOnce(page);
  const original = await keptPage(page);
  expect(original).toContain("_bg.wasm");

  // A new version is deployed, but its script cannot be fetched (a bad connection, or a
  // half-finished upload): the kept set must stay whole.
  const root = new URL("/", page.url()).href;
  let broken = 0;
  await context.route(root, async (route) => {
    broken++;
    const html = (await (await route.fetch()).text()).replaceAll("feedback-form-", "feedback-form-missing-");
    await route.fulfill({ contentType: "text/html", body: html });
  });
  // This server answers an unknown address with the page (200, text/html), as many hosts do.
  let missing = 0;
  await context.route("**/feedback-form-missing-*", async (route) => {
    missing++;
    await route.continue();
  });
  await page.reload();
  await expect.poll(() => broken, { message: "the service worker fetched the new page" }).toBeGreaterThan(0);
  await expect.poll(() => missing, { message: "and tried its script" }).toBeGreaterThan(0);
  await page.waitForTimeout(500); // room for the refresh to finish (and fail)
  expect(await keptPage(page)).toBe(original);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole("button", { name: "Start now" })).toBeVisible();
  await context.setOffline(false);

  // A whole new version replaces it.
  await context.unroute(root);
  await context.route(root, async (route) => {
    const html = (await (await route.fetch()).text()).replace("</head>", "<meta name=version content=two></head>");
    await route.fulfill({ contentType: "text/html", body: html });
  });
  await page.reload();
  await expect.poll(() => keptPage(page)).toContain("content=two");
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole("button", { name: "Start now" })).toBeVisible();
  await expect(page.locator("meta[name=version]")).toHaveAttribute("content", "two");
});
