// The whole form with no app (issue 11): JavaScript off, or WebAssembly removed as Apple's Lockdown
// Mode removes it. Every screen is a page the collector draws from the app's own components, each
// button posts the page's form to the form's one address, the answers so far travel in hidden fields
// (no cookie, no session, nothing in the address), and Send stores them once.
//
// The default form has no required question (its start page promises that any question can be
// skipped), so the error summary is shown by the model's other checks: "I'd rather not say" ticked
// with another service, and an answer over its length. A required answer left out is covered by the
// model's and the collector's tests (`model/src/carried.rs`, `collector/tests/server_pages.rs`).
import { test, expect } from "./fixtures";
import { exportJsonl, expectNoAxeViolations } from "./helpers";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "@playwright/test";

const json = (path: string) => JSON.parse(readFileSync(join(__dirname, "../../public", path), "utf8"));
const ui: Record<string, Record<string, string>> = {
  en: json("locales/en.json"),
  cy: json("locales/cy.json"),
  ar: json("locales/ar.json"),
};
const LANGUAGES = ["en", "cy", "ar"] as const;
const TEXT = "Phone was easier when I had no bus fare. <b>not bold</b> & “quoted”";

const continueButton = (page: Page) => page.locator("form.question-page button[type=submit]");
const box = (page: Page, question: string, value: string) =>
  page.locator(`input[name="q-${question}"][value="${value}"]`);
/** The id of the set of answers, as the page carries it. */
const carriedId = (page: Page) => page.locator('input[name="carry-id"]').first().getAttribute("value");

/**
 * The default form from its start page to the confirmation, by its buttons only, in `lang`:
 * an error summary, skip logic, Check your answers with a Change, and Send. `screen` runs on each
 * screen reached. Returns the submission's id.
 */
async function answerTheForm(page: Page, lang: string, screen: (name: string) => Promise<void> = async () => {}) {
  await page.goto(lang === "en" ? "/" : `/?lang=${lang}`);
  await expect(page.locator("html")).toHaveAttribute("lang", lang);
  await expect(page.locator("html")).toHaveAttribute("dir", lang === "ar" ? "rtl" : "ltr");
  await expect(page.getByText(ui[lang].loading)).toHaveCount(0);
  await screen("the start page");
  await page.locator("button.button--start").click();

  // Page 1: "I'd rather not say" with another service is a problem, shown in an error summary.
  await expect(page.locator("form.question-page")).toBeVisible();
  await screen("page 1");
  await box(page, "services", "housing").check();
  await box(page, "services", "prefer_not_to_say").check();
  await box(page, "ways", "phone").check();
  await continueButton(page).click();
  const summary = page.locator(".error-summary");
  await expect(summary).toBeVisible();
  await expect(summary.getByRole("link")).toHaveAttribute("href", "#q-services");
  await expect(page).toHaveTitle(new RegExp(`^${ui[lang].error_prefix}`));
  // What was ticked is shown as ticked, to be put right.
  await expect(box(page, "services", "prefer_not_to_say")).toBeChecked();
  await expect(box(page, "ways", "phone")).toBeChecked();
  await screen("page 1 with its error summary");
  await box(page, "services", "prefer_not_to_say").uncheck();
  await continueButton(page).click();

  // Skip logic: only the phone rating, of the four.
  await expect(page.locator('input[name="q-rate_phone"]')).toHaveCount(5);
  await expect(page.locator('input[name="q-rate_video"]')).toHaveCount(0);
  await expect(page.locator(".error-summary")).toHaveCount(0);
  await screen("the ratings page");
  await page.locator('input[name="q-rate_phone"][value="3"]').check(); // the fourth point: 4
  await continueButton(page).click();

  // On through the pages to Check your answers, typing on the last.
  for (let i = 0; i < 6 && !(await page.locator("#send").count()); i++) {
    await expect(page.locator("form.question-page, #send").first()).toBeVisible();
    if (await page.locator('textarea[name="q-anything_else"]').count()) {
      await page.locator('textarea[name="q-anything_else"]').fill(TEXT);
    }
    await continueButton(page).click();
    await expect(page.locator("#main-heading")).toBeVisible();
  }
  await expect(page.locator("#send")).toBeVisible();
  await expect(page).toHaveTitle(new RegExp(`^${ui[lang].check_title}`));
  await expect(page.locator(".summary-list__value").filter({ hasText: "not bold" })).toHaveText(TEXT);
  await screen("Check your answers");

  // Change the ways: video too. The video rating's page was already shown (for phone), so, as in
  // the app, Continue goes straight back to Check your answers, with the video rating unanswered.
  await page.locator('button[name="do"][value="change-0"]').first().click();
  await expect(box(page, "ways", "phone")).toBeChecked();
  await expect(box(page, "services", "housing")).toBeChecked();
  await box(page, "ways", "video").check();
  await continueButton(page).click();
  await expect(page.locator("#send")).toBeVisible();
  // Back from Check your answers: the last page, with what was typed on it.
  await page.locator("button.back-link").click();
  await expect(page.locator('textarea[name="q-anything_else"]')).toHaveValue(TEXT);
  await continueButton(page).click();
  await expect(page.locator("#send")).toBeVisible();

  const id = await carriedId(page);
  await page.locator("#send").click();
  await expect(page.locator(".panel--confirmation")).toBeVisible();
  await expect(page.locator("#main-heading")).toHaveText(ui[lang].sent_title);
  await screen("the confirmation");
  return id!;
}

/** The one stored row of `id`, with exactly the answers the journey gave. */
function expectStoredOnce(id: string, lang: string) {
  const rows = exportJsonl().filter((r) => r.submission_id === id);
  expect(rows, "stored once").toHaveLength(1);
  expect(rows[0].language).toBe(lang);
  expect(rows[0].answers).toEqual({
    services: ["housing"],
    ways: ["phone", "video"],
    rate_phone: 4,
    anything_else: TEXT,
  });
}

async function expectNoCookie(context: BrowserContext) {
  expect(await context.cookies(), "no cookie").toEqual([]);
}

test.describe("with JavaScript off", () => {
  test.use({ javaScriptEnabled: false });

  for (const lang of LANGUAGES) {
    test(`a person answers the whole form in ${lang} and it is stored once, with no cookie`, async ({ page, context }) => {
      const addresses: string[] = [];
      page.on("framenavigated", (f) => f === page.mainFrame() && addresses.push(new URL(f.url()).pathname));
      const id = await answerTheForm(page, lang);
      expectStoredOnce(id, lang);
      await expectNoCookie(context);
      // Every screen at the form's one address: no answer, and no screen, in the browser's history.
      expect(new Set(addresses)).toEqual(new Set(["/"]));
    });
  }

  test("Back keeps the answers given; easy read and Exit this page work as plain HTML", async ({ page }) => {
    await page.goto("/");
    await page.locator("#easy-read-switch").click();
    await expect(page.locator("#easy-read-switch")).toHaveAttribute("aria-pressed", "true");
    await page.locator("button.button--start").click();
    await expect(page.getByText("Who helped you?")).toBeVisible(); // the easy read words
    await box(page, "ways", "messaging").check();
    await continueButton(page).click();
    await expect(page.locator('input[name="q-rate_messaging"]')).toHaveCount(5);
    await page.locator("button.back-link").click();
    await expect(box(page, "ways", "messaging")).toBeChecked();
    await expect(page.getByText("Who helped you?")).toBeVisible();
    await expect(page.locator(".exit-this-page a")).toHaveAttribute("href", /^https:/);
    // "Clear my answers" asks before clearing, which needs the app: not offered without it.
    await expect(page.locator(".clear-answers")).toBeHidden();
  });
});

test.describe("with no WebAssembly (JavaScript on)", () => {
  test.beforeEach(async ({ page }) => {
    await page.addInitScript(() => delete (globalThis as any).WebAssembly);
  });

  test("the same journey completes, and no screen ever says it is loading", async ({ page, context }) => {
    const id = await answerTheForm(page, "en", async () => {
      await expect(page.locator("html")).toHaveAttribute("data-app", "failed");
      await expect(page.getByText(ui.en.loading)).toHaveCount(0);
    });
    expectStoredOnce(id, "en");
    await expectNoCookie(context);
  });

  test("the honeypot: a person never meets it, and a program that fills it is told its answers were sent, but nothing is stored", async ({ page }) => {
    await page.goto("/");
    const trap = page.locator('input[name="carry-website"]').first();
    await expect(trap).toBeHidden(); // not drawn, so not focusable and not in the accessibility tree
    expect(await page.locator('input[name="carry-website"]').count(), "in every form of the page").toBeGreaterThan(0);
    await page.locator("button.button--start").click();
    await box(page, "services", "housing").check();
    for (let i = 0; i < 8 && !(await page.locator("#send").count()); i++) {
      await continueButton(page).click();
      await expect(page.locator("#main-heading")).toBeVisible();
    }
    const id = (await carriedId(page))!;
    // What a program filling in every field it finds would do.
    await page.locator('form:has(#send) input[name="carry-website"]').evaluate((el) => ((el as HTMLInputElement).value = "http://spam.example"));
    await page.locator("#send").click();
    await expect(page.locator("h1")).toHaveText(ui.en.sent_title);
    expect(exportJsonl().filter((r) => r.submission_id === id), "nothing stored").toHaveLength(0);
  });

  test("Exit this page leaves as the app would, and the form's address and Back leave again", async ({ page }) => {
    const neutral = "https://www.bbc.co.uk/weather";
    await page.route("https://www.bbc.co.uk/**", (r) => r.fulfill({ contentType: "text/html", body: "<title>Weather</title><h1>Weather</h1>" }));
    await page.goto("/");
    await page.locator("button.button--start").click();
    await box(page, "ways", "phone").check();
    await expect(page.locator("html")).toHaveAttribute("data-app", "failed");
    const before = await page.evaluate(() => history.length);
    await page.locator(".exit-this-page a").click();
    await expect(page).toHaveURL(neutral);
    // The page was replaced, not added to: Back goes to the page before the form's question…
    expect(await page.evaluate(() => history.length), "no history entry added").toBe(before);
    await page.goBack();
    // …which, being the form's, leaves again at once, before any app could.
    await expect(page).toHaveURL(neutral);
    await page.goto("/", { waitUntil: "commit" });
    await expect(page).toHaveURL(neutral);
    await expect(page.locator("h1")).toHaveText("Weather");
  });
});

test.describe("every server page, as a browser with no app shows it", () => {
  // axe needs JavaScript to run, so the app's WebAssembly is held back for ever instead: the page
  // stays exactly as the server drew it, as with JavaScript off.
  test.beforeEach(async ({ page }) => {
    await page.route("**/*.wasm", () => new Promise(() => {}));
  });

  for (const lang of LANGUAGES) {
    test(`passes axe in ${lang}`, async ({ page }) => {
      let checked = 0;
      const id = await answerTheForm(page, lang, async (screen) => {
        expect(await page.evaluate(() => document.documentElement.dataset.app), "the app has not run").toBeUndefined();
        await expectNoAxeViolations(page, `${screen} (${lang}, no app)`);
        checked++;
      });
      expect(checked).toBe(6);
      expectStoredOnce(id, lang);
    });
  }

  test("Send pressed twice stores one row; a tampered answer is refused like any submission's", async ({ page, problems }) => {
    problems.expect(/422/, "the tampered page is refused with 422");
    await page.goto("/");
    await page.locator("button.button--start").click();
    await box(page, "ways", "in_person").check();
    for (let i = 0; i < 8 && !(await page.locator("#send").count()); i++) {
      await continueButton(page).click();
      await expect(page.locator("#main-heading")).toBeVisible();
    }
    const id = (await carriedId(page))!;
    // The same Send, twice, as a double tap or Back and Send again would post it.
    const form = await page.locator("#send").evaluate((button) => {
      const data = new FormData((button as HTMLButtonElement).form!, button as HTMLButtonElement);
      return new URLSearchParams(data as any).toString();
    });
    for (let i = 0; i < 2; i++) {
      const res = await page.request.post("/", {
        headers: { "content-type": "application/x-www-form-urlencoded" },
        data: form,
      });
      expect(res.status()).toBe(200);
      expect(await res.text()).toContain(ui.en.sent_title);
    }
    expect(exportJsonl().filter((r) => r.submission_id === id)).toHaveLength(1);

    // A carried answer changed in the page: the form's own checks refuse it, and nothing is stored.
    const tamperedId = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    await page.locator('form:has(#send) input[name="carry-id"]').evaluate((el, v) => ((el as HTMLInputElement).value = v), tamperedId);
    await page
      .locator('form:has(#send) input[name="carry-answers"]')
      .evaluate((el) => ((el as HTMLInputElement).value = '{"ways":["in_person"],"rate_in_person":7}'));
    await page.locator("#send").click();
    await expect(page.locator("h1")).toHaveText(ui.en.broken_title);
    await expect(page.locator(".error-page__problems")).toContainText("“rate_in_person” must be a whole number from 1 to 5");
    await expectNoAxeViolations(page, "the error page for a refused page (no app)");
    expect(exportJsonl().filter((r) => r.submission_id === tamperedId)).toHaveLength(0);
  });
});

test("a person who starts with JavaScript off and then has it on loses nothing: the app carries on from the page", async ({ browser, baseURL, page }) => {
  // Pages 1 and 2 with JavaScript off.
  const off = await browser.newContext({ javaScriptEnabled: false, baseURL });
  const before = await off.newPage();
  await before.goto("/");
  await before.locator("button.button--start").click();
  await box(before, "services", "justice").check();
  await box(before, "ways", "phone").check();
  await continueButton(before).click();
  await before.locator('input[name="q-rate_phone"][value="1"]').check();
  // What the browser posts again when the page this leads to is reloaded: this POST.
  const request = before.waitForRequest((r) => r.method() === "POST");
  await continueButton(before).click();
  const fields = new URLSearchParams((await request).postData()!);
  await expect(before.locator('input[name="q-speed"]').first()).toBeVisible();
  const id = fields.get("carry-id")!;
  await off.close();

  // The same page reloaded with JavaScript on: the browser posts those fields again.
  let posted = false;
  await page.route(
    (url) => url.pathname === "/",
    (route) => {
      if (posted || route.request().resourceType() !== "document") return route.continue();
      posted = true;
      const headers = { ...route.request().headers(), "content-type": "application/x-www-form-urlencoded" };
      return route.continue({ method: "POST", postData: fields.toString(), headers });
    },
  );
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("data-app", "started");
  await expect(page).toHaveURL(/#\/page\/getting-help$/);
  await expect(page.locator("#main-heading")).toHaveText("Getting help");
  // The app has the answers given with no app: Back shows them, and Check your answers lists them.
  await page.locator("button.back-link").click();
  await expect(page.locator('input[name="q-rate_phone"][value="1"]')).toBeChecked();
  await continueButton(page).click();
  for (let i = 0; i < 6 && !(await page.locator("#send").count()); i++) {
    await continueButton(page).click();
    await expect(page.locator("#main-heading")).toBeVisible();
  }
  await expect(page.locator(".summary-list__value").first()).toHaveText("Probation, prison or police");
  // Rows like these from earlier tests (the other screen size) are counted first.
  const like = () => exportJsonl().filter((r) => r.answers.services?.[0] === "justice" && r.answers.rate_phone === 2).length;
  const rowsBefore = like();
  await page.locator("#send").click();
  await expect(page.locator(".panel--confirmation")).toBeVisible();
  await expect.poll(like, { timeout: 15_000 }).toBe(rowsBefore + 1);
  // Sent by the app, under its own id: nothing was stored under the page's until now.
  expect(exportJsonl().filter((r) => r.submission_id === id)).toHaveLength(0);
});

test("a box ticked on a drawn page before the app has arrived is not lost: the app leaves that page, and takes over the next", async ({ page }) => {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route("**/*.wasm", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto("/", { waitUntil: "domcontentloaded" });
  await page.locator("button.button--start").click(); // before the app: the server draws page 1
  await box(page, "ways", "phone").check();
  release();
  await expect(page.locator("html")).toHaveAttribute("data-app", "declined");
  await expect(box(page, "ways", "phone")).toBeChecked();
  await continueButton(page).click(); // posted: the app has left this page to the server
  await expect(page.locator('input[name="q-rate_phone"]')).toHaveCount(5);
  await expect(page.locator("html")).toHaveAttribute("data-app", "started");
  await expect(page).toHaveURL(/#\/page\/how-well$/);
  await page.locator('input[name="q-rate_phone"][value="4"]').check();
  await continueButton(page).click();
  await expect(page).toHaveURL(/#\/page\/getting-help$/); // the app's own Continue now
});
