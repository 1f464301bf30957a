import { test, expect, type Page } from "./fixtures";
import { expectNoAxeViolations } from "./helpers";

const neutral = "https://www.bbc.co.uk/weather";

// The neutral site is answered inside the browser: nothing leaves this machine.
async function fakeNeutralSite(page: Page) {
  await page.route("https://www.bbc.co.uk/**", (r) =>
    r.fulfill({ contentType: "text/html", body: "<!doctype html><title>Weather</title><h1>Weather</h1>" }),
  );
}

async function answerFirstPage(page: Page) {
  await page.goto("/");
  await page.getByRole("button", { name: "Start now" }).click();
  await page.getByLabel("Phone calls").check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.locator("#main-heading")).toHaveText("How well it worked for you");
}

test("Exit this page leaves for a neutral site, and Back does not bring the form back", async ({ page, context }) => {
  await fakeNeutralSite(page);
  await answerFirstPage(page);
  const exit = page.getByRole("button", { name: "Emergency Exit this page" });
  await expect(exit).toHaveAttribute("href", neutral); // a plain link: it works even if the app has failed
  await expectNoAxeViolations(page, "page with Exit this page");
  await exit.click();
  await expect(page).toHaveURL(neutral);
  await expect(page.locator("h1")).toHaveText("Weather");

  await page.goBack();
  await expect(page).toHaveURL(neutral);
  await expect(page.getByText("Phone calls")).toHaveCount(0);

  // A new tab (someone else, later) gets the form, with nothing filled in.
  const fresh = await context.newPage();
  await fresh.goto("/#/page/your-support");
  await expect(fresh.locator("#main-heading")).toHaveText("Your support");
  await expect(fresh.getByLabel("Phone calls")).not.toBeChecked();
});

test("pressing Shift three times exits, and typing between presses starts the count again", async ({ page }) => {
  await fakeNeutralSite(page);
  await answerFirstPage(page);
  await page.keyboard.press("Shift");
  await page.keyboard.press("a");
  await page.keyboard.press("Shift");
  await page.keyboard.press("Shift");
  await expect(page.getByText("Shift, press 1 more time to exit.")).toBeAttached();
  await expect(page).not.toHaveURL(neutral); // only two in a row so far
  await page.keyboard.press("Shift");
  await expect(page).toHaveURL(neutral);
});

test("the start page says how to leave quickly", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByText("press the Shift key 3 times")).toBeVisible();
  await expect(page.getByRole("button", { name: "Emergency Exit this page" })).toBeVisible();
});
