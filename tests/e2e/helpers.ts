import { expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { execFileSync } from "node:child_process";
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

/** The screens of a journey, for checks that apply to every one. */
export async function eachScreen(page: Page, check: (name: string) => Promise<void>) {
  await page.goto("/");
  await check("start page");
  await page.getByRole("button", { name: "Start now" }).click();
  await page.getByLabel("Phone calls").check();
  await check("question page");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.locator("#main-heading")).toHaveText("How well it worked for you");
  await check("scale page");
  await page.goto("/#/page/what-next");
  await page.getByLabel("What should stay the way it is now?").fill("x".repeat(1001));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.locator("#error-summary")).toBeFocused();
  await check("error summary");
  await page.getByLabel("What should stay the way it is now?").fill("Phone calls"); // or Send would come back here
  await page.goto("/#/check");
  await expect(page.locator("#main-heading")).toHaveText("Check your answers");
  await check("check your answers");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.locator("#main-heading")).toHaveText("Thank you. Your answers have been sent");
  await check("confirmation");
}

