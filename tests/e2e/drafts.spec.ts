import { test, expect, type Page } from "./fixtures";
import { asStaticHost, expectFocusOnHeading, expectNoAxeViolations, exportJsonl } from "./helpers";

const KEPT = "Your answers so far are saved on this device, so you can carry on where you left off.";
const CLEARED = "Your answers have been cleared from this device.";
const draft = (page: Page) => page.evaluate(() => localStorage.getItem("feedback-form:draft"));

/** Answers the first page and part of the second, leaving the person on the last page with text typed. */
async function answerSome(page: Page, text: string) {
  await page.goto("/");
  await page.getByRole("button", { name: "Start now" }).click();
  await page.getByLabel("Phone calls").check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.locator("#main-heading")).toHaveText("How well it worked for you");
  await page.goto("/#/page/what-next");
  await page.locator("#q-keep").fill(text);
}

test("answers in progress survive a reload and a closed tab, on the same page", async ({ page, context }) => {
  await answerSome(page, "Keep the phone calls");
  await page.reload();
  await expect(page.locator("#q-keep")).toHaveValue("Keep the phone calls");

  // A closed tab: a new one, later, on the same device.
  await page.close();
  const again = await context.newPage();
  await again.goto("/");
  await expect(again.getByRole("status").filter({ hasText: KEPT })).toBeVisible();
  await expectNoAxeViolations(again, "start page with answers kept");
  await again.goto("/#/check");
  await expect(again.locator("#main-heading")).toHaveText("Check your answers");
  await expect(again.locator("main")).toContainText("Phone calls");
  await expect(again.locator("main")).toContainText("Keep the phone calls");

  // Sending forgets the draft: the next person starts with nothing.
  await again.locator("#send").click();
  await expect(again.locator("#main-heading")).toHaveText("Thank you. Your answers have been sent");
  expect(await draft(again)).toBeNull();
  await again.goto("/#/page/your-support");
  await expect(again.getByLabel("Phone calls")).not.toBeChecked();
  expect(exportJsonl().filter((r) => r.answers.keep === "Keep the phone calls").length).toBeGreaterThanOrEqual(1);
});

test("Clear my answers asks first, then removes them from the form and the device", async ({ page }) => {
  await answerSome(page, "Something private");
  const clear = page.getByRole("button", { name: "Clear my answers" });
  await clear.click();
  const question = page.locator("#clear-question");
  await expect(question).toBeFocused();
  await expect(page.getByRole("group", { name: "Clear your answers from this device? You cannot get them back." })).toBeVisible();
  await expectNoAxeViolations(page, "asked whether to clear");

  // No: nothing changes, and focus goes back to the button.
  await page.getByRole("button", { name: "No, keep them" }).click();
  await expect(clear).toBeFocused();
  await expect(page.locator("#q-keep")).toHaveValue("Something private");
  expect(await draft(page)).toContain("Something private");

  // Yes: gone, here and on the device.
  await clear.click();
  await page.getByRole("button", { name: "Yes, clear my answers" }).click();
  await expectFocusOnHeading(page, /Tell us about/);
  await expect(page.getByRole("status").filter({ hasText: CLEARED })).toBeVisible();
  await expect(page.getByRole("button", { name: "Clear my answers" })).toHaveCount(0);
  expect(await draft(page)).toBeNull();
  await expectNoAxeViolations(page, "start page after clearing");
  await page.goto("/#/page/your-support");
  await expect(page.getByLabel("Phone calls")).not.toBeChecked();
  await page.reload();
  await page.goto("/#/page/what-next");
  await expect(page.locator("#q-keep")).toHaveValue("");
});

test("on a shared device (drafts off in config.json) nothing is kept, and an old draft is forgotten", async ({ page }) => {
  await answerSome(page, "From the person before");
  expect(await draft(page)).toContain("From the person before");
  await asStaticHost(page);
  await page.route("**/config.json", async (route) => {
    const config = await (await route.fetch()).json();
    await route.fulfill({ json: { ...config, drafts: false } });
  });
  await page.reload();
  await expect(page.locator("#q-keep")).toHaveValue("");
  expect(await draft(page)).toBeNull();
  await page.locator("#q-keep").fill("Not to be kept");
  expect(await draft(page)).toBeNull();
  // The button still clears what is on the screen.
  await expect(page.getByRole("button", { name: "Clear my answers" })).toBeVisible();
});

test("Exit this page forgets the answers in progress too", async ({ page, context }) => {
  await page.route("https://www.bbc.co.uk/**", (r) => r.fulfill({ contentType: "text/html", body: "<!doctype html><title>Weather</title>" }));
  await answerSome(page, "Nobody else should see this");
  await page.getByRole("button", { name: "Emergency Exit this page" }).click();
  await expect(page).toHaveURL(/bbc/);
  const fresh = await context.newPage();
  await fresh.goto("/#/page/what-next");
  await expect(fresh.locator("#q-keep")).toHaveValue("");
  expect(await draft(fresh)).toBeNull();
});

const DAY_MS = 24 * 60 * 60 * 1000;

/** Puts a draft on the device before the app's first load (once per tab), as the app writes it (model/src/draft.rs). */
async function seedDraft(page: Page, savedMs: number, keep: string) {
  const json = JSON.stringify({ form: "remote-support", version: "2026-11-23", saved_ms: savedMs, answers: { keep } });
  await page.addInitScript((json) => {
    if (sessionStorage.getItem("draft-seeded")) return;
    sessionStorage.setItem("draft-seeded", "1");
    localStorage.setItem("feedback-form:draft", json);
  }, json);
}

const savedMs = async (page: Page) => JSON.parse((await draft(page)) ?? "null")?.saved_ms;

test("a draft's 7 days count from its last change: opening, reloading or changing language does not restart them", async ({ page }) => {
  const sixDaysAgo = Date.now() - 6 * DAY_MS;
  await seedDraft(page, sixDaysAgo, "Written six days ago");
  await page.goto("/#/page/what-next");
  await expect(page.locator("#q-keep")).toHaveValue("Written six days ago");
  await page.reload();
  await expect(page.locator("#q-keep")).toHaveValue("Written six days ago");
  await page.goto("/");
  await expect(page.getByRole("status").filter({ hasText: KEPT })).toBeVisible();
  const nav = page.locator("nav.language-picker"); // named in the page's language
  await nav.getByRole("link", { name: "Cymraeg" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "cy");
  await nav.getByRole("link", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.waitForTimeout(500); // room for a write, if one were made
  expect(await savedMs(page)).toBe(sixDaysAgo);

  // A real change is kept, and its 7 days start now.
  await page.goto("/#/page/what-next");
  await page.locator("#q-keep").fill("Changed today");
  await expect.poll(() => savedMs(page)).toBeGreaterThan(Date.now() - 60_000);
  expect(await draft(page)).toContain("Changed today");
});

test("a draft left for more than 7 days is forgotten", async ({ page }) => {
  await seedDraft(page, Date.now() - 8 * DAY_MS, "Written eight days ago");
  await page.goto("/#/page/what-next");
  await expect(page.locator("#main-heading")).toBeVisible();
  await expect(page.locator("#q-keep")).toHaveValue("");
  await expect.poll(() => draft(page)).toBeNull();
  await page.goto("/");
  await expect(page.locator("#main-heading")).toHaveText(/Tell us about/);
  await expect(page.getByRole("status").filter({ hasText: KEPT })).toHaveCount(0);
});
