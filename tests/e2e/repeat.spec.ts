import { test, expect } from "./fixtures";
import { exportJsonl } from "./helpers";

// One page, person after person, as on a peer researcher's tablet: no reload in
// between. The shared fixture fails the test on any page error, so a panic in
// the WebAssembly (a signal read after its owner is gone) cannot hide here, and
// each person must start from an empty form.
test("the form is answered and sent 20 times in a row on one page, with no page errors and nothing carried over", async ({ page }, info) => {
  const run = `repeat-${info.project.name}-${Date.now()}`;
  const SENT = "Thank you. Your answers have been sent";
  const continueButton = page.getByRole("button", { name: "Continue" });
  const anythingElse = page.getByLabel("Is there anything else you want to tell us?");
  let loads = 0;
  page.on("load", () => loads++);
  await page.goto("/");
  for (let person = 1; person <= 20; person++) {
    const marker = `${run}-${person}`;
    await page.getByRole("button", { name: "Start now" }).click();
    await expect(page.getByLabel("In person")).not.toBeChecked(); // nothing of the last person
    await page.getByLabel("In person").check();
    await continueButton.click();
    await page.getByRole("group", { name: "How well did in-person support work for you?" }).getByLabel("Well", { exact: true }).check();
    // Each Continue waits for its page: the address changes a moment after the click, so
    // a loop that reads the heading at once can see the old page and press Continue twice.
    for (const heading of ["Getting help", "You and your worker", "What happens next", "Anything else"]) {
      await continueButton.click();
      await expect(page.locator("#main-heading")).toHaveText(heading);
    }
    await expect(anythingElse).toHaveValue("");
    await anythingElse.fill(marker);
    await continueButton.click();
    await expect(page.locator("#main-heading")).toHaveText("Check your answers");
    await expect(page.getByText(run)).toHaveCount(1); // this person's words only
    await page.getByRole("button", { name: "Send" }).click();
    await expect(page.locator("#main-heading")).toHaveText(SENT);
    await expect(page.getByText(run)).toHaveCount(0);
    await page.getByRole("link", { name: /Answer the form again/ }).click();
    await expect(page.locator("#main-heading")).toHaveText("Tell us about the support you got");
  }
  expect(loads, "the page was never reloaded").toBe(1);
  const stored = exportJsonl().filter((r) => String(r.answers.anything_else ?? "").startsWith(`${run}-`));
  expect(stored.map((r) => r.answers.anything_else).sort()).toEqual(
    Array.from({ length: 20 }, (_, i) => `${run}-${i + 1}`).sort(),
  );
  expect(new Set(stored.map((r) => r.submission_id)).size).toBe(20);
  for (const r of stored) expect(r.answers).toMatchObject({ ways: ["in_person"], rate_in_person: 4 });
});
