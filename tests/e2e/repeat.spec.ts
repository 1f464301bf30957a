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
    // On through the pages left, each Continue waiting for the next page's heading.
    const heading = page.locator("#main-heading");
    for (let i = 0; i < 8 && (await heading.textContent()) !== "Anything else"; i++) {
      const before = (await heading.textContent()) ?? "";
      await continueButton.click();
      await expect(heading).not.toHaveText(before);
    }
    await expect(heading).toHaveText("Anything else");
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

// Every screen shown builds its views afresh, and a long session shows thousands:
// what a screen leaves behind when it goes must be freed (the leak that
// vendor/README.md describes kept ~3 KB a screen for as long as the page was
// open). The WebAssembly memory only ever grows, by 64 KB pages; the Rust heap in
// it goes up and down by a few KB while screens change (tasks not yet run), which
// can take it over a page boundary once. So over 100 round trips between two pages
// after a warm-up it may grow by at most two pages (it grew by ten with the leak).
// The JS heap is left to scripts/bench-memory.mjs: it needs garbage collection and
// heap snapshots, too slow for a test.
test("showing pages again and again on one page does not grow the WebAssembly memory", async ({ page }) => {
  await page.addInitScript(() => {
    addEventListener("TrunkApplicationStarted", (e: any) => ((globalThis as any).__wasmMemory = e.detail?.wasm?.memory));
  });
  await page.goto("/");
  const heading = page.locator("#main-heading");
  await expect(heading).toHaveText("Tell us about the support you got");
  const memory = () => page.evaluate(() => (globalThis as any).__wasmMemory?.buffer.byteLength as number | undefined);
  const roundTrips = async (n: number) => {
    for (let i = 0; i < n; i++) {
      for (const [hash, title] of [["#/page/anything-else", "Anything else"], ["#/page/what-next", "What happens next"]]) {
        await page.evaluate((h) => (location.hash = h), hash);
        await expect(heading).toHaveText(title);
      }
    }
  };
  await roundTrips(20);
  const before = (await memory()) ?? 0;
  expect(before, "the WebAssembly memory, from trunk's TrunkApplicationStarted event").toBeGreaterThan(0);
  await roundTrips(100);
  expect(await memory(), "WebAssembly memory after 100 more round trips").toBeLessThanOrEqual(before + 2 * 65536);
});
