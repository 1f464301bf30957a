// The page's security headers and Content-Security-Policy (issue 14). Every other spec runs under the same
// policy, and `fixtures.ts` fails any test on any violation (`securitypolicyviolation`): the whole journey in
// three languages, easy read, offline (offline.spec.ts), with no app (no_app.spec.ts), on a shared tablet and
// embedded in a partner's page (embed.spec.ts). These tests show the policy is really there and enforced, from
// the collector (a header) and from a static host (the meta that scripts/csp.mjs writes into index.html).
import { test, expect, type Page } from "./fixtures";
import { asStaticHost } from "./helpers";
import { readFileSync } from "node:fs";

/** Tries to run an inline script and an inline handler, as injected markup would; returns what ran. (Not eval:
 * Playwright's own evaluation is exempt from the policy; the header test checks there is no 'unsafe-eval'.) */
async function tryToInject(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const ran: string[] = [];
    (window as any).ran = ran;
    const script = document.createElement("script");
    script.textContent = "window.ran.push('inline script')";
    document.head.append(script);
    const img = document.createElement("img");
    img.setAttribute("onerror", "window.ran.push('inline handler')");
    img.src = "data:,";
    document.body.append(img);
    await new Promise((r) => setTimeout(r, 300));
    return ran;
  });
}

test("the collector sends a strict policy and the other security headers on the page, its files and the API", async ({ page, request }) => {
  const res = await page.goto("/");
  const h = res!.headers();
  const csp = h["content-security-policy"];
  for (const directive of [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval' 'sha256-",
    "style-src 'self' 'sha256-",
    "img-src 'self' data:",
    "connect-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ]) {
    expect(csp, directive).toContain(directive);
  }
  expect(csp).not.toContain("unsafe-inline");
  expect(csp).not.toMatch(/'unsafe-eval'/);
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("no-referrer");
  expect(h["permissions-policy"]).toContain("camera=()");
  expect(h["permissions-policy"]).toContain("screen-wake-lock=(self)");
  expect(h["cross-origin-opener-policy"]).toBe("same-origin");
  expect(h["cross-origin-resource-policy"]).toBe("same-origin");
  expect(h["strict-transport-security"], "only with --hsts").toBeUndefined();
  // The page the collector drew carries no second policy as a meta (its header follows config.json).
  expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').count()).toBe(0);
  // The partner's loader is made to be taken into other sites' pages; nothing else is.
  expect((await request.get("/embed/embed.js")).headers()["cross-origin-resource-policy"]).toBe("cross-origin");
  const api = await request.get("/api/health");
  expect(api.headers()["content-security-policy"]).toBe(csp);
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
});

test("markup that somehow got into the page could run nothing: no inline script, no inline handler", async ({ page, problems }) => {
  problems.expect(/CSP violation|violates the following Content Security Policy/, "the policy blocks what this test injects");
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("data-app", "started");
  expect(await tryToInject(page)).toEqual([]);
  // Every test's fixture hears violations (fixtures.ts), so any other test would fail on one.
  await expect.poll(() => problems.seen.filter((p) => p.includes("CSP violation: script-src")).length).toBe(2);
  // The app still works after it: the policy let through everything of its own.
  await page.locator(".button--start").click();
  await expect(page.locator("form.question-page")).toBeVisible();
});

test("on a static host the built page carries the same policy as a meta, by the hashes of what the build inlined", async ({ page, problems }) => {
  problems.expect(/CSP violation|violates the following Content Security Policy/, "the policy blocks what this test injects");
  const built = readFileSync("dist/index.html", "utf8");
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(built);
  expect(meta, "scripts/csp.mjs wrote the policy into dist/index.html").not.toBeNull();
  expect(meta![1]).toContain("default-src 'none'");
  expect(meta![1]).not.toContain("frame-ancestors"); // a meta cannot carry it (the README says to send it as a header)
  expect(built.indexOf(meta![0]), "before anything it governs").toBeLessThan(built.search(/<(script|style)/));
  await asStaticHost(page);
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("data-app", "started");
  expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').count()).toBe(1);
  expect(await tryToInject(page)).toEqual([]);
  await page.locator(".button--start").click();
  await expect(page.locator("form.question-page")).toBeVisible();
});
