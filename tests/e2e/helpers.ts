import { expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { collector, database } from "../../playwright.config";

/** axe-core with the WCAG 2.0, 2.1 and 2.2 A and AA rules: no violations on this screen. */
export async function expectNoAxeViolations(page: Page, screen: string) {
  // From the top of the screen, as a person arrives at it: otherwise what the
  // sticky "Exit this page" bar happens to overlap depends on where a test scrolled.
  await page.evaluate(() => window.scrollTo(0, 0));
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"])
    .analyze();
  const found = results.violations.map(
    (v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
  expect(found, `axe violations on ${screen}`).toEqual([]);
  // A check that looked at nothing proves nothing.
  expect(results.passes.length, `axe ran rules on ${screen}`).toBeGreaterThan(5);
}

/** After a page change, focus is on the new page's heading. */
export async function expectFocusOnHeading(page: Page, heading: string | RegExp) {
  const h1 = page.locator("#main-heading");
  await expect(h1).toHaveText(heading);
  await expect(h1).toBeFocused();
}

/** Stored submissions, read back through the receiving server's own export. */
export function exportJsonl(): any[] {
  const out = execFileSync(collector, ["export", "--db", database, "--format", "jsonl"], { encoding: "utf8" });
  return out.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l));
}

export function exportCsv(): string {
  return execFileSync(collector, ["export", "--db", database, "--format", "csv", "--form", "remote-support"], {
    encoding: "utf8",
  });
}

/** Every request the page makes goes to the app's own origin: no third parties. */
export function recordOrigins(page: Page): Set<string> {
  const origins = new Set<string>();
  page.on("request", (r) => origins.add(new URL(r.url()).origin));
  return origins;
}

/** The languages the default form ships in. */
export const LANGUAGES = ["en", "cy", "ar"] as const;

/**
 * The screens of a journey, for checks that apply to every one, in any of the
 * form's languages. It finds things by id and role, not by English words, so the
 * same walk works in Welsh and Arabic.
 */
export async function eachScreen(page: Page, check: (name: string) => Promise<void>, lang = "en") {
  const base = lang === "en" ? "/" : `/?lang=${lang}`;
  const submit = page.locator("form.question-page button[type=submit]");
  await page.goto(base);
  await expect(page.locator("html")).toHaveAttribute("lang", lang);
  await expect(page.locator("html")).toHaveAttribute("dir", lang === "ar" ? "rtl" : "ltr");
  await check(`${lang} start page`);
  await page.locator(".button--start").click();
  await page.locator("#q-ways-2").check(); // phone calls
  await check(`${lang} question page`);
  await submit.click();
  await expect(page.locator("#q-rate_phone")).toBeAttached();
  await check(`${lang} scale page`);
  await page.goto(`${base}#/page/what-next`);
  await page.locator("#q-keep").fill("x".repeat(1001));
  await submit.click();
  await expect(page.locator("#error-summary")).toBeFocused();
  await check(`${lang} error summary`);
  await page.locator("#q-keep").fill("Phone calls"); // or Send would come back here
  await page.goto(`${base}#/check`);
  await expect(page.locator("#send")).toBeVisible();
  await check(`${lang} check your answers`);
  await page.locator("#send").click();
  await expect(page.locator(".panel__title")).toBeFocused();
  await check(`${lang} confirmation`);
}

/**
 * The outbox as the app keeps it on the device: one record in IndexedDB
 * (`feedback-form` database, `outbox` store), or `{ entries: [] }` if there is none.
 */
export function storedOutbox(page: Page): Promise<{ entries: any[]; lease?: unknown }> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("feedback-form", 1);
        open.onupgradeneeded = () => open.result.createObjectStore("outbox");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const get = db.transaction("outbox").objectStore("outbox").get("outbox");
          get.onerror = () => reject(get.error);
          get.onsuccess = () => {
            db.close();
            resolve(get.result === undefined ? { entries: [] } : JSON.parse(get.result));
          };
        };
      }),
  );
}

/**
 * Serves the page as trunk built it (`dist/index.html`), as any static host would, instead of the
 * page the collector draws with `config.json` and the form inside it: the app then fetches those
 * files, so a test can change them with `page.route`. (The collector reads its own files for each
 * page it draws; `collector/tests/server_pages.rs` tests that.)
 */
export async function asStaticHost(page: Page) {
  const built = readFileSync("dist/index.html", "utf8");
  await page.route(/^[^#]*\/(index\.html)?(\?[^#]*)?$/, (route) =>
    route.request().resourceType() === "document" ? route.fulfill({ contentType: "text/html", body: built }) : route.fallback(),
  );
}

/**
 * Answers the default form up to Check your answers (in person, the pages' defaults), with `marker` as the last
 * answer, on the collector at `origin` (the shared one when empty).
 */
export async function answerUpToCheck(page: Page, marker: string, origin = "") {
  await page.goto(`${origin}/`);
  // A tab opened from the context, not the test's own page: wait for the app as the fixture does.
  await expect(page.locator("html")).toHaveAttribute("data-app", "started");
  await page.getByRole("button", { name: "Start now" }).click();
  await page.getByLabel("In person").check();
  for (let i = 0; i < 5; i++) await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.locator("#main-heading")).toHaveText("Anything else");
  await page.getByLabel("Is there anything else you want to tell us?").fill(marker);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.locator("#main-heading")).toHaveText("Check your answers");
}
