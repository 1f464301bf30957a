import { test, expect, fault, type Page } from "./fixtures";
import { answerUpToCheck, exportJsonl, expectNoAxeViolations, storedOutbox } from "./helpers";

const SENT = "Thank you. Your answers have been sent";
const SAVED = "Thank you. Your answers are saved";

/** The Idempotency-Key of every attempt to send. */
function recordAttempts(page: Page): string[] {
  const ids: string[] = [];
  page.on("request", (r) => {
    if (r.url().endsWith("/api/submissions") && r.method() === "POST") ids.push(r.headers()["idempotency-key"]);
  });
  return ids;
}

const storedWith = (marker: string) => exportJsonl().filter((r) => r.answers.anything_else === marker);
const outbox = storedOutbox;

test("a dead endpoint: the answers are saved on the device and go by themselves, once, when it answers", async ({ page, problems }, info) => {
  const marker = `retry-${info.project.name}-${Date.now()}`;
  problems.expect(fault("api/submissions", "ERR_INTERNET_DISCONNECTED"), "the endpoint is cut off");
  await answerUpToCheck(page, marker);
  const ids = recordAttempts(page);
  await page.route("**/api/submissions", (route) => route.abort("internetdisconnected"));
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.locator("#main-heading")).toHaveText(SAVED);
  await expect(page.locator("#main-heading")).toBeFocused();
  await expect(page.getByText("Your answers are saved on this device and will be sent when you're back online.")).toBeVisible();
  await expect(page.getByText(marker)).toHaveCount(0); // cleared from the form, kept in the outbox
  const saved = await outbox(page);
  expect(saved.entries).toHaveLength(1);
  expect(JSON.parse(saved.entries[0].body).answers.anything_else).toBe(marker);
  await expectNoAxeViolations(page, "answers saved, not sent");

  // It keeps trying, with backoff, and never with a new id.
  await expect.poll(() => ids.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
  await page.unroute("**/api/submissions");
  await expect(page.locator("#main-heading")).toHaveText(SENT, { timeout: 20_000 });
  await expect(page.locator("#live-status")).toHaveText(SENT);
  expect(new Set(ids).size).toBe(1);
  const stored = storedWith(marker);
  expect(stored).toHaveLength(1);
  expect(stored[0].submission_id).toBe(ids[0]);
  expect((await outbox(page)).entries).toEqual([]);
});

test("offline: Send saves the answers, and they are sent when the network comes back", async ({ page, context, problems }, info) => {
  problems.expect(fault("api/submissions", "ERR_INTERNET_DISCONNECTED"), "the network is turned off");
  const marker = `offline-${info.project.name}-${Date.now()}`;
  await answerUpToCheck(page, marker);
  await context.setOffline(true);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.locator("#main-heading")).toHaveText(SAVED);
  expect(storedWith(marker)).toHaveLength(0);
  await context.setOffline(false); // the "online" event sends at once, not at the next retry
  await expect(page.locator("#main-heading")).toHaveText(SENT, { timeout: 10_000 });
  expect(storedWith(marker)).toHaveLength(1);
});

test("a page kept in the back/forward cache sends again when it is shown: offline, Send, away and Back, online", async ({ page, context, problems }, info) => {
  problems.expect(fault("api/submissions", "ERR_INTERNET_DISCONNECTED"), "the network is turned off");
  const marker = `bfcache-${info.project.name}-${Date.now()}`;
  await answerUpToCheck(page, marker);
  await context.setOffline(true);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.locator("#main-heading")).toHaveText(SAVED);
  // Playwright's Chromium runs with the back/forward cache turned off, so the page is sent the two events a page
  // kept in it gets (`pagehide` as it is put away, `pageshow` as Back brings it again), as the browser sends them.
  await page.evaluate(() => {
    dispatchEvent(new PageTransitionEvent("pagehide", { persisted: true }));
    dispatchEvent(new PageTransitionEvent("pageshow", { persisted: true }));
  });
  await context.setOffline(false); // the "online" event: a page that came back sends, as it did before it went
  await expect(page.locator("#main-heading")).toHaveText(SENT, { timeout: 10_000 });
  expect(storedWith(marker)).toHaveLength(1);
});

test("answers waiting on the device survive reloads and are sent once when the page opens again", async ({ page, problems }, info) => {
  problems.expect(fault("api/submissions", "ERR_CONNECTION_RESET"), "the endpoint resets the connection");
  const marker = `reload-${info.project.name}-${Date.now()}`;
  await answerUpToCheck(page, marker);
  await page.route("**/api/submissions", (route) => route.abort("connectionreset"));
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.locator("#main-heading")).toHaveText(SAVED);
  await page.reload();
  await expect(page.getByRole("button", { name: "Start now" })).toBeVisible();
  expect((await outbox(page)).entries).toHaveLength(1);
  await page.unroute("**/api/submissions");
  await page.reload();
  await expect.poll(async () => (await outbox(page)).entries?.length, { timeout: 15_000 }).toBe(0);
  expect(storedWith(marker)).toHaveLength(1);
});

test("a refused submission shows the server's reason and offers the answers as a file", async ({ page, problems }, info) => {
  problems.expect(fault("api/submissions", "status of 422"), "the endpoint refuses the answers");
  const marker = `refused-${info.project.name}-${Date.now()}`;
  await answerUpToCheck(page, marker);
  await page.route("**/api/submissions", (route) =>
    route.fulfill({ status: 422, contentType: "application/json", body: JSON.stringify({ error: "This form is closed." }) }),
  );
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByRole("alert")).toContainText("The answers could not be accepted:");
  await expect(page.getByRole("alert")).toContainText("This form is closed.");
  const file = page.getByRole("link", { name: "Save my answers as a file" });
  const href = decodeURIComponent((await file.getAttribute("href")) ?? "");
  expect(href.startsWith("data:application/json")).toBe(true);
  expect(href).toContain(marker);
  await expectNoAxeViolations(page, "refused");
  // Kept, not retried.
  const kept = await outbox(page);
  expect(kept.entries[0].state.state).toBe("rejected");
  expect(storedWith(marker)).toHaveLength(0);

  // Later, even after a reload, the start page says so and offers them as a file, until removed.
  await page.reload();
  await expect(page.locator("#main-heading")).toBeVisible(); // loaded, before going on
  await page.goto("/");
  const notice = page.locator("#refused-answers");
  await expect(notice).toContainText("Answers on this device that could not be accepted: 1.");
  const later = decodeURIComponent((await notice.getByRole("link", { name: "Save them as a file" }).getAttribute("href")) ?? "");
  const saved = JSON.parse(later.slice(later.indexOf(",") + 1));
  expect(saved).toHaveLength(1);
  expect(saved[0].refused_because).toBe("422: This form is closed.");
  expect(saved[0].submission.answers.anything_else).toBe(marker);
  await expectNoAxeViolations(page, "start page with refused answers kept");
  await notice.getByRole("button", { name: "Remove them from this device" }).click();
  await expect(notice).toHaveCount(0);
  expect((await outbox(page)).entries).toEqual([]);
});

test("when the device cannot store the answers, the person is told, can save a file, and they are still sent", async ({ page, problems }, info) => {
  problems.expect(fault("api/submissions", "ERR_INTERNET_DISCONNECTED"), "the endpoint is cut off");
  await page.addInitScript(() => {
    const full = () => {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    };
    IDBObjectStore.prototype.put = full;
    Storage.prototype.setItem = full;
  });
  const marker = `full-${info.project.name}-${Date.now()}`;
  await answerUpToCheck(page, marker);
  await page.route("**/api/submissions", (route) => route.abort("internetdisconnected"));
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByRole("alert")).toContainText("could not be saved on this device");
  const href = decodeURIComponent((await page.getByRole("link", { name: "Save my answers as a file" }).getAttribute("href")) ?? "");
  expect(href).toContain(marker);
  await expectNoAxeViolations(page, "not saved on the device");
  // Held in the page's memory, they still go once the endpoint answers.
  await page.unroute("**/api/submissions");
  await expect(page.locator("#main-heading")).toHaveText(SENT, { timeout: 20_000 });
  expect(storedWith(marker)).toHaveLength(1);
});

test("a double tap on Send sends one submission, not a second empty one", async ({ page }, info) => {
  const marker = `double-${info.project.name}-${Date.now()}`;
  await answerUpToCheck(page, marker);
  const ids = recordAttempts(page);
  // Two clicks in the same moment, before the page can change (as a slow phone's double tap can be).
  await page.getByRole("button", { name: "Send" }).evaluate((b: HTMLElement) => { b.click(); b.click(); });
  await expect(page.locator("#main-heading")).toHaveText(SENT);
  await page.waitForTimeout(500); // room for a second request, if one were made
  expect(new Set(ids).size).toBe(1);
  expect(storedWith(marker)).toHaveLength(1);
});

test("without IndexedDB, the outbox lives in localStorage and still survives a reload", async ({ page, problems }, info) => {
  problems.expect(fault("api/submissions", "ERR_INTERNET_DISCONNECTED"), "the endpoint is cut off");
  await page.addInitScript(() => Object.defineProperty(window, "indexedDB", { value: undefined }));
  const marker = `no-idb-${info.project.name}-${Date.now()}`;
  await answerUpToCheck(page, marker);
  await page.route("**/api/submissions", (route) => route.abort("internetdisconnected"));
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.locator("#main-heading")).toHaveText(SAVED);
  const kept = await page.evaluate(() => JSON.parse(localStorage.getItem("feedback-form:outbox") ?? "{}"));
  expect(JSON.parse(kept.entries[0].body).answers.anything_else).toBe(marker);
  await page.unroute("**/api/submissions");
  await page.reload();
  await expect.poll(() => storedWith(marker).length, { timeout: 15_000 }).toBe(1);
});

test("answers queued by an earlier version of the app (in localStorage) are taken over and sent once", async ({ page }) => {
  // As the first version of the outbox left it: waiting in localStorage, mid-send when its tab closed.
  const id = "0b7a3c52-4f5e-4d6a-9b8c-1d2e3f405162".replace(/^0b7a3c52/, Date.now().toString(16).slice(-8).padStart(8, "0"));
  const marker = `legacy-${id}`;
  const body = JSON.stringify({
    schema_version: 1, submission_id: id, form_id: "remote-support", form_version: "2026-11-23",
    sent_at: "2026-11-23T10:00:00.000Z", language: "en", answers: { anything_else: marker },
  });
  await page.addInitScript(([id, body]) => {
    if (sessionStorage.getItem("seeded")) return;
    sessionStorage.setItem("seeded", "1");
    localStorage.setItem("feedback-form:outbox", JSON.stringify({
      entries: [{ id, form: "remote-support", body, added_ms: 1, attempts: 1, next_try_ms: 1, state: { state: "sending" } }],
      lease: { holder: "a-closed-tab", until_ms: 1 },
    }));
  }, [id, body]);
  await page.goto("/");
  await expect.poll(() => storedWith(marker).length, { timeout: 15_000 }).toBe(1);
  expect(storedWith(marker)[0].submission_id).toBe(id);
  await expect.poll(() => page.evaluate(() => localStorage.getItem("feedback-form:outbox"))).toBeNull();
  expect((await outbox(page)).entries).toEqual([]);
});

test("after sending, Back and a second set of answers sends a second submission", async ({ page }, info) => {
  const first = `first-${info.project.name}-${Date.now()}`;
  await answerUpToCheck(page, first);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.locator("#main-heading")).toHaveText(SENT);
  await page.goBack();
  await expect(page.locator("#main-heading")).toHaveText("Anything else");
  const second = `second-${info.project.name}-${Date.now()}`;
  await page.getByLabel("Is there anything else you want to tell us?").fill(second);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.locator("#main-heading")).toHaveText("Check your answers");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.locator("#main-heading")).toHaveText(SENT);
  expect(storedWith(first)).toHaveLength(1);
  expect(storedWith(second)).toHaveLength(1);
});

test("an outbox on the device that cannot be read is left as it is, and new answers are still sent", async ({ page, problems }, info) => {
  problems.expect(fault("api/submissions", "ERR_INTERNET_DISCONNECTED"), "the endpoint is cut off");
  // Something else wrote the record: the app cannot read it, and it may hold answers.
  await page.goto("/");
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open("feedback-form", 1);
        open.onupgradeneeded = () => open.result.createObjectStore("outbox");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction("outbox", "readwrite");
          tx.objectStore("outbox").put({ not: "the app's" }, "outbox");
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
        };
      }),
  );
  const marker = `unreadable-${info.project.name}-${Date.now()}`;
  await answerUpToCheck(page, marker);
  await page.route("**/api/submissions", (route) => route.abort("internetdisconnected"));
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByRole("alert")).toContainText("could not be saved on this device");
  await expect(page.getByRole("link", { name: "Save my answers as a file" })).toBeVisible();
  await page.unroute("**/api/submissions");
  await expect(page.locator("#main-heading")).toHaveText(SENT, { timeout: 20_000 });
  expect(storedWith(marker)).toHaveLength(1);
  const left = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const open = indexedDB.open("feedback-form", 1);
        open.onsuccess = () => {
          const get = open.result.transaction("outbox").objectStore("outbox").get("outbox");
          get.onsuccess = () => resolve(get.result);
        };
      }),
  );
  expect(left).toEqual({ not: "the app's" });
});

for (const locks of [true, false]) {
  const how = locks ? "with Web Locks" : "without Web Locks (the lease kept in the outbox)";
  test(`two tabs share one outbox ${how}: each submission is stored once, and nothing is left`, async ({ context, problems }, info) => {
    problems.expect(fault("api/submissions", "ERR_INTERNET_DISCONNECTED"), "the endpoint is cut off while both tabs queue");
    if (!locks) await context.addInitScript(() => Object.defineProperty(Navigator.prototype, "locks", { get: () => undefined }));
    const tabs = [await context.newPage(), await context.newPage()];
    const markers = tabs.map((_, i) => `tabs-${locks}-${i}-${info.project.name}-${Date.now()}`);
    const ids = tabs.map(recordAttempts);
    // Both wait on the device, each tab's answers saved while the other's are being tried.
    await context.route("**/api/submissions", (route) => route.abort("internetdisconnected"));
    for (const [i, tab] of tabs.entries()) {
      await answerUpToCheck(tab, markers[i]);
      await tab.getByRole("button", { name: "Send" }).click();
      await expect(tab.locator("#main-heading")).toHaveText(SAVED);
    }
    expect(await tabs[0].evaluate(() => "locks" in navigator && navigator.locks !== undefined)).toBe(locks);
    expect((await outbox(tabs[0])).entries).toHaveLength(2);
    await context.unroute("**/api/submissions");
    await expect.poll(() => markers.map((m) => storedWith(m).length), { timeout: 20_000 }).toEqual([1, 1]);
    // Every attempt for a submission carried its one id, whichever tab made it (polled: the browser's report of the
    // last attempt may come in after the row is stored).
    const stored = markers.map((m) => storedWith(m)[0].submission_id).sort();
    await expect.poll(() => [...new Set([...ids[0], ...ids[1]])].sort()).toEqual(stored);
    await expect.poll(async () => (await outbox(tabs[0])).entries?.length, { timeout: 5_000 }).toBe(0);
    if (!locks) await expect.poll(async () => (await outbox(tabs[0])).lease, { timeout: 5_000 }).toBeNull();
  });
}
