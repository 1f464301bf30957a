/**
 * The one `test` every spec imports. Besides Playwright's own fixtures it has
 * `problems`, which runs for every test (`auto`): it watches every page of the
 * test's browser context and fails the test, after it has run, on
 *
 * - any uncaught page error (`pageerror`: a panic in the WebAssembly shows as
 *   `RuntimeError: unreachable`, and the app's panic hook writes its message
 *   to the console first, naming the file and line);
 * - any `console.error` (Chromium also logs a failed or non-2xx request this way);
 * - any Content-Security-Policy violation (`securitypolicyviolation`, reported as a `console.error`);
 * - any request that failed (`requestfailed`: no connection, reset, refused…).
 *   Not `net::ERR_ABORTED`: Chromium gives that to a request it drops because the
 *   page went away (a reload, a link, quick exit), which is no fault of the app's.
 *
 * A test that causes one of these on purpose (takes the network away, makes the
 * endpoint refuse, blocks a file) says which with `problems.expect(pattern, why)`;
 * only lines matching a pattern it named are let through. A pattern that a test
 * names but that never shows is not an error: faults are random in the chaos test.
 *
 * ```ts
 * import { test, expect } from "./fixtures";
 * test("…", async ({ page, problems }) => {
 *   problems.expect(/api\/submissions/, "the endpoint is made to refuse");
 * });
 * ```
 */
import { test as base, expect, type Page } from "@playwright/test";

export type Problems = {
  /** Lets problems matching `pattern` through, for a fault this test causes on purpose. */
  expect(pattern: RegExp, why: string): void;
  /** What has been seen so far (for a test that asserts on it). */
  readonly seen: readonly string[];
};

export const test = base.extend<{ problems: Problems }>({
  // A page the collector drew shows its words before the app has started, and the app
  // starts once the page has loaded (Trunk.toml's loader). So that a test acts on the app,
  // not on the drawn page, `goto` and `reload` (waiting for `load`, as by default) also wait
  // for the app to have taken the page over (`<html data-app>`). A test of the drawn page
  // itself waits for less (`waitUntil: "domcontentloaded"`), or has JavaScript off.
  page: async ({ page, javaScriptEnabled }, use) => {
    const started = async (waitUntil: string | undefined) => {
      if ((waitUntil ?? "load") !== "load" || javaScriptEnabled === false) return;
      await page
        .waitForFunction(() => !document.getElementById("boot-config") || document.documentElement.dataset.app, null, {
          timeout: 15_000,
        })
        .catch(() => {}); // JavaScript off, the WebAssembly blocked: the test's own checks say what it sees
    };
    const goto = page.goto.bind(page);
    const reload = page.reload.bind(page);
    page.goto = async (url, options) => {
      const response = await goto(url, options);
      await started(options?.waitUntil);
      return response;
    };
    page.reload = async (options) => {
      const response = await reload(options);
      await started(options?.waitUntil);
      return response;
    };
    await use(page);
  },
  problems: [
    // It takes `page` so that it is set up after it and torn down before it: closing the
    // page at the end of a test aborts requests still in flight, which is not a fault.
    async ({ context, page: _page }, use) => {
      const seen: string[] = [];
      const allowed: RegExp[] = [];
      const watch = (page: Page) => {
        page.on("pageerror", (e) => seen.push(`page error: ${e.message}${e.stack ? `\n${e.stack}` : ""}`));
        page.on("console", (m) => {
          if (m.type() === "error") seen.push(`console.error: ${m.text()} (${m.location().url})`);
        });
        page.on("requestfailed", (r) => {
          const reason = r.failure()?.errorText ?? "no reason";
          if (reason !== "net::ERR_ABORTED") seen.push(`request failed: ${r.method()} ${r.url()} (${reason})`);
        });
      };
      context.pages().forEach(watch);
      context.on("page", watch);
      // Anything the page's Content-Security-Policy refuses (issue 14), in every page and frame, as an error
      // of its own (Chromium also says so in the console, but not of everything, e.g. a blocked eval).
      await context.addInitScript(() =>
        document.addEventListener("securitypolicyviolation", (e) =>
          console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`),
        ),
      );
      await use({
        expect(pattern, why) {
          if (!why) throw new Error("problems.expect needs a reason");
          allowed.push(pattern);
        },
        seen,
      });
      const unexpected = seen.filter((p) => !allowed.some((a) => a.test(p)));
      expect(unexpected, "page errors, console errors and failed requests this test did not cause").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/**
 * A pattern for the lines one fault makes, whichever way the browser reports it:
 * `request failed: POST …/api/submissions (net::ERR_CONNECTION_RESET)`, or
 * `console.error: Failed to load resource: net::ERR_CONNECTION_RESET (…/api/submissions)`,
 * or `…the server responded with a status of 422 … (…/api/submissions)`.
 *
 * ```ts
 * problems.expect(fault("api/submissions", "ERR_INTERNET_DISCONNECTED"), "the endpoint is cut off");
 * ```
 */
export function fault(path: string, reason: string): RegExp {
  const p = path.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return new RegExp(`${p}.*${reason}|${reason}.*${p}`);
}
export type { BrowserContext, Locator, Page } from "@playwright/test";
