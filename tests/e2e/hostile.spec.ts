// Hostile strings everywhere a text is shown (issue 14, item 4): a corpus of markup, script, bidi overrides,
// zero-width characters, a 10,000-character word, right-to-left marks and emoji sequences, put through the
// form file, a translation, config.json's organisation and help contacts, and typed answers. Nothing runs
// (fixtures.ts fails a test on any page error or Content-Security-Policy violation, and each page is asked
// whether the planted scripts ran), the layout holds at 320 px, and Check your answers and the CSV show
// each text as text. With the app, and with no JavaScript at all (the pages the collector draws).
import { test, expect, type Page } from "./fixtures";
import { startOwnCollector, type OwnCollector } from "./own_collector";
import { readFileSync, writeFileSync } from "node:fs";

const LONG = "W".repeat(10_000);
const CORPUS = {
  script: `<script>window.pwned = "script"</script>`,
  handler: `<img src=x onerror="window.pwned='img'">`,
  link: `<a href="javascript:window.pwned='link'">click</a>`,
  bidi: "\u202Eevil\u202C and \u2066isolated\u2069",
  zeroWidth: "zero\u200Bwidth\u200D\uFEFFjoiners",
  rtlMark: "\u200Fمرحبا\u200E hello",
  emoji: "👩🏽‍🦱🏳️‍🌈👨‍👩‍👧‍👦",
  entity: "&lt;b&gt;not bold&lt;/b&gt; &amp;",
};
// Invalid UTF-16 (a lone surrogate) can only be typed: no JSON file our parsers read can carry it (serde_json
// refuses one, naming the file and the place: `collector/tests/http.rs`). In the app it becomes U+FFFD as it enters Rust,
// and a page with no app sends U+FFFD too (a browser encodes a form's fields as UTF-8 that way).
const LONE = "lone\uD800surrogate and \uDFFFreversed";
const LONE_STORED = "lone\uFFFDsurrogate and \uFFFDreversed";
const ALL = Object.values(CORPUS).join(" | ");

let own: OwnCollector | undefined;

test.beforeAll(async () => {
  test.setTimeout(60_000);
  own = await startOwnCollector("hostile", (dist) => {
    const edit = (file: string, change: (json: any) => void) => {
      const json = JSON.parse(readFileSync(`${dist}/${file}`, "utf8"));
      change(json);
      writeFileSync(`${dist}/${file}`, JSON.stringify(json));
    };
    edit("config.json", (c) => {
      c.organisation.name = { en: `Org ${CORPUS.script} ${CORPUS.bidi}`, cy: `Sefydliad ${CORPUS.handler}`, ar: `منظمة ${CORPUS.rtlMark}` };
      c.help = [{ name: `Help ${CORPUS.link}`, description: `${CORPUS.zeroWidth} ${LONG}`, phone: "0800 000 000", hours: CORPUS.emoji }];
    });
    edit("forms/remote-support.json", (f) => {
      f.pages[0].title = `Page ${CORPUS.handler} ${LONG}`;
      f.pages[0].questions[0].label = `Which ${CORPUS.script}?`;
      f.pages[0].questions[0].hint = CORPUS.entity;
      f.pages[0].questions[0].options[0].label = `Housing ${CORPUS.link} ${CORPUS.bidi}`;
    });
    edit("forms/remote-support.cy.json", (t) => {
      t.texts.title = `Teitl ${CORPUS.script} ${CORPUS.emoji}`;
    });
  });
});

test.afterAll(async () => {
  await own?.stop();
});

/** Nothing planted ran, and nothing scrolls sideways at 320 px. */
async function holds(page: Page, where: string) {
  expect(await page.evaluate(() => (window as any).pwned), `nothing ran on ${where}`).toBeUndefined();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), `no sideways scroll on ${where}`).toBe(true);
}

for (const app of [true, false]) {
  test(`hostile texts in every file and in typed answers stay text, ${app ? "with the app" : "with no JavaScript"}`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: app, viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(`${own!.origin}/`);
    if (app) await expect(page.locator("html")).toHaveAttribute("data-app", "started");
    // The organisation's name, as written, markup and all.
    await expect(page.getByText(CORPUS.script, { exact: false }).first()).toBeVisible();
    await holds(page, "the start page");

    await page.locator("button.button--start").click();
    await expect(page.locator("form.question-page")).toBeVisible();
    await expect(page.locator("#main-heading")).toContainText(`Page ${CORPUS.handler}`);
    await expect(page.getByText(`Which ${CORPUS.script}?`)).toBeVisible();
    await expect(page.getByText(CORPUS.entity, { exact: true })).toBeVisible(); // entities shown as typed, not decoded
    await holds(page, "a question page");
    await page.locator('input[name="q-services"][value="housing"]').check();
    // Typed answers: to the form's free-text questions, on whichever page they are.
    const typed = `${LONE} ${ALL} ${"x".repeat(2_000)}`;
    for (let i = 0; i < 10 && !(await page.locator("#send").count()); i++) {
      for (const field of await page.locator("form.question-page textarea").all()) await field.fill(typed.slice(0, 1_000));
      await page.locator("form.question-page button[type=submit]").click();
      await expect(page.locator("#main-heading")).toBeVisible();
    }
    // Check your answers shows them as text.
    await expect(page.getByText(CORPUS.script, { exact: false }).first()).toBeVisible();
    await holds(page, "Check your answers");
    await page.locator("#send").click();
    await expect(page.locator(".panel__title")).toBeVisible();
    await expect(page.getByText(`Help ${CORPUS.link}`)).toBeVisible(); // the help contact, as text
    await holds(page, "the confirmation");
    expect(errors, "no page error or console error").toEqual([]);
    await context.close();
  });
}

test("stored and exported as text: the JSON lines and the CSV carry each hostile answer exactly", async () => {
  const rows = own!.rows();
  expect(rows.length, "the two journeys above were stored").toBeGreaterThanOrEqual(1);
  const answer = Object.values(rows[0].answers).find((v) => typeof v === "string" && v.includes(CORPUS.script)) as string;
  expect(answer, "a typed answer with the corpus in it").toBeTruthy();
  for (const text of Object.values(CORPUS)) expect(answer).toContain(text.slice(0, 20));
  for (const row of rows) {
    const texts = Object.values(row.answers).filter((v) => typeof v === "string") as string[];
    expect(texts.some((t) => t.includes(LONE_STORED)), "a lone surrogate is stored as U+FFFD, with the app and without").toBe(true);
  }
  // In the CSV the text is one quoted cell (a quote doubled), never split or interpreted.
  const csv = own!.csv();
  expect(csv).toContain(CORPUS.handler.replaceAll('"', '""'));
  expect(csv.split("\n")[0]).toContain("submission_id");
});
