// Proof of work (issue 14): the app stamps each submission with Web Crypto's SHA-256 after the answers are
// saved on the device, never before and never holding up the confirmation; the collector checks the stamp
// before storing, and asks for a stronger one (428) when its --stamp-bits want more.
import { createHash } from "node:crypto";
import { test, expect, fault, type Page } from "./fixtures";
import { answerUpToCheck, exportJsonl, storedOutbox } from "./helpers";
import { startOwnCollector } from "./own_collector";

const SENT = "Thank you. Your answers have been sent";
const SAVED = "Thank you. Your answers are saved";

/** How many zero bits the stamp's SHA-256 begins with, computed here as the collector does. */
function stampBits(id: string, stamp: number): number {
  const digest = createHash("sha256").update(`feedback-stamp:${id}:${stamp}`).digest();
  let bits = 0;
  for (const byte of digest) {
    if (byte !== 0) return bits + Math.clz32(byte) - 24;
    bits += 8;
  }
  return bits;
}

/** Every POST of answers: its body as sent, and the status it was answered with. */
function recordPosts(page: Page): { body: any; status: number }[] {
  const posts: { body: any; status: number }[] = [];
  page.on("response", (r) => {
    const q = r.request();
    if (q.url().endsWith("/api/submissions") && q.method() === "POST") posts.push({ body: JSON.parse(q.postData() ?? "null"), status: r.status() });
  });
  return posts;
}

/** The times the app took to make stamps (its User Timing entries), in milliseconds. */
const stampTimes = (page: Page) => page.evaluate(() => performance.getEntriesByName("feedback-stamp", "measure").map((e) => e.duration));

test("the stamp is made after the answers are saved, without holding up the confirmation, and the endpoint takes it", async ({ page }, info) => {
  const marker = `stamp-${info.project.name}-${Date.now()}`;
  // Web Crypto's digest waits until the test lets it go: the confirmation must not wait with it.
  await page.addInitScript(() => {
    const real = crypto.subtle.digest.bind(crypto.subtle);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    (window as any).releaseStamps = release;
    crypto.subtle.digest = (async (...args: Parameters<SubtleCrypto["digest"]>) => {
      await gate;
      return real(...args);
    }) as SubtleCrypto["digest"];
  });
  await answerUpToCheck(page, marker);
  const posts = recordPosts(page);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.locator("#main-heading")).toHaveText(SAVED);
  await expect(page.locator("#main-heading")).toBeFocused();
  const saved = await storedOutbox(page);
  expect(saved.entries).toHaveLength(1);
  expect(JSON.parse(saved.entries[0].body).answers.anything_else).toBe(marker);
  expect(saved.entries[0].stamp, "no stamp yet: the answers were saved first").toBeUndefined();
  expect(JSON.parse(saved.entries[0].body).stamp, "the saved body is never changed").toBeUndefined();
  expect(posts, "nothing is sent before the stamp is made").toEqual([]);

  await page.evaluate(() => (window as any).releaseStamps());
  await expect(page.locator("#main-heading")).toHaveText(SENT, { timeout: 20_000 });
  expect(posts).toHaveLength(1);
  const { body, status } = posts[0];
  expect(status).toBe(201);
  expect(Number.isInteger(body.stamp)).toBe(true);
  expect(stampBits(body.submission_id, body.stamp)).toBeGreaterThanOrEqual(12);
  // The first such number counting from 0, so a reload finds the same one.
  for (let n = 0; n < body.stamp; n++) expect(stampBits(body.submission_id, n)).toBeLessThan(12);
  const stored = exportJsonl().filter((r) => r.answers.anything_else === marker);
  expect(stored).toHaveLength(1);
  expect(stored[0].stamp).toBe(body.stamp);
  expect(await stampTimes(page)).toHaveLength(1);
});

test("an endpoint that wants more work asks with 428, and the app makes a stronger stamp and sends once", async ({ page, problems }, info) => {
  problems.expect(fault("api/submissions", "status of 428"), "the endpoint asks for a 16-bit stamp");
  const own = await startOwnCollector(`stamp-${info.project.name}`, () => {}, undefined, ["--stamp-bits", "16"]);
  // A submission id whose 12-bit stamp has fewer than 16 bits (a random one's has 16 or more one time in 16,
  // and the endpoint would take it at once): the app's random bytes, all 7.
  const ID = "07070707-0707-4707-8707-070707070707";
  let first12 = 0;
  while (stampBits(ID, first12) < 12) first12++;
  expect(stampBits(ID, first12), "the fixed id's 12-bit stamp is not also a 16-bit one").toBeLessThan(16);
  await page.addInitScript(() => {
    const real = crypto.getRandomValues.bind(crypto);
    crypto.getRandomValues = ((a: Uint8Array) => (a.length === 16 ? a.fill(7) : real(a))) as Crypto["getRandomValues"];
  });
  try {
    const marker = `stamp16-${info.project.name}-${Date.now()}`;
    await answerUpToCheck(page, marker, own.origin);
    const posts = recordPosts(page);
    await page.getByRole("button", { name: "Send" }).click();
    await expect(page.locator("#main-heading")).toHaveText(SENT, { timeout: 30_000 });
    expect(posts.map((p) => p.status)).toEqual([428, 201]);
    const [first, second] = posts.map((p) => p.body);
    expect([first.submission_id, second.submission_id]).toEqual([ID, ID]);
    expect(first.stamp).toBe(first12);
    expect(stampBits(first.submission_id, first.stamp)).toBeGreaterThanOrEqual(12);
    expect(stampBits(second.submission_id, second.stamp)).toBeGreaterThanOrEqual(16);
    const rows = own.rows();
    expect(rows).toHaveLength(1);
    expect(rows[0].answers.anything_else).toBe(marker);
    expect(rows[0].stamp).toBe(second.stamp);
    expect(await stampTimes(page)).toHaveLength(2);
    expect((await storedOutbox(page)).entries).toEqual([]);
  } finally {
    await own.stop();
  }
});

test("without Web Crypto (a plain-http page away from this machine) the answers are kept and wait, never lost", async ({ page, problems }, info) => {
  problems.expect(fault("api/submissions", "status of 428"), "no stamp can be made, and the endpoint wants one");
  await page.addInitScript(() => Object.defineProperty(Crypto.prototype, "subtle", { get: () => undefined }));
  const marker = `nostamp-${info.project.name}-${Date.now()}`;
  await answerUpToCheck(page, marker);
  const posts = recordPosts(page);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.locator("#main-heading")).toHaveText(SAVED);
  await expect.poll(() => posts.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
  expect(posts[0].status).toBe(428);
  expect(posts[0].body.stamp).toBeUndefined();
  // Kept, waiting (not refused: the person and a facilitator see it as waiting to go).
  const saved = await storedOutbox(page);
  expect(saved.entries).toHaveLength(1);
  expect(saved.entries[0].state).toEqual({ state: "queued" });
  expect(exportJsonl().filter((r) => r.answers.anything_else === marker)).toEqual([]);
});
