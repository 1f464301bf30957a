import { test, expect, fault, type Locator, type Page } from "./fixtures";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { asStaticHost, eachScreen, exportJsonl, expectFocusOnHeading, expectNoAxeViolations } from "./helpers";

const json = (path: string) => JSON.parse(readFileSync(join(__dirname, "../../public", path), "utf8"));
const ui: Record<string, Record<string, string>> = { en: json("locales/en.json"), cy: json("locales/cy.json"), ar: json("locales/ar.json") };
const words: Record<string, Record<string, string>> = {
  cy: json("forms/remote-support.cy.json").texts,
  ar: json("forms/remote-support.ar.json").texts,
};
const fill = (s: string, values: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));

for (const lang of ["cy", "ar"]) {
  test(`in ${lang}, every screen passes axe and shows no English interface words`, async ({ page }) => {
    // Sentences that differ from English and are long enough not to occur by chance.
    const english = Object.entries(ui.en)
      .filter(([k, v]) => ui[lang][k] !== v && !v.includes("{") && v.length >= 5)
      .map(([, v]) => v);
    await eachScreen(
      page,
      async (screen) => {
        await expectNoAxeViolations(page, screen);
        const text = (await page.locator("body").textContent()) ?? "";
        expect(english.filter((e) => text.includes(e)), `${screen}: English left untranslated`).toEqual([]);
      },
      lang,
    );
  });
}

/** Whether the text inside `el` sits against its right-hand edge (right-to-left reading order). */
async function textHugsRight(el: Locator): Promise<{ gapRight: number; gapLeft: number }> {
  return el.evaluate((node) => {
    const range = document.createRange();
    range.selectNodeContents(node);
    const text = range.getBoundingClientRect();
    const box = node.getBoundingClientRect();
    return { gapRight: Math.round(box.right - text.right), gapLeft: Math.round(text.left - box.left) };
  });
}

async function expectRightToLeft(el: Locator, what: string) {
  const { gapRight, gapLeft } = await textHugsRight(el);
  expect(gapRight, `${what} starts at the right`).toBeLessThanOrEqual(gapLeft);
}

/** The control's box is to the right of its words, as Arabic readers expect. */
async function expectControlOnRight(page: Page, input: Locator, words: Locator, what: string) {
  const i = (await input.boundingBox())!;
  const w = (await words.boundingBox())!;
  expect(i.x, `${what}: the control is right of its words`).toBeGreaterThan(w.x);
}

test("an Arabic reader completes and sends the form right to left, by the names a screen reader hears", async ({ page }, info) => {
  const ar = words.ar;
  const t = ui.ar;
  const marker = `ar-${info.project.name}-${Date.now()}`;
  await page.goto("/?lang=ar");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(page.locator("html")).toHaveAttribute("lang", "ar");
  await expect(page.locator("#main-heading")).toHaveText(ar["title"]);
  await expect(page).toHaveTitle(ar["title"]);
  await expectRightToLeft(page.locator("#main-heading"), "the heading");
  await page.getByRole("button", { name: t.start }).click();

  await expectFocusOnHeading(page, ar["page.your-support.title"]);
  await expect(page).toHaveTitle(`${fill(t.page_of, { page: 1, pages: 5 })} – ${ar["title"]}`);
  await expectRightToLeft(page.locator(".caption"), "the progress line");
  await expect(page.locator(".caption")).toHaveText(fill(t.page_of, { page: 1, pages: 5 }));
  // The back link's arrow points right, at the right-hand side.
  const back = page.getByRole("button", { name: t.back });
  const arrow = await back.evaluate((el) => getComputedStyle(el, "::before").right);
  expect(arrow).not.toBe("auto");
  const services = page.getByRole("group", { name: ar["q.services.label"] });
  const mental = services.getByRole("checkbox", { name: ar["q.services.option.mental_health.label"] });
  await mental.check();
  await expectControlOnRight(page, page.locator("#q-services-3"), page.locator("label[for=q-services-3] span"), "a checkbox");
  await page.getByRole("checkbox", { name: ar["q.ways.option.video.label"] }).check();
  await page.getByRole("button", { name: t.continue }).click();

  await expectFocusOnHeading(page, ar["page.how-well.title"]);
  // Its name is the picture's text alternative, then the point's words.
  const well = page.getByRole("radio", { name: `${ar["q.rate_video.picture.4"]} ${ar["q.rate_video.point.4"]}`, exact: true });
  await well.check();
  const label = page.locator("label[for=q-rate_video-4]");
  await expectControlOnRight(page, well, label.locator("span"), "a radio");
  await page.getByRole("button", { name: t.continue }).click();

  for (const heading of ["getting-help", "your-worker"]) {
    await expectFocusOnHeading(page, ar[`page.${heading}.title`]);
    await page.getByRole("button", { name: t.continue }).click();
  }
  // A problem: the error summary, right to left, in Arabic, linking to the field.
  await expectFocusOnHeading(page, ar["page.what-next.title"]);
  const keep = page.getByRole("textbox", { name: ar["q.keep.label"] });
  await keep.fill("ب".repeat(1001));
  await page.getByRole("button", { name: t.continue }).click();
  const summary = page.locator("#error-summary");
  await expect(summary).toBeFocused();
  await expect(summary.getByRole("heading")).toHaveText(t.there_is_a_problem);
  const message = fill(t.too_long_other, { question: ar["q.keep.label"], count: 1000 });
  await expect(summary.getByRole("link")).toHaveText(message);
  await expectRightToLeft(summary.getByRole("heading"), "the error summary");
  await expect(page).toHaveTitle(new RegExp(`^${t.error_prefix}`));
  await summary.getByRole("link").click();
  await expect(keep).toBeFocused();
  await keep.fill("");
  await page.getByRole("button", { name: t.continue }).click();

  await expectFocusOnHeading(page, ar["page.anything-else.title"]);
  await page.getByRole("textbox", { name: ar["q.anything_else.label"] }).fill(marker);
  await page.getByRole("button", { name: t.continue }).click();

  await expectFocusOnHeading(page, t.check_title);
  await expect(page.getByRole("definition").filter({ hasText: ar["q.services.option.mental_health.label"] })).toBeVisible();
  await page.getByRole("button", { name: t.send }).click();
  await expectFocusOnHeading(page, t.sent_title);

  const stored = exportJsonl().filter((r) => r.answers.anything_else === marker);
  expect(stored).toHaveLength(1);
  expect(stored[0].language).toBe("ar");
  expect(stored[0].answers).toEqual({ services: ["mental_health"], ways: ["video"], rate_video: 4, anything_else: marker });
});

test("the language picker switches in place, keeps the answers, and the address remembers the choice", async ({ page }) => {
  await page.goto("/");
  const nav = page.getByRole("navigation", { name: "Language" });
  await expect(nav.getByRole("link")).toHaveText(["Cymraeg", "العربية"]);
  await expect(nav.locator("[aria-current=true]")).toHaveText("English");
  await expect(nav.getByRole("link", { name: "Cymraeg" })).toHaveAttribute("lang", "cy");

  await page.getByRole("button", { name: "Start now" }).click();
  await page.getByLabel("Video calls").check();
  await page.goBack();
  await expect(page.locator("#main-heading")).toHaveText("Tell us about the support you got");
  await nav.getByRole("link", { name: "Cymraeg" }).click();

  await expect(page.locator("html")).toHaveAttribute("lang", "cy");
  await expect(page.locator("html")).toHaveAttribute("dir", "ltr");
  await expect(page).toHaveURL(/\?lang=cy/);
  await expect(page.locator("#main-heading")).toHaveText(words.cy["title"]);
  // Focus stays where the person was: on the language they chose.
  await expect(page.locator("#language-current")).toBeFocused();
  await expect(page.locator("#language-current")).toHaveText("Cymraeg");
  await page.getByRole("button", { name: ui.cy.start }).click();
  await expect(page.getByRole("checkbox", { name: words.cy["q.ways.option.video.label"] })).toBeChecked();
  await expect(page.locator(".caption")).toHaveText(fill(ui.cy.page_of, { page: 1, pages: 6 })); // 6: video calls brings the ratings page

  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("lang", "cy");
  await expect(page.locator("#main-heading")).toHaveText(words.cy["page.your-support.title"]);
});

test("a language that cannot be loaded says so and leaves the form working in English", async ({ page, problems }) => {
  problems.expect(fault("locales/cy.json", "ERR_FAILED"), "the Welsh words are made unreachable");
  await page.route("**/locales/cy.json", (route) => route.abort());
  await page.goto("/");
  await page.getByRole("navigation", { name: "Language" }).getByRole("link", { name: "Cymraeg" }).click();
  await expect(page.getByRole("alert")).toHaveText(fill(ui.en.language_failed, { language: "Cymraeg" }));
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("button", { name: "Start now" })).toBeVisible();

  // The same from the address, where the app loads the language (on a page the collector draws
  // in Welsh, the collector reads its own files).
  await asStaticHost(page);
  await page.goto("/?lang=cy");
  await expect(page.getByRole("alert")).toHaveText(fill(ui.en.language_failed, { language: "Cymraeg" }));
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
});

test("a language the form does not offer, or a hostile one, is ignored", async ({ page }) => {
  for (const lang of ["fr", "%3Cimg%20src%3Dx%3E", "x".repeat(40)]) {
    await page.goto(`/?lang=${lang}`);
    await expect(page.locator("#main-heading")).toHaveText("Tell us about the support you got");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("alert")).toHaveCount(0);
  }
});

test("easy read shows simpler words and keeps focus on its switch; scales have pictures with text alternatives", async ({ page }) => {
  await page.goto("/#/page/your-support");
  const toggle = page.getByRole("button", { name: "Easy read" });
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await expect(toggle).toHaveAccessibleDescription("Easy read uses simpler words.");
  await page.getByLabel("Video calls").check();

  await toggle.focus();
  await page.keyboard.press("Enter");
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await expect(toggle).toBeFocused();
  await expect(page.getByRole("group", { name: "How did they help you?" })).toBeVisible();
  await expect(page.getByRole("checkbox", { name: "On a video call" })).toBeChecked();
  await expect(page.getByText("How did you get support?")).toHaveCount(0);
  await expectNoAxeViolations(page, "easy read question page");

  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("group", { name: "Was help on video calls good for you?" })).toBeVisible();
  const faces = page.locator("img.choice__picture");
  await expect(faces).toHaveCount(5);
  for (const [i, alt] of ["A very sad face", "A sad face", "A face that is neither happy nor sad", "A happy face", "A very happy face"].entries()) {
    await expect(faces.nth(i)).toHaveAttribute("alt", alt);
    // Polled: the picture is asked for when its page is drawn, and may still be on its way.
    await expect.poll(() => faces.nth(i).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { message: `${alt} loaded` }).toBe(true);
  }
  await expect(page.getByRole("radio", { name: "A very happy face Very well" })).toBeVisible();
  await expectNoAxeViolations(page, "easy read scale page");

  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await expect(page.getByRole("group", { name: "How well did video calls work for you?" })).toBeVisible();
});

test("a change of language or of easy read changes the words and nothing else: what is typed, and the page itself, stay", async ({ page }) => {
  // A property set on an element survives only if the element is not drawn again.
  const mark = (selector: string) => page.locator(selector).evaluate((el) => ((el as any).__kept = true));
  const marked = (selector: string) => page.locator(selector).evaluate((el) => (el as any).__kept === true);

  await page.goto("/#/page/anything-else");
  const box = page.locator("textarea").first();
  await box.fill("Typed, not yet sent");
  await mark("textarea");
  await mark("main form.question-page");
  await page.getByRole("button", { name: "Easy read" }).click();
  await expect(page.getByRole("button", { name: "Easy read" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("textbox", { name: "Do you want to tell us anything else?" })).toHaveValue("Typed, not yet sent");
  expect(await marked("textarea"), "the text box was not drawn again").toBe(true);
  expect(await marked("main form.question-page"), "the page was not drawn again").toBe(true);
  await expect(box).toHaveValue("Typed, not yet sent");

  await page.goto("/");
  await mark("#main-heading");
  await page.getByRole("navigation", { name: "Language" }).getByRole("link", { name: "Cymraeg" }).click();
  await expect(page.locator("#main-heading")).toHaveText(words.cy["title"]);
  await expect(page.getByRole("button", { name: ui.cy.start })).toBeVisible();
  expect(await marked("#main-heading"), "the start page was not drawn again").toBe(true);
});

test("in Welsh a yes/no question answers with its own verb (Do / Naddo), not a bare Ie / Na", async ({ page }) => {
  await page.goto("/?lang=cy#/page/your-worker");
  const group = page.getByRole("group", { name: words.cy["q.set_back.label"] });
  await expect(group.getByRole("radio")).toHaveCount(2);
  await group.getByRole("radio", { name: words.cy["q.set_back.no"], exact: true }).check();
  await expect(group.getByRole("radio", { name: "Do", exact: true })).toBeVisible();
  await expect(group.getByRole("radio", { name: ui.cy.yes, exact: true })).toHaveCount(0);
});

test("counts use each language's own plural forms (the browser's Intl.PluralRules), not copies of English's two", async ({ page }) => {
  const count = page.locator("#q-keep ~ .character-count__message");
  const typeLeaving = async (left: number) => page.locator("#q-keep").fill("x".repeat(1000 - left));

  // Arabic: 1 and 2 have their own words; 3–10, 11–99 and 100 and up each their own noun form.
  await page.goto("/?lang=ar#/page/what-next");
  await expect(page.locator("html")).toHaveAttribute("lang", "ar");
  const arabic: [number, string][] = [
    [0, "لم يتبقَّ لديك أي حرف"],
    [1, "تبقّى لديك حرف واحد"],
    [2, "تبقّى لديك حرفان"],
    [5, "تبقّى لديك 5 أحرف"],
    [50, "تبقّى لديك 50 حرفًا"],
    [200, "تبقّى لديك 200 حرف"],
  ];
  for (const [left, words] of arabic) {
    await typeLeaving(left);
    await expect(count).toHaveText(words);
  }
  await page.locator("#q-keep").fill("x".repeat(1002));
  await expect(count).toHaveText("لديك حرفان زائدان");

  // English: one and other, and a one-minute form says "1 minute", not "1 minutes".
  await asStaticHost(page);
  await page.route("**/forms/remote-support.json", async (route) => {
    const form = await (await route.fetch()).json();
    await route.fulfill({ json: { ...form, minutes: Number(new URL(page.url()).searchParams.get("m") ?? 5) } });
  });
  await page.goto("/?m=1");
  await expect(page.getByText("It takes about 1 minute.", { exact: true })).toBeVisible();
  await page.goto("/?m=5");
  await expect(page.getByText("It takes about 5 minutes.", { exact: true })).toBeVisible();
  // Welsh: "two" and "few" have their own forms.
  await page.goto("/?lang=cy&m=2");
  await expect(page.getByText("Mae'n cymryd tua dau funud.", { exact: true })).toBeVisible();
  await page.goto("/?lang=cy&m=3");
  await expect(page.getByText("Mae'n cymryd tua thri munud.", { exact: true })).toBeVisible();
  await page.goto("/?lang=cy&m=12");
  await expect(page.getByText("Mae'n cymryd tua 12 munud.", { exact: true })).toBeVisible();
});
