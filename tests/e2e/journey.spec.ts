import { test, expect } from "./fixtures";
import { exportCsv, exportJsonl, expectFocusOnHeading, expectNoAxeViolations, recordOrigins } from "./helpers";

const continueButton = (page) => page.getByRole("button", { name: "Continue" });

test("a person completes the form, changes answers from Check your answers, sends, and every answer is stored", async ({ page, context, baseURL }, info) => {
  const origins = recordOrigins(page);
  // A marker so this run's row can be found among the other project's.
  const marker = `${info.project.name}-${Date.now()}`;
  const hostile = `=HYPERLINK("http://127.0.0.2/x") <script>alert(1)</script> '); DROP TABLE submissions;-- \u202Eevil ${marker} 🙏`;

  await page.goto("/");
  await expect(page.locator("#main-heading")).toHaveText("Tell us about the support you got");
  await expect(page.getByText("You can skip any question")).toBeVisible();
  await expect(page.getByText("Local Voices Partnership (example)")).toBeVisible();
  await expect(page.getByText("It takes about 5 minutes.")).toBeVisible();
  await expect(page).toHaveTitle("Tell us about the support you got");
  await expectNoAxeViolations(page, "start page");
  await page.getByRole("button", { name: "Start now" }).click();

  // Page 1: services and ways.
  await expectFocusOnHeading(page, "Your support");
  await expect(page.getByText("Page 1 of 5")).toBeVisible();
  await expect(page).toHaveTitle("Page 1 of 5 – Tell us about the support you got");
  const services = page.getByRole("group", { name: "Which services have supported you?" });
  await services.getByLabel("Housing or homelessness").check();
  await services.getByLabel("Mental health").check();
  const ways = page.getByRole("group", { name: "How did you get support?" });
  await ways.getByLabel("Phone calls").check();
  await ways.getByLabel("Video calls").check();
  await expect(page.getByText("Page 1 of 6")).toBeVisible(); // the ratings page now counts
  await expectNoAxeViolations(page, "question page 1");
  await continueButton(page).click();

  // Page 2: ratings only for the ways used.
  await expectFocusOnHeading(page, "How well it worked for you");
  await expect(page.getByRole("group", { name: "How well did in-person support work for you?" })).toHaveCount(0);
  await expect(page.getByRole("group", { name: "How well did texts or messaging apps work for you?" })).toHaveCount(0);
  await page.getByRole("group", { name: "How well did phone calls work for you?" }).getByLabel("Well", { exact: true }).check();
  await page.getByRole("group", { name: "How well did video calls work for you?" }).getByLabel("Badly", { exact: true }).check();
  await expectNoAxeViolations(page, "ratings page");
  await continueButton(page).click();

  // Page 3.
  await expectFocusOnHeading(page, "Getting help");
  await page.getByRole("group", { name: /faster or slower/ }).getByLabel("Slower").check();
  await page.getByRole("group", { name: /How often/ }).getByLabel("About once a week").check();
  await continueButton(page).click();

  // Page 4.
  await expectFocusOnHeading(page, "You and your worker");
  await page.getByRole("group", { name: "Did you trust your worker?" }).getByLabel("Sometimes").check();
  await page.getByRole("group", { name: "Did you have a say in your support?" }).getByLabel("No").check();
  await page.getByRole("group", { name: /rules set back/ }).getByLabel("Yes").check();
  await expectNoAxeViolations(page, "question page 4");
  await continueButton(page).click();

  // Page 5: a too-long answer brings the error summary.
  await expectFocusOnHeading(page, "What happens next");
  await page.getByLabel("What should stay the way it is now?").fill(hostile);
  const back = page.getByLabel("What should go back to how it was before Covid-19?");
  await back.fill("x".repeat(999));
  await expect(page.getByText("You have 1 character remaining", { exact: true })).toBeVisible();
  await back.fill("x".repeat(1001));
  await expect(page.getByText("You have 1 character too many", { exact: true })).toBeVisible();
  await back.fill("x".repeat(1005));
  await expect(page.getByText("You have 5 characters too many")).toBeVisible();
  await continueButton(page).click();
  const summary = page.locator("#error-summary");
  await expect(summary).toBeFocused();
  await expect(summary.getByRole("heading", { name: "There is a problem" })).toBeVisible();
  await expect(page).toHaveTitle(/^Error: Page 5 of 6/);
  await expect(back).toHaveAttribute("aria-invalid", "true");
  await expectNoAxeViolations(page, "error summary");
  await summary.getByRole("link", { name: /must be 1000 characters or fewer/ }).click();
  await expect(back).toBeFocused();
  await back.fill("Seeing my worker face to face.\nAnd the drop-in.");
  await page.getByRole("group", { name: /in future/ }).getByLabel("A mix of both").check();
  await continueButton(page).click();

  // Page 6: wants to be involved, so the contact page appears.
  await expectFocusOnHeading(page, "Anything else");
  await expect(page.locator("#error-summary")).toHaveCount(0);
  await page.getByLabel("Is there anything else you want to tell us?").fill(`Thank you ${marker}`);
  await page.getByRole("group", { name: /help shape services/ }).getByLabel("Yes").check();
  await continueButton(page).click();
  await expectFocusOnHeading(page, "How can we contact you?");
  await expect(page.getByText("Page 7 of 7")).toBeVisible();
  await page.getByLabel("How can we contact you?").fill("07700 900123");
  await expectNoAxeViolations(page, "contact page");
  await continueButton(page).click();

  // Check your answers.
  await expectFocusOnHeading(page, "Check your answers");
  await expect(page).toHaveTitle("Check your answers – Tell us about the support you got");
  const row = (q: string | RegExp) => page.locator(".summary-list__row").filter({ has: page.locator("dt", { hasText: q }) });
  await expect(row("Which services have supported you?").locator("dd").first()).toHaveText(/Housing or homelessness\s*Mental health/);
  await expect(row("How well did video calls work for you?")).toContainText("Badly");
  await expect(row("How can we contact you?")).toContainText("07700 900123");
  await expect(row("What should stay the way it is now?")).toContainText("<script>alert(1)</script>"); // shown as text
  await expectNoAxeViolations(page, "check your answers");

  // Change: stop using video calls. Continue returns straight to Check your answers.
  await row("How did you get support?").getByRole("button", { name: "Change How did you get support?" }).click();
  await expectFocusOnHeading(page, "Your support");
  await expect(page.getByRole("group", { name: "How did you get support?" }).getByLabel("Video calls")).toBeChecked();
  await page.getByRole("group", { name: "How did you get support?" }).getByLabel("Video calls").uncheck();
  await continueButton(page).click();
  await expectFocusOnHeading(page, "Check your answers");
  await expect(row("How well did video calls work for you?")).toHaveCount(0);

  // Change: no longer wants to be involved, so the contact question goes.
  await row(/help shape services/).getByRole("button", { name: /^Change/ }).click();
  await expectFocusOnHeading(page, "Anything else");
  await page.getByRole("group", { name: /help shape services/ }).getByLabel("No").check();
  await continueButton(page).click();
  await expectFocusOnHeading(page, "Check your answers");
  await expect(row("How can we contact you?")).toHaveCount(0);

  await page.getByRole("button", { name: "Send" }).click();
  await expectFocusOnHeading(page, "Thank you. Your answers have been sent");
  await expect(page.getByRole("heading", { name: "If you need help now" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Call 116 123" })).toHaveAttribute("href", "tel:116123");
  await expectNoAxeViolations(page, "confirmation");

  // Read the stored row back from the database through the server's export.
  const rows = exportJsonl().filter((r) => r.answers.anything_else === `Thank you ${marker}`);
  expect(rows).toHaveLength(1);
  const stored = rows[0];
  expect(stored.form_id).toBe("remote-support");
  expect(stored.form_version).toBe("2026-11-23");
  expect(stored.language).toBe("en");
  expect(stored.schema_version).toBe(1);
  expect(stored.submission_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(Object.keys(stored).sort()).toEqual(
    ["answers", "form_id", "form_version", "language", "schema_version", "sent_at", "stamp", "submission_id"],
  ); // the stamp: the proof of work over the id (tests/e2e/stamp.spec.ts)
  expect(stored.answers).toEqual({
    services: ["housing", "mental_health"],
    ways: ["phone"],
    rate_phone: 4,
    speed: "slower",
    how_often: "weekly",
    trust: "sometimes",
    had_say: "no",
    set_back: true,
    keep: hostile,
    change_back: "Seeing my worker face to face.\nAnd the drop-in.",
    prefer: "mix",
    anything_else: `Thank you ${marker}`,
    involved: false,
  }); // no rate_video and no contact: hidden answers are not sent

  // The CSV for analysts: one column per question; the hidden ones empty; formulas defused.
  const csv = exportCsv();
  const [header, ...lines] = csv.trim().split(/\r?\n(?=[0-9a-f]{8}-)/);
  expect(header.split(",")).toEqual(expect.arrayContaining(["submission_id", "rate_video", "contact", "keep"]));
  const line = lines.find((l) => l.startsWith(stored.submission_id));
  expect(line).toBeDefined();
  expect(line).toContain(`"'=HYPERLINK(""http://127.0.0.2/x"")`); // the formula is defused with a leading '
  expect(line).not.toMatch(/,"?=HYPERLINK/); // never a bare formula at the start of a cell
  expect(line).toContain("DROP TABLE submissions"); // and the text is otherwise intact

  // Anonymous by default: nothing but this origin was contacted, and no cookies.
  expect([...origins]).toEqual([new URL(baseURL!).origin]);
  expect(await context.cookies()).toEqual([]);

  // The answers are gone from the device; the next person starts afresh.
  await page.getByRole("link", { name: /Answer the form again/ }).click();
  await expect(page.locator("#main-heading")).toHaveText("Tell us about the support you got");
  await page.getByRole("button", { name: "Start now" }).click();
  await expect(page.getByRole("group", { name: "How did you get support?" }).getByLabel("Phone calls")).not.toBeChecked();
});

test("the browser's back and forward buttons move between pages without losing answers", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("button", { name: "Start now" }).click();
  await page.getByLabel("Phone calls").check();
  await continueButton(page).click();
  await expectFocusOnHeading(page, "How well it worked for you");
  await page.getByLabel("Very well").check();
  await continueButton(page).click();
  await expectFocusOnHeading(page, "Getting help");

  await page.goBack();
  await expect(page.locator("#main-heading")).toHaveText("How well it worked for you");
  await expect(page.getByLabel("Very well")).toBeChecked();
  await page.goBack();
  await expect(page.locator("#main-heading")).toHaveText("Your support");
  await expect(page.getByLabel("Phone calls")).toBeChecked();
  await page.goForward();
  await expect(page.locator("#main-heading")).toHaveText("How well it worked for you");
  await expect(page.getByLabel("Very well")).toBeChecked();

  // The on-page Back goes the same way.
  await page.getByRole("button", { name: "Back" }).click();
  await expect(page.locator("#main-heading")).toHaveText("Your support");

  // An address for a page that is not shown for these answers goes to the start.
  await page.goto("/#/page/contact");
  await expect(page.locator("#main-heading")).toHaveText("Tell us about the support you got");
});

test("choosing 'I'd rather not say' clears the other services, and choosing another clears it", async ({ page }) => {
  await page.goto("/#/page/your-support");
  const services = page.getByRole("group", { name: "Which services have supported you?" });
  await services.getByLabel("Housing or homelessness").check();
  await services.getByLabel("I'd rather not say").check();
  await expect(services.getByLabel("Housing or homelessness")).not.toBeChecked();
  await services.getByLabel("Mental health").check();
  await expect(services.getByLabel("I'd rather not say")).not.toBeChecked();
  await expect(services.getByLabel("Mental health")).toBeChecked();
});

test("a change that reveals a page goes through it and back to Check your answers, also after a reload", async ({ page }) => {
  const row = (q: string | RegExp) => page.locator(".summary-list__row").filter({ has: page.locator("dt", { hasText: q }) });
  await page.goto("/");
  await page.getByRole("button", { name: "Start now" }).click();
  await page.getByLabel("In person").check();
  for (let i = 0; i < 6; i++) await continueButton(page).click();
  await expectFocusOnHeading(page, "Check your answers");
  await expect(row("How can we contact you?")).toHaveCount(0);

  // Wanting to help shape services reveals the contact page: Continue goes there, then back.
  await row(/help shape services/).getByRole("button", { name: /^Change/ }).click();
  await expectFocusOnHeading(page, "Anything else");
  await page.getByRole("group", { name: /help shape services/ }).getByLabel("Yes").check();
  await continueButton(page).click();
  await expectFocusOnHeading(page, "How can we contact you?");
  await page.getByLabel("How can we contact you?").fill("07700 900123");
  await continueButton(page).click();
  await expectFocusOnHeading(page, "Check your answers");
  await expect(row("How can we contact you?")).toContainText("07700 900123");

  // After a reload (the answers come back from the draft), a change that reveals no
  // page returns straight to Check your answers, not through every page.
  await page.reload();
  await expect(page.locator("#main-heading")).toHaveText("Check your answers");
  await row("Which services have supported you?").getByRole("button", { name: /^Change/ }).click();
  await expectFocusOnHeading(page, "Your support");
  await page.getByRole("group", { name: "Which services have supported you?" }).getByLabel("Mental health").check();
  await continueButton(page).click();
  await expectFocusOnHeading(page, "Check your answers");
  await expect(row("Which services have supported you?")).toContainText("Mental health");
});
