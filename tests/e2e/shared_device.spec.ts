import { test, expect, fault, type Page } from "./fixtures";
import { asStaticHost, exportJsonl, expectNoAxeViolations, LANGUAGES } from "./helpers";
import { collector, database } from "../../playwright.config";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

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

/** Continue, and wait for the next screen (its heading is another). */
async function next(page: Page) {
  const heading = page.locator("#main-heading");
  const before = await heading.textContent();
  await page.locator("form.question-page button[type=submit]").click();
  await expect(heading).not.toHaveText(before ?? "");
}

/** One person's answers, from the start page to Send; `words` is their "anything else". */
async function answer(page: Page, words: string) {
  await page.locator(".button--start").click();
  await page.locator("#q-ways-2").check();
  for (let i = 0; i < 5 && !(await page.locator("#q-anything_else").isVisible()); i++) await next(page);
  const submit = page.locator("form.question-page button[type=submit]");
  await page.locator("#q-anything_else").fill(words);
  await submit.click();
  await page.locator("#send").click();
  await expect(page.locator("#next-person h2")).toBeVisible();
}

/**
 * Lets the page finish what an action set off (a scroll into view fires its `scroll` event at the next frame,
 * which counts as someone there) before the page's clock is moved on.
 */
const settle = (page: Page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

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
  // The page's clock, so that minutes pass at once (the product's own times, not a test setting). Installed
  // before the first page, so that every timer the pages set is the clock's.
  await page.clock.install();
  await setUpSession(page, `walk away ${info.project.name}`);
  await page.getByRole("button", { name: "Start the form for the next person" }).click();
  await expect(page.locator("#main-heading")).toBeFocused();
  await page.locator(".button--start").click();
  await page.locator("#q-ways-2").check();
  await settle(page);

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
  await settle(page);

  // Again, and this time nobody answers.
  await page.clock.fastForward("03:05");
  await expect(dialog).toBeVisible();
  await page.clock.fastForward("01:01");
  await expect(page.locator("#main-heading")).toHaveText("Tell us about the support you got");
  await page.locator(".button--start").click();
  await expect(page.locator("#q-ways-2")).not.toBeChecked();
  expect(exportJsonl().filter((r) => r.context?.session === `walk away ${info.project.name}`)).toEqual([]);
});

test("someone walks away from the start page after going Back to it with answers: the same warning, then a clean start for the next person", async ({ page }, info) => {
  await page.clock.install();
  await setUpSession(page, `walk away from the start ${info.project.name}`);
  await page.getByRole("button", { name: "Start the form for the next person" }).click();
  await expect(page.locator("#main-heading")).toBeFocused();
  // A clean start page counts no quiet time that ends in a warning: nothing is held.
  await settle(page);
  await page.clock.fastForward("03:05");
  await expect(page.locator("dialog.still-there")).toHaveCount(0);

  await page.locator(".button--start").click();
  await page.locator("#q-ways-2").check();
  await page.locator(".back-link").click(); // Back to the start page, where the language picker is
  await expect(page.locator("#main-heading")).toHaveText("Tell us about the support you got");
  await expect(page.locator("#clear-answers")).toBeVisible(); // the answers are held
  await settle(page);

  await page.clock.fastForward("03:05");
  const dialog = page.getByRole("dialog", { name: "Are you still there?" });
  await expect(dialog).toBeVisible();
  await page.clock.fastForward("01:01");
  await expect(dialog).toHaveCount(0);
  await expect(page.locator("#main-heading")).toHaveText("Tell us about the support you got");
  await expect(page.locator("#clear-answers")).toHaveCount(0);
  await page.locator(".button--start").click();
  await expect(page.locator("#q-ways-2")).not.toBeChecked();
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
  await page.clock.install();
  await setUpSession(page, "PIN test");
  const stored = await page.evaluate(() => localStorage.getItem("feedback-form:pin")!);
  expect(stored).not.toContain(PIN);
  const kept = JSON.parse(stored);
  expect(kept.iterations).toBeGreaterThanOrEqual(600000);
  expect(atob(kept.salt)).toHaveLength(16);
  expect(atob(kept.hash)).toHaveLength(32);

  await page.getByRole("button", { name: "Start the form for the next person" }).click();
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

test.describe("with the service worker", () => {
  test.use({ serviceWorkers: "allow" });

  test("ten people in a row, offline the whole time, in three languages, with easy read on and off; then all ten are stored once each with their session", async ({ page, context, problems }, info) => {
    test.skip(info.project.name !== "tablet", "a session runs on a tablet");
    test.setTimeout(240_000);
    problems.expect(fault("api/submissions", "ERR_INTERNET_DISCONNECTED"), "the tablet is offline");
    const label = `ten people ${Date.now()}`;
    await page.goto("/");
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await setUpSession(page, label);
    await page.getByRole("button", { name: "Start the form for the next person" }).click();
    // The device keeps the shared-device files for use offline (the page is the service worker's now).
    const kept = () => page.evaluate(async () => (await (await caches.open("feedback-form")).keys()).map((r) => new URL(r.url).pathname));
    await expect.poll(kept, { timeout: 20_000 }).toEqual(expect.arrayContaining(["/shared/shared.js", "/shared/shared.css", "/shared/en.json", "/shared/cy.json", "/shared/ar.json"]));
    await context.setOffline(true);
    const entries = await page.evaluate(() => history.length);

    const people = Array.from({ length: 10 }, (_, i) => ({ lang: ["en", "cy", "ar"][i % 3], easy: i % 2 === 1, words: `person ${i + 1} of ${label}` }));
    let previous: string | null = null;
    for (const person of people) {
      // A clean start page: nothing of the last person, in the form's first language, easy read off.
      await expect(page.locator("#main-heading")).toBeFocused();
      await expect(page.locator("html")).toHaveAttribute("lang", "en");
      await expect(page.locator(".easy-read__switch")).toHaveAttribute("aria-pressed", "false");
      if (previous) await expect(page.locator("body")).not.toContainText(previous);
      expect(await page.evaluate(() => scrollY), "the new start page is at its top").toBe(0);
      expect(await keptOutsideOutbox(page)).toEqual({ local: [], dbs: ["feedback-form"] });
      expect(await page.evaluate(() => history.length), "no history entries of the last person's").toBe(entries);

      if (person.lang !== "en") {
        await page.locator(`.language-picker a[hreflang=${person.lang}]`).click();
        await expect(page.locator("html")).toHaveAttribute("lang", person.lang);
      }
      if (person.easy) {
        await page.locator(".easy-read__switch").click();
        await expect(page.locator(".easy-read__switch")).toHaveAttribute("aria-pressed", "true");
      }
      await answer(page, person.words);
      await expect(page.locator("#next-person")).toBeVisible();
      await page.locator("#next-person .next-person__buttons .button:not(.button--secondary)").click();
      previous = person.words;
    }
    // Back from the new start page does not reach the last person's pages.
    await page.goBack().catch(() => {});
    await expect(page.locator("body")).not.toContainText(previous!);

    expect(exportJsonl().filter((r) => r.context?.session === label)).toEqual([]);
    await context.setOffline(false);
    await page.goto("/");
    await expect.poll(() => exportJsonl().filter((r) => r.context?.session === label).length, { timeout: 60_000 }).toBe(10);
    const rows = exportJsonl().filter((r) => r.context?.session === label);
    for (const person of people) {
      const mine = rows.filter((r) => r.answers.anything_else === person.words);
      expect(mine, person.words).toHaveLength(1);
      expect(mine[0].language).toBe(person.lang);
      expect(mine[0].context).toEqual({ shared_device: true, session: label });
    }
  });
});

test("the facilitator screen counts what was sent, is waiting and was refused, through a dead endpoint, a refusal and a recovery; Send now sends; the saved file is imported once", async ({ page, problems }, info) => {
  problems.expect(fault("api/submissions", "ERR_FAILED"), "the endpoint is made unreachable");
  problems.expect(/status of 422/, "the endpoint is made to refuse one");
  const label = `counts ${info.project.name} ${Date.now()}`;
  await setUpSession(page, label);
  const row = (name: string) => page.locator(".summary-list__row", { hasText: name }).locator("dd");
  await expect(row("Answers sent in this session")).toHaveText("0");

  // A dead endpoint for one person's answers (they wait), and a refusal of the other's.
  await page.route("**/api/submissions", (r) =>
    (r.request().postData() ?? "").includes(`refused ${label}`)
      ? r.fulfill({ status: 422, contentType: "application/json", body: JSON.stringify({ error: "made up for the test" }) })
      : r.abort("failed"),
  );
  await page.getByRole("button", { name: "Start the form for the next person" }).click();
  await answer(page, `waiting ${label}`);
  await page.locator("#next-person .next-person__buttons .button:not(.button--secondary)").click();
  await answer(page, `refused ${label}`);
  await expect(page.locator("body")).not.toContainText("made up for the test"); // refusals are not shown to respondents
  await page.locator("#next-person .next-person__buttons .button:not(.button--secondary)").click();
  await expect(page.locator("#main-heading")).toBeFocused();
  await expect(page.locator("#refused-answers")).toHaveCount(0);

  await page.goto("/#/facilitator");
  await page.getByLabel("PIN").fill(PIN);
  await page.keyboard.press("Enter");
  await expect(row("Waiting to be sent")).toHaveText("1");
  await expect(row("Not accepted by the server")).toHaveText("1");
  await expect(row("Answers sent in this session")).toHaveText("0");
  await expect(row("Last reached the server")).toHaveText("Not yet");
  await expect(page.locator("#facilitator")).toContainText("made up for the test");
  await expectNoAxeViolations(page, "facilitator screen with waiting and refused answers");

  // The file: everything waiting and refused.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Save waiting answers to a file" }).click()]);
  const file = `target/e2e/waiting-${info.project.name}.json`;
  await download.saveAs(file);
  const saved = JSON.parse(readFileSync(file, "utf8"));
  expect(saved.map((s: any) => s.submission.answers.anything_else).sort()).toEqual([`refused ${label}`, `waiting ${label}`]);

  // Ending the session while one waits: warned first, and it can be kept.
  await page.getByRole("button", { name: "End the session" }).click();
  await expect(page.locator(".notice", { hasText: "1 answer is still waiting to be sent." })).toBeFocused();
  await page.getByRole("button", { name: "Keep the session" }).click();
  await expect(page.locator("#facilitator h1")).toHaveText(label);
  await expect(row("Space left on this device")).toHaveText(/MB$/);

  // Recovery: Send now sends the waiting one.
  await page.unroute("**/api/submissions");
  await page.getByRole("button", { name: "Send now" }).click();
  await expect(row("Answers sent in this session")).toHaveText("1", { timeout: 15_000 });
  await expect(row("Waiting to be sent")).toHaveText("0");
  await expect(row("Last reached the server")).not.toHaveText("Not yet");
  expect(exportJsonl().filter((r) => r.context?.session === label).map((r) => r.answers.anything_else)).toEqual([`waiting ${label}`]);

  // The saved file, handed in: the refused one is stored now (the real server takes it), the other was already there.
  const first = execFileSync(collector, ["import", file, "--db", database], { encoding: "utf8" });
  expect(first).toMatch(/1 new/);
  expect(first).toMatch(/1 duplicate/);
  const again = execFileSync(collector, ["import", file, "--db", database], { encoding: "utf8" });
  expect(again).toMatch(/0 new/);
  expect(again).toMatch(/2 duplicates/);
  expect(exportJsonl().filter((r) => r.context?.session === label)).toHaveLength(2);

  // Ending the session, warned while anything waits; nothing waits now.
  await page.getByRole("button", { name: "End the session" }).click();
  await expect(page.getByText("The session has ended.")).toBeVisible();
});

for (const lang of LANGUAGES) {
  test(`every shared-device screen by keyboard alone, with axe, in ${lang}`, async ({ page }) => {
    const q = lang === "en" ? "" : `?lang=${lang}`;
    const words = JSON.parse(readFileSync(`public/shared/${lang}.json`, "utf8"));
    const tab = async (expected: string) => {
      await page.keyboard.press("Tab");
      await expect(page.locator(":focus")).toHaveAccessibleName(expected);
    };
    await page.clock.install();
    await page.goto(`/${q}#/facilitator`);
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    const h1 = page.locator("#facilitator h1");
    await expect(h1).toHaveText(words.pin_set_title);
    await expect(h1).toBeFocused();
    await expectNoAxeViolations(page, `set the PIN (${lang})`);
    // A mistake first: the error summary takes focus and links to the field.
    await tab(words.pin_new);
    await page.keyboard.type("12");
    await page.keyboard.press("Enter");
    await expect(page.locator(".error-summary")).toBeFocused();
    await expect(page.locator(".error-summary")).toContainText(words.pin_digits);
    await expectNoAxeViolations(page, `set the PIN, with a problem (${lang})`);
    await tab(words.pin_digits);
    await page.keyboard.press("Enter");
    await expect(page.getByLabel(words.pin_new)).toBeFocused();
    await page.keyboard.press("Control+A");
    await page.keyboard.type(PIN);
    await page.keyboard.press("Tab");
    await page.keyboard.type(PIN);
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { name: words.session_title })).toBeVisible();
    await expect(h1).toBeFocused();
    await expectNoAxeViolations(page, `start a session (${lang})`);
    await tab(words.session_label);
    await page.keyboard.type(`keyboard ${lang}`);
    await page.keyboard.press("Enter");
    await expect(h1).toHaveText(`keyboard ${lang}`);
    await expectNoAxeViolations(page, `the facilitator screen (${lang})`);
    // Every control on it is reached by Tab.
    const focused = () => page.evaluate(() => document.activeElement?.textContent ?? "");
    for (const name of [words.send_now, words.next_person]) {
      for (let i = 0; i < 10 && (await focused()) !== name; i++) await page.keyboard.press("Tab");
      await expect(page.locator(":focus")).toHaveText(name);
    }
    await page.keyboard.press("Enter"); // the next person
    await expect(page.locator("#main-heading")).toBeFocused();

    // The respondent's screens on a shared device, in this language: the warning, and the hand back.
    await page.goto(`/${q}`);
    await page.locator(".button--start").click();
    await settle(page);
    await page.clock.fastForward("03:01");
    const dialog = page.getByRole("dialog", { name: words.still_title });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole("button", { name: words.still_here })).toBeFocused();
    await expectNoAxeViolations(page, `are you still there (${lang})`);
    await page.keyboard.press("Escape"); // as good as "I'm still here"
    await expect(dialog).toHaveCount(0);
    for (let i = 0; i < 8 && !(await page.locator("#send").isVisible()); i++) await next(page);
    await page.locator("#send").click();
    await expect(page.locator("#next-person h2")).toHaveText(words.hand_back_title);
    await expectNoAxeViolations(page, `hand the device back (${lang})`);

    await page.goto(`/${q}#/facilitator`);
    await expect(h1).toHaveText(words.pin_enter_title);
    await expectNoAxeViolations(page, `enter the PIN (${lang})`);
    await tab(words.pin_enter);
    await page.keyboard.type(PIN);
    await page.keyboard.press("Enter");
    await expect(h1).toHaveText(`keyboard ${lang}`);
  });
}

test("after Send, the start page comes back for the next person by itself after the pause, unless the countdown is stopped", async ({ page }, info) => {
  await page.clock.install();
  await setUpSession(page, `pause ${info.project.name}`);
  await page.getByRole("button", { name: "Start the form for the next person" }).click();
  await answer(page, "stopped");
  await expect(page.locator("#next-person")).toContainText("comes back for the next person in 60 seconds");
  await page.getByRole("button", { name: "Stop the countdown" }).click();
  await expect(page.locator("#next-person")).toContainText("The countdown is stopped.");
  await page.clock.fastForward("02:00");
  await expect(page.locator("#next-person")).toBeVisible();
  await page.getByRole("button", { name: "Next person" }).click();
  await expect(page.locator("#main-heading")).toBeFocused();

  await answer(page, "left to run");
  await page.clock.fastForward("00:59");
  await expect(page.locator("#next-person")).toBeVisible();
  await page.clock.fastForward("00:02");
  await expect(page.locator("#main-heading")).toHaveText("Tell us about the support you got");
  await expect(page.locator("#main-heading")).toBeFocused();
  await expect(page.locator("body")).not.toContainText("left to run");
});

test("a deployment configured as shared starts shared on a fresh device: no draft kept, the screen kept on, the facilitator screen ready to set up", async ({ page }) => {
  await page.addInitScript(() => {
    (window as any).wakeLocks = 0;
    Object.defineProperty(navigator, "wakeLock", {
      value: { request: async () => ((window as any).wakeLocks++, { release: async () => {} }) },
    });
  });
  await asStaticHost(page);
  await page.route("**/config.json", async (route) => {
    const config = await (await route.fetch()).json();
    await route.fulfill({ json: { ...config, shared_device: true, next_person_seconds: 30 } });
  });
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("data-shared", "ready");
  await page.locator(".button--start").click();
  await page.locator("#q-ways-2").check();
  expect(await page.evaluate(() => localStorage.getItem("feedback-form:draft")), "no draft on a shared device").toBeNull();
  await page.reload(); // the same question page, with nothing kept
  await expect(page.locator("#q-ways-2")).toBeVisible();
  await expect(page.locator("#q-ways-2")).not.toBeChecked();
  expect(await page.evaluate(() => (window as any).wakeLocks), "no session yet: the screen is not kept on").toBe(0);
  await page.goto("/#/facilitator");
  await expect(page.locator("#facilitator h1")).toHaveText("Set up this device for peer research sessions");
  await page.getByLabel("Choose a PIN").fill(PIN);
  await page.getByLabel("Type the PIN again").fill(PIN);
  await page.getByRole("button", { name: "Save the PIN" }).click();
  await page.getByLabel("Session name").fill("configured");
  await page.getByRole("button", { name: "Start the session" }).click();
  await expect(page.locator("#facilitator h1")).toHaveText("configured");
  expect(await page.evaluate(() => (window as any).wakeLocks), "the screen is kept on while the session runs").toBeGreaterThan(0);
  await page.getByRole("button", { name: "Start the form for the next person" }).click();
  await answer(page, "configured");
  await expect(page.locator("#next-person")).toContainText("in 30 seconds");
});

test("after someone leaves by Exit this page, the facilitator gets the tablet back through the facilitator screen, and only there", async ({ page }, info) => {
  await page.route("https://www.bbc.co.uk/**", (r) => r.fulfill({ contentType: "text/html", body: "<title>Weather</title><h1>Weather</h1>" }));
  await setUpSession(page, `exit ${info.project.name}`);
  await page.getByRole("button", { name: "Start the form for the next person" }).click();
  await page.locator(".button--start").click();
  await page.locator("#q-ways-2").check();
  await page.getByRole("button", { name: "Exit this page" }).click();
  await expect(page).toHaveURL(/bbc\.co\.uk/);
  // The form's address in the same tab leaves again, as on any device…
  await page.goto("/", { waitUntil: "commit" });
  await expect(page).toHaveURL(/bbc\.co\.uk/);
  // …but the facilitator screen is there, behind its PIN.
  await page.goto("/#/facilitator");
  await expect(page.locator("#facilitator h1")).toHaveText("Enter the facilitator PIN");
  await page.getByLabel("PIN").fill(PIN);
  await page.keyboard.press("Enter");
  await page.getByRole("button", { name: "Start the form for the next person" }).click();
  await expect(page.locator("#main-heading")).toHaveText("Tell us about the support you got");
  await page.locator(".button--start").click();
  await expect(page.locator("#q-ways-2")).not.toBeChecked();
});

test("answers the device could not store wait for the facilitator: the next person's step does not drop them", async ({ page, problems }, info) => {
  problems.expect(fault("api/submissions", "ERR_INTERNET_DISCONNECTED"), "the endpoint is cut off");
  const label = `unsaved ${info.project.name} ${Date.now()}`;
  await page.clock.install();
  await setUpSession(page, label);
  // From now on this device's storage refuses every write (the PIN and session are already kept).
  await page.addInitScript(() => {
    const full = () => {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    };
    IDBObjectStore.prototype.put = full;
    Storage.prototype.setItem = full;
  });
  await page.getByRole("button", { name: "Start the form for the next person" }).click();
  await page.route("**/api/submissions", (route) => route.abort("internetdisconnected"));
  await answer(page, `kept in memory ${label}`);
  await expect(page.getByRole("alert")).toContainText("could not be saved on this device");
  await page.clock.fastForward("01:01");
  const warning = page.locator("#next-person .notice--warning");
  await expect(warning).toBeVisible();
  await expect(warning).toBeFocused();
  await expect(page.locator("#next-person")).toContainText("The countdown is stopped.");
  await page.getByRole("button", { name: "Next person" }).click();
  await expect(page.locator("#next-person")).toBeVisible(); // still here, with the answers
  // Once they are sent from the page's memory, the next person can start.
  await page.unroute("**/api/submissions");
  await page.clock.fastForward("05:00"); // the outbox's backoff: its next try is due within 5 minutes
  await expect.poll(() => exportJsonl().filter((r) => r.context?.session === label).length, { timeout: 30_000 }).toBe(1);
  await expect(page.locator("#main-content a[download]")).toHaveCount(0);
  await page.getByRole("button", { name: "Next person" }).click();
  await expect(page.locator("#main-heading")).toHaveText("Tell us about the support you got");
});
