import { test, expect, fault, type Page } from "./fixtures";
import { exportJsonl, expectFocusOnHeading, expectNoAxeViolations } from "./helpers";

// A peer researcher's tablet: one device, person after person (public/shared/shared.js, src/services/shared.rs).

const PIN = "482916";

/** Makes this browser's device a shared one: a PIN, then a session with this label. */
async function setUpSession(page: Page, label: string, code = "") {
  await page.goto("/#/facilitator");
  await expect(page.locator("#facilitator h1")).toHaveText("Set up this device for peer research sessions");
  await expect(page.locator("#facilitator h1")).toBeFocused();
  await page.getByLabel("Choose a PIN").fill(PIN);
  await page.getByLabel("Type the PIN again").fill(PIN);
  await page.getByRole("button", { name: "Save the PIN" }).click();
  await expect(page.getByRole("heading", { name: "Start a session" })).toBeVisible();
  await page.getByLabel("Session name").fill(label);
  if (code) await page.getByLabel("Facilitator code (optional)").fill(code);
  await page.getByRole("button", { name: "Start the session" }).click();
  await expect(page.locator("#facilitator h1")).toHaveText(label);
}

/** One person's answers, from the start page to Send; `words` is their "anything else". */
async function answer(page: Page, words: string) {
  await page.locator(".button--start").click();
  await page.locator("#q-ways-2").check();
  const submit = page.locator("form.question-page button[type=submit]");
  for (let i = 0; i < 5; i++) {
    if (await page.locator("#q-anything_else").isVisible()) break;
    await submit.click();
  }
  await page.locator("#q-anything_else").fill(words);
  await submit.click();
  await page.locator("#send").click();
  await expect(page.locator("#next-person h2")).toBeVisible();
}

/** What this device keeps outside the outbox: localStorage (but the PIN's hash and the session) and IndexedDB's other stores. */
const keptOutsideOutbox = (page: Page) =>
  page.evaluate(async () => {
    const local = Object.keys(localStorage).filter((k) => !["feedback-form:pin", "feedback-form:session"].includes(k));
    const dbs = (await indexedDB.databases()).map((d) => d.name);
    return { local, dbs };
  });

test("a session on a shared device: each person's answers carry the session, and nothing of one reaches the next", async ({ page }, info) => {
  const label = `Leeds drop-in ${info.project.name} ${Date.now()}`;
  await setUpSession(page, label, "PR-7");
  await expectNoAxeViolations(page, "facilitator screen");
  await page.getByRole("button", { name: "Start the form for the next person" }).click();
  await expect(page.locator("#main-heading")).toHaveText("Tell us about the support you got");
  await expect(page.locator("#main-heading")).toBeFocused();

  const first = `first person ${label}`;
  await page.goto("/?lang=cy");
  await expect(page.locator("html")).toHaveAttribute("lang", "cy");
  await answer(page, first);
  await expectNoAxeViolations(page, "hand the device back (cy)");
  await page.locator("#next-person .button:not(.button--secondary)").click();

  // The next person: a clean start page, in the form's first language, with focus on its heading.
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.locator("#main-heading")).toHaveText("Tell us about the support you got");
  await expect(page.locator("#main-heading")).toBeFocused();
  expect(page.url()).not.toContain("lang=");
  await expect(page.locator("body")).not.toContainText(first);
  expect(await keptOutsideOutbox(page)).toEqual({ local: [], dbs: ["feedback-form"] });
  // Back cannot reach the last person's pages: there is no earlier entry of this app's.
  const before = page.url();
  await page.goBack().catch(() => {});
  expect(page.url() === before || !page.url().startsWith(new URL(before).origin) || page.url().endsWith("#/facilitator")).toBe(true);

  await expect.poll(() => exportJsonl().filter((r) => r.answers.anything_else === first).length, { timeout: 15_000 }).toBe(1);
  const row = exportJsonl().find((r) => r.answers.anything_else === first);
  expect(row.language).toBe("cy");
  expect(row.context).toEqual({ shared_device: true, session: label, facilitator: "PR-7" });
});
