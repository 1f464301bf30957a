import { test, expect, type Page, type Locator } from "./fixtures";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LANGUAGES, eachScreen, exportJsonl, expectFocusOnHeading, expectNoAxeViolations } from "./helpers";

/** Presses Tab until `target` has focus, as a keyboard user would; fails if it never does. */
async function tabTo(page: Page, target: Locator, most = 40) {
  for (let i = 0; i < most; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  await expect(target, `reached by Tab within ${most} presses`).toBeFocused();
}

const read = (path: string) => JSON.parse(readFileSync(join(__dirname, "../../public", path), "utf8"));
const englishForm = read("forms/remote-support.json");

/** The form's words for a key in `lang` (English from the form file itself). */
function formText(lang: string, key: string): string {
  if (lang !== "en") return read(`forms/remote-support.${lang}.json`).texts[key];
  const [, page] = key.split(".");
  return englishForm.pages.find((p: any) => p.id === page).title;
}

for (const lang of LANGUAGES) {
  test(`the whole form can be completed and sent with the keyboard alone, in ${lang}`, async ({ page }, info) => {
    const ui = read(`locales/${lang}.json`);
    const heading = (pageId: string) => formText(lang, `page.${pageId}.title`);
    const marker = `keyboard-${lang}-${info.project.name}-${Date.now()}`;
    const submit = page.locator("form.question-page button[type=submit]");
    await page.goto(lang === "en" ? "/" : `/?lang=${lang}`);
    await tabTo(page, page.getByRole("button", { name: ui.start }));
    await page.keyboard.press("Enter");
    await expectFocusOnHeading(page, heading("your-support"));

    await tabTo(page, page.locator("#q-services-3")); // mental health
    await page.keyboard.press("Space");
    await tabTo(page, page.locator("#q-ways-3")); // video calls
    await page.keyboard.press("Space");
    await tabTo(page, submit);
    await expect(submit).toHaveText(ui.continue);
    await page.keyboard.press("Enter");

    await expectFocusOnHeading(page, heading("how-well"));
    await tabTo(page, page.locator("#q-rate_video")); // the first point
    for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowDown"); // radios move with the arrows
    await expect(page.locator("#q-rate_video-4")).toBeChecked();
    await tabTo(page, submit);
    await page.keyboard.press("Enter");

    for (const id of ["getting-help", "your-worker", "what-next"]) {
      await expectFocusOnHeading(page, heading(id));
      await tabTo(page, submit);
      await page.keyboard.press("Enter");
    }
    await expectFocusOnHeading(page, heading("anything-else"));
    await tabTo(page, page.locator("#q-anything_else"));
    await page.keyboard.type(marker);
    await tabTo(page, submit);
    await page.keyboard.press("Enter");

    await expectFocusOnHeading(page, ui.check_title);
    await tabTo(page, page.getByRole("button", { name: ui.send }), 80);
    await page.keyboard.press("Enter");
    await expectFocusOnHeading(page, ui.sent_title);
    const stored = exportJsonl().filter((r) => r.answers.anything_else === marker);
    expect(stored).toHaveLength(1);
    expect(stored[0].language).toBe(lang);
    expect(stored[0].answers).toEqual({ services: ["mental_health"], ways: ["video"], rate_video: 4, anything_else: marker });
  });
}

test("Tab never gets stuck: it goes round the whole page and back to the start", async ({ page }) => {
  await page.goto("/#/page/your-support");
  await expect(page.locator("#main-heading")).toHaveText("Your support");
  const seen: string[] = [];
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press("Tab");
    const id = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el ? `${el.tagName}#${el.id}.${el.textContent?.trim().slice(0, 20)}` : "none";
    });
    if (seen.includes(id)) break; // came round again
    seen.push(id);
  }
  expect(seen.length).toBeGreaterThan(12); // skip link, exit, back, 11 checkboxes, continue
  expect(seen.some((s) => s.includes("Continue"))).toBe(true);
  expect(seen.length).toBeLessThan(60);
});

async function expectNoHorizontalScroll(page: Page, screen: string) {
  const { scroll, width, outside } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
    // Anything drawn past either edge is cut off for the reader (the left one in right-to-left pages).
    outside: [...document.querySelectorAll("main *, header *")]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return (r.right > window.innerWidth + 1 || r.left < -1) && el.getClientRects().length > 0;
      })
      .map((el) => `${el.tagName}.${el.className}`),
  }));
  expect(outside, `${screen}: nothing past the edges`).toEqual([]);
  expect(scroll, `${screen}: no horizontal scrolling`).toBeLessThanOrEqual(width);
}

test.describe("reflow", () => {
  test.use({ viewport: { width: 320, height: 640 } });
  test("at 320 CSS pixels wide nothing scrolls sideways or is cut off", async ({ page }) => {
    for (const lang of LANGUAGES) {
      await eachScreen(page, (screen) => expectNoHorizontalScroll(page, `320px ${screen}`), lang);
    }
  });
});

test("with text at 200% nothing scrolls sideways or is cut off", async ({ page }) => {
  await page.addInitScript(() => {
    document.addEventListener("DOMContentLoaded", () => (document.documentElement.style.fontSize = "200%"));
  });
  await eachScreen(page, async (screen) => {
    expect(await page.evaluate(() => getComputedStyle(document.body).fontSize)).toBe("38px");
    await expectNoHorizontalScroll(page, `200% text ${screen}`);
  });
});

test("every control a finger presses is at least 44 by 44 pixels", async ({ page }) => {
  await eachScreen(page, async (screen) => {
    const small = await page.evaluate(() =>
      [...document.querySelectorAll("a, button, input, textarea")]
        .filter((el) => !el.classList.contains("skip-link"))
        .map((el) => ({ el, r: el.getBoundingClientRect() }))
        .filter(({ r }) => r.width > 0 && (r.width < 44 || r.height < 44))
        .map(({ el, r }) => `${el.tagName} "${el.textContent?.trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`),
    );
    expect(small, `${screen}: small targets`).toEqual([]);
  });
});

test("dark mode passes axe on every screen in every language", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  for (const lang of LANGUAGES) {
    await eachScreen(page, async (screen) => {
      expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe("rgb(18, 18, 18)");
      await expectNoAxeViolations(page, `dark ${screen}`);
    }, lang);
  }
});

test("forced colours (Windows high contrast) pass axe on every screen in every language, and checkboxes keep their borders", async ({ page }) => {
  await page.emulateMedia({ forcedColors: "active" });
  for (const lang of LANGUAGES) {
    await eachScreen(page, async (screen) => {
      await expectNoAxeViolations(page, `forced colours ${screen}`);
    }, lang);
  }
  await page.goto("/#/page/your-support");
  const border = await page.locator(".checkboxes__label").first().evaluate((el) => getComputedStyle(el, "::before").borderTopStyle);
  expect(border).toBe("solid");
});

test("reduced motion is respected: nothing animates, not even motion added later", async ({ page }) => {
  // The form has no motion of its own today, so "nothing moves" alone could not
  // fail. The page's reduced-motion rule must also stop motion that a later
  // change (or a partner's page) adds: a probe element with an animation and a
  // transition moves without the preference and stands still with it.
  const probe = () =>
    page.evaluate(() => {
      const el = document.createElement("div");
      el.id = "motion-probe";
      el.style.cssText = "animation: probe-spin 1s infinite; transition: opacity 2s";
      document.body.append(el);
      const s = getComputedStyle(el);
      const moving = [...document.querySelectorAll("*")].filter((e) => {
        const c = getComputedStyle(e);
        return c.animationName !== "none" || c.transitionDuration.split(",").some((d) => parseFloat(d) > 0);
      });
      const found = { animation: s.animationName, transition: s.transitionDuration, moving: moving.map((e) => e.id || e.tagName) };
      el.remove();
      return found;
    });
  await page.emulateMedia({ reducedMotion: "no-preference" });
  await page.goto("/#/page/your-support");
  await expect(page.locator("#main-heading")).toBeVisible();
  expect(await probe()).toEqual({ animation: "probe-spin", transition: "2s", moving: ["motion-probe"] });
  await page.emulateMedia({ reducedMotion: "reduce" });
  expect(await probe()).toEqual({ animation: "none", transition: "0s", moving: [] });
});

test("screen readers get names and roles: the question page's accessibility tree", async ({ page }) => {
  await page.goto("/#/page/your-support");
  await expect(page.locator("main")).toMatchAriaSnapshot(`
    - button "Back"
    - text: Page 1 of 5
    - heading "Your support" [level=1]
    - group "Which services have supported you?":
      - text: Which services have supported you? Choose all that apply.
      - checkbox "Housing or homelessness"
      - text: Housing or homelessness
      - checkbox "Drugs or alcohol"
      - text: Drugs or alcohol
      - checkbox "Mental health"
      - text: Mental health
      - checkbox "Probation, prison or police"
      - text: Probation, prison or police
      - checkbox "Domestic abuse or women's services"
      - text: Domestic abuse or women's services
      - checkbox "Another service"
      - text: Another service or
      - checkbox "I'd rather not say"
      - text: I'd rather not say
    - group "How did you get support?":
      - text: How did you get support? If you had a mix, choose all the ways you used.
      - checkbox "In person"
      - text: In person
      - checkbox "Phone calls"
      - text: Phone calls
      - checkbox "Video calls"
      - text: Video calls
      - checkbox "Texts or messaging apps, like WhatsApp"
      - text: Texts or messaging apps, like WhatsApp
    - button "Continue"
  `);
  // Hints are tied to their questions.
  await expect(page.getByRole("group", { name: "How did you get support?" })).toHaveAccessibleDescription(
    "If you had a mix, choose all the ways you used.",
  );
});
