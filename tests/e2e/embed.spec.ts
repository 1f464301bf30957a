// The form embedded in a partner's website (issue 13), cross-site as it will be in real life: the
// partner's pages are served from http://localhost:<port> by a small server here, the form by its own
// collector on http://127.0.0.1:<port>, with a config.json that lists the partner (embed.sources,
// embed.allowed_origins). A second site, not listed, stands for a page that is no partner.
import { test, expect, type Page } from "./fixtures";
import { expectNoAxeViolations, LANGUAGES } from "./helpers";
import { startOwnCollector, freePort, type OwnCollector } from "./own_collector";
import http from "node:http";
import { readFileSync, writeFileSync } from "node:fs";

const NEUTRAL = "https://www.bbc.co.uk/weather";
// In the partner page's own address: it must never reach the form or the answers.
const HOST_SECRET = "visitor=host-secret-4711";
let own: OwnCollector | undefined;
let form = ""; // the form's origin, http://127.0.0.1:<port>
let partner = ""; // a partner's site, listed in config.json: http://localhost:<port>
let stranger = ""; // a site that is no partner: http://localhost:<another port>
const sites: http.Server[] = [];
const pages = new Map<string, string>(); // path → HTML, served by both sites

async function site(port: number): Promise<string> {
  const s = http.createServer((req, res) => {
    const html = pages.get((req.url ?? "/").split("?")[0]);
    res.writeHead(html ? 200 : 404, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(html ?? "not found");
  });
  await new Promise<void>((r) => s.listen(port, "127.0.0.1", r));
  sites.push(s);
  return `http://localhost:${port}`;
}

/** A partner's page holding `body`, at `path` on both sites; with embed.js from the form's site. */
function hostPage(path: string, body: string, lang = "en") {
  pages.set(
    path,
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
      `<title>Partner page</title></head><body style="margin:0"><main><h1>Partner page</h1>${body}</main>` +
      `<script src="${form}/embed/embed.js" defer></script></body></html>`,
  );
}

const rows = (): any[] => own!.rows();

test.beforeAll(async () => {
  test.setTimeout(60_000);
  const [formPort, partnerPort, strangerPort] = [await freePort(), await freePort(), await freePort()];
  partner = await site(partnerPort);
  stranger = await site(strangerPort);
  // The built app, with a config.json that lists the partner.
  own = await startOwnCollector(
    "embed",
    (dist) => {
      const config = JSON.parse(readFileSync(`${dist}/config.json`, "utf8"));
      config.embed = { sources: ["hostel-a"], allowed_origins: [partner] };
      writeFileSync(`${dist}/config.json`, JSON.stringify(config, null, 2));
    },
    formPort,
  );
  form = own.origin;
  // The repository's example page, as a partner would put it up, pointing at this form.
  pages.set("/example", readFileSync("examples/embed/index.html", "utf8").replaceAll("https://forms.example.org", form));
});

test.afterAll(async () => {
  for (const s of sites) s.close();
  await own?.stop();
});

// The partner page's events, as its own script would hear them.
test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    if (self !== top) return;
    (window as any).heard = [];
    for (const type of ["ready", "page", "submitted", "height"]) {
      document.addEventListener(`feedback:${type}`, (e) => (window as any).heard.push({ type, detail: (e as CustomEvent).detail }));
    }
  });
  await page.context().route("https://www.bbc.co.uk/**", (r) => r.fulfill({ contentType: "text/html", body: "<title>Weather</title><h1>Weather</h1>" }));
});

const heard = (page: Page, type: string): Promise<any[]> =>
  page.evaluate((t) => (window as any).heard.filter((e: any) => e.type === t).map((e: any) => e.detail), type);

/** The form's frame (a Frame, to measure inside it). */
async function formFrame(page: Page) {
  const handle = await page.locator("iframe").first().elementHandle();
  return (await handle!.contentFrame())!;
}

/** Inside the frame: the document is exactly as tall as the frame, and as wide (no inner scrollbar). */
async function expectFitted(page: Page, where: string) {
  await expect
    .poll(async () => {
      const frame = await formFrame(page);
      const inner = await frame.evaluate(() => {
        const d = document.documentElement;
        return { sh: d.scrollHeight, ch: d.clientHeight, sw: d.scrollWidth, cw: d.clientWidth, h: Math.ceil(d.getBoundingClientRect().height) };
      });
      const outer = await page.locator("iframe").first().evaluate((f) => f.clientHeight);
      return inner.sh === inner.ch && inner.sw <= inner.cw && Math.abs(outer - inner.h) <= 1 ? "fitted" : JSON.stringify({ ...inner, outer });
    }, { message: `the frame fits the form on ${where}` })
    .toBe("fitted");
}

for (const desktop of [false, true]) {
  test(`a person answers and sends the form inside a partner's page${desktop ? " at desktop size" : ""}: it fits each page, the page hears ready, page and submitted, and nothing of the page reaches the answers`, async ({ page }, info) => {
    test.skip(desktop && info.project.name !== "phone", "one desktop size is enough");
    if (desktop) await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${partner}/example?${HOST_SECRET}`);
    // The partner's own search box has focus; the form loading below must not take it, nor scroll.
    await page.locator("#search").focus();
    const iframe = page.locator("iframe");
    await expect(iframe).toHaveAttribute("loading", "lazy");
    await expect(iframe).toHaveAttribute("referrerpolicy", "no-referrer");
    expect(await iframe.getAttribute("src")).not.toContain("host-secret");
    await expect.poll(() => heard(page, "ready")).toHaveLength(1);
    await expect(iframe).toHaveAttribute("title", "Tell us about the support you got");
    await expect(page.locator("#search")).toBeFocused();
    expect(await page.evaluate(() => scrollY), "the partner's page did not move").toBe(0);

    const frame = page.frameLocator("iframe");
    // The embedded look: no header of the form's own, the partner's theme, headings from level 3.
    await expect(frame.locator("html")).toHaveAttribute("data-embed", "");
    await expect(frame.locator(".header")).toBeHidden();
    await expect(frame.locator("#main-heading")).toHaveAttribute("aria-level", "3");
    await expect(frame.locator(".button--start")).toHaveCSS("background-color", "rgb(111, 44, 145)");
    await expectFitted(page, "the start page");

    await frame.locator(".button--start").click();
    await frame.locator('input[name="q-ways"][value="phone"]').check();
    let screens = 1;
    for (let i = 0; i < 10 && !(await frame.locator("#send").count()); i++) {
      await expectFitted(page, `screen ${screens}`);
      await frame.locator("form.question-page button[type=submit]").click();
      await expect(frame.locator("#main-heading")).toBeFocused();
      // The top of the form is in view on the partner's page, whatever was scrolled before.
      await expect.poll(() => iframe.evaluate((f) => f.getBoundingClientRect().top), { message: "the form's top in view" }).toBeGreaterThanOrEqual(-1);
      expect(await iframe.evaluate((f) => f.getBoundingClientRect().top < innerHeight)).toBe(true);
      screens++;
    }
    await expectFitted(page, "Check your answers");
    await frame.locator("#send").click();
    await expect(frame.locator(".panel__title")).toBeVisible();
    await expectFitted(page, "the confirmation");

    const [submitted] = await (async () => {
      await expect.poll(() => heard(page, "submitted")).toHaveLength(1);
      return heard(page, "submitted");
    })();
    const id = submitted.submission_id;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const visited = await heard(page, "page");
    expect(visited.length, "a page event for each screen").toBeGreaterThanOrEqual(screens + 1);
    expect(visited[0]).toEqual({ page: 1, of: 10 }); // start, 7 pages, check, sent
    expect(visited.at(-1)).toEqual({ page: 10, of: 10 });
    for (const e of await page.evaluate(() => (window as any).heard)) {
      expect(JSON.stringify(e.detail ?? {}), "no answer in any event").not.toContain("phone");
    }
    expect((await heard(page, "height")).length).toBeGreaterThan(0);

    await expect.poll(() => rows().filter((r) => r.submission_id === id).length).toBe(1);
    const row = rows().find((r) => r.submission_id === id);
    expect(row.source).toBe("hostel-a");
    expect(row.answers.ways).toEqual(["phone"]);
    const stored = JSON.stringify(row);
    for (const leak of ["host-secret", "localhost", "example"]) expect(stored, "nothing of the partner's page is stored").not.toContain(leak);
  });
}

test("at 280 px wide the form fits with no sideways scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 280, height: 640 });
  hostPage("/narrow", `<div data-feedback-form="${form}/"><a href="${form}/">Give feedback</a></div>`);
  await page.goto(`${partner}/narrow`);
  await expect.poll(() => heard(page, "ready")).toHaveLength(1);
  await expectFitted(page, "the start page at 280 px");
  await page.frameLocator("iframe").locator(".button--start").click();
  await expect(page.frameLocator("iframe").locator("form.question-page")).toBeVisible();
  await expectFitted(page, "a question page at 280 px");
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
  // Settled: the height is not reported again and again (no growth loop between frame and page).
  await page.waitForTimeout(500);
  const reports = (await heard(page, "height")).length;
  await page.waitForTimeout(1_000);
  expect((await heard(page, "height")).length, "no more height reports once settled").toBe(reports);
});

test("messages from another origin, from another frame, or in a wrong envelope change nothing and are not answered", async ({ page }) => {
  // The partner's page with a bare frame of the form (no embed.js), and a frame from a site that is no partner.
  // It waits until the form's frame is there, then says hello to every other frame of the page.
  pages.set("/evil", `<!doctype html><title>x</title><script>
    onmessage = (e) => parent.postMessage({ evil: "answered", data: e.data }, "*");
    let tries = 0;
    const go = () => {
      if (parent.frames.length < 2 && tries++ < 100) return setTimeout(go, 100);
      for (let i = 0; i < parent.frames.length; i++) {
        if (parent.frames[i] !== self) parent.frames[i].postMessage({ source: "feedback-form", version: 1, type: "hello" }, "*");
      }
      parent.postMessage({ source: "feedback-form", version: 1, type: "submitted", submission_id: "0f8fad5b-d9cb-469f-a165-70867728950e" }, "*");
      parent.postMessage({ source: "feedback-form", version: 1, type: "height", height: 5000 }, "*");
      setTimeout(() => parent.postMessage({ evil: "done" }, "*"), 1000);
    };
    go();
  </script>`);
  hostPage(
    "/bare",
    `<script>evil = []; addEventListener("message", (e) => e.data?.evil && evil.push(e.data.evil));</script>` +
      `<div data-feedback-form="${form}/"><a href="${form}/">Give feedback</a></div>` +
      `<iframe id="evil" title="other" src="${stranger}/evil" style="width:10px;height:10px"></iframe>`,
  );
  await page.goto(`${partner}/bare`);
  await expect.poll(() => heard(page, "ready")).toHaveLength(1);
  await expect.poll(() => page.evaluate(() => (window as any).evil), { message: "the other frame has posed as the form and the page" }).toContain("done");
  // The form never answered the other site's hello, and the partner's page heard nothing from it.
  expect(await page.evaluate(() => (window as any).evil)).toEqual(["done"]);
  expect(await heard(page, "submitted")).toEqual([]);
  const height = await page.locator("iframe").first().evaluate((f) => f.clientHeight);
  expect(height).toBeLessThan(5000);

  // Straight to the form's frame, from the partner's page: wrong envelopes get no answer; the right one does.
  const answers = () => page.evaluate(() => (window as any).answers.length);
  await page.evaluate(() => {
    (window as any).answers = [];
    addEventListener("message", (e) => e.data?.type === "ready" && (window as any).answers.push(e.data));
  });
  const post = (data: unknown) => page.evaluate(([d, origin]) => (document.querySelector("iframe") as HTMLIFrameElement).contentWindow!.postMessage(d, origin as string), [data, form] as const);
  for (const wrong of [{ type: "hello" }, { source: "feedback-form", version: 2, type: "hello" }, { source: "other", version: 1, type: "hello" }, "hello"]) await post(wrong);
  await page.waitForTimeout(500);
  expect(await answers(), "wrong envelopes are not answered").toBe(0);
  await post({ source: "feedback-form", version: 1, type: "hello" });
  await expect.poll(answers, { message: "the right envelope is" }).toBe(1);
});

test("popup: a button opens the form in a modal dialog; focus moves in, Escape closes it, focus comes back; axe passes with it open", async ({ page }) => {
  hostPage("/popup", `<p>Before.</p><div data-feedback-form="${form}/" data-mode="popup"><a href="${form}/">Give feedback</a></div><p><a href="#x">After</a></p>`);
  await page.goto(`${partner}/popup`);
  const open = page.getByRole("button", { name: "Give feedback" });
  await open.click();
  const dialog = page.locator("dialog");
  await expect(dialog).toBeVisible();
  await expect.poll(() => page.evaluate(() => !!document.activeElement?.closest("dialog"))).toBe(true);
  await expect.poll(() => heard(page, "ready")).toHaveLength(1);
  await expect(dialog).toHaveAttribute("aria-label", "Tell us about the support you got");
  await expectNoAxeViolations(page, "the partner's page with the popup open");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(open).toBeFocused();
  // Escape pressed inside the form closes it too.
  await open.click();
  await page.frameLocator("iframe").locator(".button--start").focus();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(open).toBeFocused();
});

test("Exit this page inside the form leaves the partner's page too, and so does Shift three times on the partner's page", async ({ page }) => {
  await page.goto(`${partner}/example`);
  await expect.poll(() => heard(page, "ready")).toHaveLength(1);
  await page.frameLocator("iframe").locator(".exit-this-page__button").click();
  await expect(page).toHaveURL(NEUTRAL);

  // With answers in progress (a draft, kept in the frame's storage for this partner's site): Shift three times
  // on the partner's page forgets them, so whoever opens that page next on this device finds nothing. The
  // partner's page is put on the form's own site (a frame of another site may keep nothing in this Chromium),
  // where the frame shares the page's process: a frame removed at once there never reads the message.
  const sameSite = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner page</title></head><body><main>` +
    `<h1>Partner page</h1><div data-feedback-form="${form}/"></div></main><script src="${form}/embed/embed.js" defer></script></body></html>`;
  await page.route(`${form}/same-site.html`, (r) => r.fulfill({ contentType: "text/html", body: sameSite }));
  await page.goto(`${form}/same-site.html`);
  await expect.poll(() => heard(page, "ready")).toHaveLength(1);
  const frame = page.frameLocator("iframe");
  await frame.locator(".button--start").click();
  await frame.locator('input[name="q-ways"][value="video"]').check();
  const draft = async () => (await formFrame(page)).evaluate(() => localStorage.getItem("feedback-form:draft"));
  await expect.poll(draft).toContain("video");
  await page.locator("h1").click();
  for (let i = 0; i < 3; i++) await page.keyboard.press("Shift");
  await expect(page).toHaveURL(NEUTRAL);
  await page.goto(`${form}/same-site.html`);
  await expect.poll(() => heard(page, "ready")).toHaveLength(1);
  expect(await draft()).toBeNull();
  await expect(frame.locator("#main-heading")).toHaveText("Tell us about the support you got");
  await expect(frame.locator("main")).not.toContainText("Your answers so far are saved");
});

test("a site that is not a partner cannot frame the form", async ({ page, problems }) => {
  problems.expect(/frame-ancestors|ERR_BLOCKED_BY_RESPONSE/, "the browser refuses to frame the form on a page that is not listed");
  const refused: string[] = [];
  page.on("console", (m) => /frame-ancestors/.test(m.text()) && refused.push(m.text()));
  hostPage("/not-a-partner", `<div data-feedback-form="${form}/"><a href="${form}/">Give feedback</a></div>`);
  await page.goto(`${stranger}/not-a-partner`);
  await expect.poll(() => refused.length, { message: "Chromium says it refused" }).toBeGreaterThan(0);
  await page.waitForTimeout(1_000);
  expect(await heard(page, "ready")).toEqual([]);
  const frame = await formFrame(page);
  expect(await frame.locator("#main-heading").count()).toBe(0);
});

test("with storage refused inside the frame, the answers still arrive exactly once", async ({ page }) => {
  await page.addInitScript(() => {
    if (self === top) return;
    const refuse = () => {
      throw new DOMException("Storage is not allowed in this frame.", "SecurityError");
    };
    IDBFactory.prototype.open = refuse;
    Storage.prototype.setItem = refuse;
  });
  hostPage("/no-storage", `<div data-feedback-form="${form}/" data-source="hostel-a"><a href="${form}/">Give feedback</a></div>`);
  await page.goto(`${partner}/no-storage`);
  const frame = page.frameLocator("iframe");
  await frame.locator(".button--start").click();
  await frame.locator('input[name="q-ways"][value="video"]').check();
  for (let i = 0; i < 10 && !(await frame.locator("#send").count()); i++) {
    await frame.locator("form.question-page button[type=submit]").click();
    await expect(frame.locator("#main-heading")).toBeFocused();
  }
  await frame.locator("#send").click();
  await expect.poll(() => heard(page, "submitted")).toHaveLength(1);
  const [{ submission_id: id }] = await heard(page, "submitted");
  await expect.poll(() => rows().filter((r) => r.submission_id === id).length).toBe(1);
  await page.waitForTimeout(1_000);
  expect(rows().filter((r) => r.submission_id === id)).toHaveLength(1);
});

test("a plain iframe works with no script at all: the embedded look, and the next page keeps it", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  pages.set("/plain", `<!doctype html><html lang="en"><title>Plain</title><h1>Plain</h1><iframe src="${form}/?embed=1" title="Feedback form" loading="lazy" style="width:100%;height:900px"><a href="${form}/">Give feedback</a></iframe>`);
  await page.goto(`${partner}/plain`);
  const frame = page.frameLocator("iframe");
  await expect(frame.locator("html")).toHaveAttribute("data-embed", "");
  await expect(frame.locator(".header")).toBeHidden();
  await frame.locator("button.button--start").click();
  await expect(frame.locator("form.question-page")).toBeVisible();
  await expect(frame.locator("html")).toHaveAttribute("data-embed", "");
  await expect(frame.locator(".header")).toBeHidden();
  await context.close();
});

for (const lang of LANGUAGES) {
  test(`axe passes on a partner's page with the form embedded, in ${lang}`, async ({ page }) => {
    hostPage(`/axe-${lang}`, `<div data-feedback-form="${form}/" data-lang="${lang}"><a href="${form}/">Feedback</a></div>`, lang);
    await page.goto(`${partner}/axe-${lang}`);
    await expect.poll(() => heard(page, "ready")).toHaveLength(1);
    await expect(page.frameLocator("iframe").locator("html")).toHaveAttribute("lang", lang);
    await expectNoAxeViolations(page, `the partner's page with the form (${lang})`);
    await page.frameLocator("iframe").locator(".button--start").click();
    await expect(page.frameLocator("iframe").locator("form.question-page")).toBeVisible();
    await expectNoAxeViolations(page, `the partner's page with the form's first question (${lang})`);
  });
}

test("a theme token that would break contrast is refused, and the console says so", async ({ page }) => {
  const warnings: string[] = [];
  page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
  hostPage("/bad-theme", `<div data-feedback-form="${form}/" data-accent="#ffdd00" data-font="Comic Sans MS"><a href="${form}/">Feedback</a></div>`);
  await page.goto(`${partner}/bad-theme`);
  await expect.poll(() => heard(page, "ready")).toHaveLength(1);
  const src = (await page.locator("iframe").getAttribute("src"))!;
  expect(src).not.toContain("accent");
  expect(src).not.toContain("font");
  expect(warnings.some((w) => /accent #ffdd00 is ignored/.test(w))).toBe(true);
  expect(warnings.some((w) => /data-font must be one of/.test(w))).toBe(true);
  await expect(page.frameLocator("iframe").locator(".button--start")).toHaveCSS("background-color", "rgb(0, 112, 60)");
});

test.describe("the service worker", () => {
  test.use({ serviceWorkers: "allow" });
  test("none is registered in a frame (offline use belongs to the form on its own), where the form on its own registers one", async ({ page }) => {
    // Every attempt is counted, in every frame (this Chromium refuses a service worker in another site's
    // frame by itself; others may not).
    await page.addInitScript(() => {
      const register = ServiceWorkerContainer.prototype.register;
      (window as any).registering = 0;
      ServiceWorkerContainer.prototype.register = function (...args: any[]) {
        (window as any).registering++;
        return (register as any).apply(this, args);
      };
    });
    hostPage("/sw", `<div data-feedback-form="${form}/"><a href="${form}/">Feedback</a></div>`);
    await page.goto(`${partner}/sw`);
    await expect.poll(() => heard(page, "ready")).toHaveLength(1);
    const frame = await formFrame(page);
    await frame.waitForFunction(() => document.readyState === "complete");
    await page.waitForTimeout(1_000); // past the frame's load event, when the page would register it
    expect(await frame.evaluate(() => (window as any).registering), "no attempt in a frame").toBe(0);
    // The form on its own, in the same browser: it registers one, so the check above could fail.
    await page.goto(`${form}/`);
    await expect.poll(() => page.evaluate(() => (window as any).registering)).toBe(1);
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length))).toBe(1);
  });
});
