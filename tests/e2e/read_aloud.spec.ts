import { test, expect, type Page } from "./fixtures";
import { expectNoAxeViolations } from "./helpers";

/** Replaces the browser's speech engine with one that records what it is asked to say. */
async function fakeSpeech(page: Page, voiceLangs: string[]) {
  await page.addInitScript((langs: string[]) => {
    const w = window as any;
    w.__spoken = [];
    w.__cancelled = 0;
    const target = new EventTarget();
    const fake = Object.assign(target, {
      getVoices: () => langs.map((lang) => ({ lang, name: `Fake ${lang}`, default: false, localService: true, voiceURI: lang })),
      speak: (u: SpeechSynthesisUtterance) => w.__spoken.push({ text: u.text, lang: u.lang }),
      cancel: () => { w.__cancelled += 1; },
      pause() {}, resume() {}, speaking: false, pending: false, paused: false,
    });
    Object.defineProperty(window, "speechSynthesis", { value: fake, configurable: true });
  }, voiceLangs);
}

test("Listen reads the question, its hint and its options aloud, and stops on the next page", async ({ page }) => {
  await fakeSpeech(page, ["en-GB"]);
  await page.goto("/#/page/your-support");
  const listen = page.getByRole("button", { name: "Listen: How did you get support?" });
  await expect(listen).toBeVisible();
  await expectNoAxeViolations(page, "question page with Listen");
  await listen.click();
  const spoken = await page.evaluate(() => (window as any).__spoken);
  expect(spoken).toEqual([{
    text: "How did you get support? If you had a mix, choose all the ways you used. In person. Phone calls. Video calls. Texts or messaging apps, like WhatsApp.",
    lang: "en",
  }]);
  const before = await page.evaluate(() => (window as any).__cancelled);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.locator("#main-heading")).toHaveText("Getting help");
  expect(await page.evaluate(() => (window as any).__cancelled)).toBeGreaterThan(before);
});

test("Listen is not offered where the browser has no voice for the page's language", async ({ page }) => {
  await fakeSpeech(page, ["fr-FR"]);
  await page.goto("/#/page/your-support");
  await expect(page.locator("#main-heading")).toHaveText("Your support");
  await expect(page.getByRole("button", { name: /^Listen/ })).toHaveCount(0);
});

test("voices that arrive late still bring the Listen button", async ({ page }) => {
  await fakeSpeech(page, []);
  await page.goto("/#/page/your-support");
  await expect(page.locator("#main-heading")).toHaveText("Your support");
  await expect(page.getByRole("button", { name: /^Listen/ })).toHaveCount(0);
  await page.evaluate(() => {
    const s = window.speechSynthesis as any;
    s.getVoices = () => [{ lang: "en-US", name: "Late", default: true, localService: true, voiceURI: "late" }];
    s.dispatchEvent(new Event("voiceschanged"));
  });
  await expect(page.getByRole("button", { name: /^Listen/ })).toHaveCount(2);
});

test("Listen reads the easy-read words when easy read is on, and Welsh in a Welsh voice", async ({ page }) => {
  await fakeSpeech(page, ["en-GB", "cy-GB"]);
  await page.goto("/#/page/your-support");
  await page.getByRole("button", { name: "Easy read" }).click();
  await page.getByRole("button", { name: "Listen: How did they help you?" }).click();
  expect(await page.evaluate(() => (window as any).__spoken)).toEqual([{
    text: "How did they help you? If you had a mix, choose all the ways you used. Face to face. On the phone. On a video call. By text message or WhatsApp.",
    lang: "en",
  }]);

  await page.goto("/?lang=cy#/page/your-support");
  await expect(page.locator("html")).toHaveAttribute("lang", "cy");
  const listen = page.locator(".read-aloud").nth(1);
  await listen.click();
  const spoken = await page.evaluate(() => (window as any).__spoken);
  expect(spoken).toHaveLength(1);
  expect(spoken[0].lang).toBe("cy");
  expect(spoken[0].text).toContain("WhatsApp");
  expect(spoken[0].text).not.toContain("How did");
});
