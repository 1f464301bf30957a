// The start page as the collector draws it (issue 10): its words are in the first HTML the browser
// receives, in the form's language or the one asked for, and the app takes that page over (hydrates)
// without drawing it again, moving it, or losing a tap made before it started.
import { test, expect } from "./fixtures";
import { asStaticHost, expectNoAxeViolations } from "./helpers";
import type { Page } from "@playwright/test";
import { readFileSync } from "node:fs";

const TITLE = "Tell us about the support you got";

/** Holds back the app's WebAssembly until `release()` is called. */
async function holdTheApp(page: Page) {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route("**/*.wasm", async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

/** Marks the server's `<h1>`, so a test can tell whether the app drew another in its place. */
const markHeading = (page: Page) =>
  page.evaluate(() => ((document.querySelector("h1") as any).drawnByServer = true));
const sameHeading = (page: Page) => page.evaluate(() => (document.querySelector("h1") as any)?.drawnByServer === true);
const appStarted = (page: Page) =>
  page.waitForFunction(() => document.documentElement.dataset.app === "started", null, { timeout: 15_000 });

test.describe("with JavaScript off", () => {
  test.use({ javaScriptEnabled: false });

  test("the start page's words, language and title are in the page the server sends", async ({ page }) => {
    await page.goto("/");
    await expect(page.locator("h1")).toHaveText(TITLE);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.locator("html")).toHaveAttribute("dir", "ltr");
    await expect(page).toHaveTitle(TITLE);
    await expect(page.getByText("This form is run by Local Voices Partnership (example).")).toBeVisible();
    await expect(page.locator("button.button--start")).toHaveText(/Start now/);
    await expect(page.getByText("Loading the form")).toHaveCount(0);
  });

  test("?lang=ar is drawn right to left, in Arabic", async ({ page }) => {
    await page.goto("/?lang=ar");
    await expect(page.locator("html")).toHaveAttribute("lang", "ar");
    await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
    await expect(page).toHaveTitle("رأيك في الدعم الذي حصلت عليه");
    await expect(page.locator('[aria-current="true"]')).toHaveText("العربية");
  });
});

test("the start page as the server drew it, before any app has run, passes axe in English and in Arabic", async ({ page }) => {
  // Held back for ever: what a browser with no WebAssembly shows (axe needs JavaScript to run).
  await holdTheApp(page);
  for (const [path, lang] of [["/", "en"], ["/?lang=ar", "ar"]]) {
    await page.goto(path, { waitUntil: "domcontentloaded" });
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    await expectNoAxeViolations(page, `the start page drawn by the server (${lang})`);
    expect(await page.evaluate(() => document.documentElement.dataset.app), "the app has not run").toBeUndefined();
  }
});

test("the app takes the drawn page over: the same heading, then easy read, a language and Start now work in place", async ({ page }) => {
  const release = await holdTheApp(page);
  await page.goto("/", { waitUntil: "domcontentloaded" });
  await expect(page.locator("h1")).toHaveText(TITLE);
  await markHeading(page);
  const box = await page.locator("h1").boundingBox();
  release();
  await appStarted(page);
  expect(await sameHeading(page), "the server's <h1> is the same element once the app has started").toBe(true);
  expect(await page.locator("h1").boundingBox(), "the heading has not moved").toEqual(box);
  await expect(page.locator("button.button--start")).toHaveCount(1);

  await page.locator("#easy-read-switch").click();
  await expect(page.locator("#easy-read-switch")).toHaveAttribute("aria-pressed", "true");
  expect(await sameHeading(page), "easy read changes the words, not the page").toBe(true);
  await page.locator("#easy-read-switch").click();
  await page.locator('a[hreflang="cy"]').click();
  await expect(page.locator("h1")).toHaveText("Dywedwch wrthym ni am y cymorth a gawsoch chi");
  await expect(page.locator("html")).toHaveAttribute("lang", "cy");
  expect(await sameHeading(page), "a language is switched in place").toBe(true);
  await page.locator("button.button--start").click();
  await expect(page).toHaveURL(/#\/page\/your-support$/);
  await expect(page.locator("legend, h1").first()).toHaveText("Eich cymorth");
});

test("a tap on Start now before the app has arrived is not lost", async ({ page }) => {
  const release = await holdTheApp(page);
  await page.goto("/", { waitUntil: "domcontentloaded" });
  await page.locator("button.button--start").click();
  release();
  await appStarted(page);
  await expect(page).toHaveURL(/#\/page\/your-support$/);
  await expect(page.locator("legend, h1").first()).toHaveText("Your support");
});

test("?lang=ar is taken over in Arabic, with the same heading", async ({ page }) => {
  const release = await holdTheApp(page);
  await page.goto("/?lang=ar", { waitUntil: "domcontentloaded" });
  await markHeading(page);
  release();
  await appStarted(page);
  expect(await sameHeading(page)).toBe(true);
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(page.locator('[aria-current="true"]')).toHaveText("العربية");
});

test("on a static host's page (nothing drawn in it) the app draws the start page itself", async ({ page }) => {
  await asStaticHost(page);
  await page.goto("/");
  await expect(page.locator("h1")).toHaveText(TITLE);
  await expect(page.locator("#boot-config")).toHaveCount(0);
});

test.describe("with no WebAssembly (as in Apple's Lockdown Mode)", () => {
  test.beforeEach(async ({ page }) => {
    await page.addInitScript(() => delete (globalThis as any).WebAssembly);
  });

  test("the drawn start page stays as it is, with no error", async ({ page }) => {
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("data-app", "failed");
    await expect(page.locator("h1")).toHaveText(TITLE);
    await expect(page.locator("button.button--start")).toBeVisible();
    await expect(page.getByText("Loading the form")).toHaveCount(0);
  });

  test("a static host's page says so in the form's own language, and links to pages with no app when config.json names them", async ({ page }) => {
    await asStaticHost(page);
    const config = JSON.parse(readFileSync("public/config.json", "utf8"));
    const form = JSON.parse(readFileSync("public/forms/remote-support.json", "utf8"));
    await page.route("**/config.json", (route) =>
      route.fulfill({ json: { ...config, pages_url: "https://feedback.example.org/" } }),
    );
    await page.route("**/forms/remote-support.json", (route) =>
      route.fulfill({ json: { ...form, languages: ["cy", "en", "ar"] } }),
    );
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("data-app", "failed");
    const status = page.getByRole("status");
    const cy = JSON.parse(readFileSync("public/locales/cy.json", "utf8"));
    await expect(status).toContainText(cy.cannot_start);
    await expect(status).toHaveAttribute("lang", "cy");
    await expect(status.getByRole("link", { name: cy.cannot_start_link })).toHaveAttribute("href", "https://feedback.example.org/");
  });

  test("a static host's page says plainly that the form cannot start, instead of loading for ever", async ({ page }) => {
    await asStaticHost(page);
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("data-app", "failed");
    await expect(page.getByRole("status")).toHaveText(
      "This form cannot start in this browser. Please ask the person who gave you the link for another way to answer.",
    );
  });
});
