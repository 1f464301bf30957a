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

test("someone walks away: a warning takes focus after the quiet time, \"I'm still here\" keeps the answers, and letting it run out clears them", async ({ page }, info) => {
  await setUpSession(page, `walk away ${info.project.name}`);
  await page.getByRole("button", { name: "Start the form for the next person" }).click();
  await expect(page.locator("#main-heading")).toBeFocused();
  // The page's clock, so that minutes pass at once (the product's own times, not a test setting).
  await page.clock.install();
  await page.locator(".button--start").click();
  await page.locator("#q-ways-2").check();

  await page.clock.fastForward("02:50");
  await expect(page.locator("dialog.still-there")).toHaveCount(0);
  await page.clock.fastForward("00:15");
  const dialog = page.getByRole("dialog", { name: "Are you still there?" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "I'm still here" })).toBeFocused();
  await expect(dialog).toContainText("Nothing has been sent.");
  await expect(dialog.locator("[aria-live]")).toHaveText(/cleared in (60|59) seconds/);
  await expectNoAxeViolations(page, "the warning before clearing");
  await page.clock.fastForward("00:30");
  await expect(dialog.locator("[aria-hidden=true]")).toHaveText(/cleared in 3\d seconds/);
  // Said to screen readers at 40 seconds (every 20), not every second.
  await expect(dialog.locator("[aria-live]")).toHaveText(/cleared in (40|3\d) seconds/);
  await page.keyboard.press("Enter"); // "I'm still here", by keyboard
  await expect(dialog).toHaveCount(0);
  await expect(page.locator("#q-ways-2")).toBeChecked();
  await expect(page.locator("#q-ways-2")).toBeFocused(); // focus goes back where it was

  // Again, and this time nobody answers.
  await page.clock.fastForward("03:05");
  await expect(dialog).toBeVisible();
  await page.clock.fastForward("01:01");
  await expect(page.locator("#main-heading")).toHaveText("Tell us about the support you got");
  await page.locator(".button--start").click();
  await expect(page.locator("#q-ways-2")).not.toBeChecked();
  expect(exportJsonl().filter((r) => r.context?.session === `walk away ${info.project.name}`)).toEqual([]);
});

test("no warning and no shared-device script on a personal phone", async ({ page }) => {
  const requested: string[] = [];
  page.on("request", (r) => requested.push(new URL(r.url()).pathname));
  await page.clock.install();
  await page.goto("/");
  await page.locator(".button--start").click();
  await page.locator("#q-ways-2").check();
  await page.clock.fastForward("10:00");
  await expect(page.locator("dialog")).toHaveCount(0);
  await expect(page.locator("#q-ways-2")).toBeChecked();
  expect(requested.filter((p) => p.startsWith("/shared/"))).toEqual([]);
});

test("the facilitator screen needs the PIN, wrong PINs lock it for a minute, and the PIN is kept only as a salted hash", async ({ page }) => {
  await setUpSession(page, "PIN test");
  const stored = await page.evaluate(() => localStorage.getItem("feedback-form:pin")!);
  expect(stored).not.toContain(PIN);
  const kept = JSON.parse(stored);
  expect(kept.iterations).toBeGreaterThanOrEqual(600000);
  expect(atob(kept.salt)).toHaveLength(16);
  expect(atob(kept.hash)).toHaveLength(32);

  await page.getByRole("button", { name: "Start the form for the next person" }).click();
  await page.clock.install();
  await page.goto("/#/facilitator");
  await expect(page.locator("#facilitator h1")).toHaveText("Enter the facilitator PIN");
  await expect(page.locator("#facilitator")).not.toContainText("Waiting to be sent");
  await expectNoAxeViolations(page, "facilitator PIN");
  for (let left = 4; left >= 1; left--) {
    await page.getByLabel("PIN").fill("0000");
    await page.keyboard.press("Enter");
    await expect(page.locator(".error-summary")).toContainText(`${left} more tr`);
    await expect(page.locator(".error-summary")).toBeFocused();
  }
  await page.getByLabel("PIN").fill("0000");
  await page.keyboard.press("Enter");
  await expect(page.locator(".error-summary")).toContainText("Too many wrong PINs");
  // Locked: even the right PIN, even after a reload.
  await page.reload();
  await expect(page.locator(".error-summary")).toContainText("Too many wrong PINs");
  await page.getByLabel("PIN").fill(PIN);
  await page.keyboard.press("Enter");
  await expect(page.locator(".error-summary")).toContainText("Too many wrong PINs");
  await expect(page.locator("#facilitator")).not.toContainText("Waiting to be sent");
  await page.clock.fastForward("01:01");
  await page.getByLabel("PIN").fill(PIN);
  await page.keyboard.press("Enter");
  await expect(page.locator("#facilitator h1")).toHaveText("PIN test");
  await expect(page.locator("#facilitator")).toContainText("Waiting to be sent");
});
