import { test, expect, fault } from "./fixtures";
import { asStaticHost, exportJsonl, expectNoAxeViolations } from "./helpers";

const brokenConfigs: [string, string, RegExp][] = [
  ["config.json", "{ not json", /config\.json: .*line 1/],
  ["config.json", JSON.stringify({ endpoint: "javascript:alert(1)", form: "../secrets", organisation: { name: "X" } }), /endpoint “javascript:alert\(1\)” must be a path/],
  ["forms/remote-support.json", JSON.stringify({ id: "remote-support", version: "1", title: "T", pages: [{ id: "p", questions: [{ id: "a", label: "A", kind: "slider" }, { id: "b", label: "B" }] }] }), /unknown kind “slider”/],
];
for (const [file, body, problem] of brokenConfigs) {
  test(`a broken ${file} shows a readable error page (${problem.source.slice(0, 30)})`, async ({ page }) => {
    await asStaticHost(page);
    await page.route(`**/${file}`, (route) => route.fulfill({ status: 200, contentType: "application/json", body }));
    await page.goto("/");
    await expect(page.locator("h1")).toHaveText("Sorry, this form is not working right now");
    await expect(page.locator(".error-page__problems")).toContainText(problem);
    await expectNoAxeViolations(page, `broken ${file}`);
  });
}

test("a missing form file says which file is missing", async ({ page, problems }) => {
  problems.expect(fault("forms/remote-support.json", "status of 404"), "the form file is made missing");
  await asStaticHost(page);
  await page.route("**/forms/remote-support.json", (route) => route.fulfill({ status: 404, body: "" }));
  await page.goto("/");
  await expect(page.locator(".error-page__problems")).toContainText("forms/remote-support.json was not found on the server (404).");
});

test("the endpoint comes only from config.json, never from the page's address", async ({ page }) => {
  const posted: string[] = [];
  page.on("request", (r) => { if (r.method() === "POST") posted.push(r.url()); });
  await page.goto("/?endpoint=http://127.0.0.2:9/steal#/check");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.locator("#main-heading")).toHaveText("Thank you. Your answers have been sent");
  expect(posted).toHaveLength(1);
  expect(new URL(posted[0]).pathname).toBe("/api/submissions");
  expect(new URL(posted[0]).host).toBe(new URL(page.url()).host);
});
