// End-to-end encrypted answers (issue 15; docs/encryption.md): public/seal.js, the browser's HPKE over Web
// Crypto, against RFC 9180's published test vector for its suite; and a deployment with a key configured, where
// Send encrypts the answers before anything is written to the device: the outbox, the file offered and the
// request body hold only ciphertext, which opens (with the private key) to exactly the answers typed.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { collector } from "../../playwright.config";
import { test, expect, fault, type Page } from "./fixtures";
import { answerUpToCheck, expectNoAxeViolations, storedOutbox } from "./helpers";
import { startOwnCollector, type OwnCollector } from "./own_collector";

// The same file the collector's tests read (collector/tests/encryption.rs), so both sides meet one vector.
const RFC = JSON.parse(readFileSync("collector/tests/rfc9180-p256-base.json", "utf8"));
const VECTOR = { ...RFC, pkEm: RFC.enc, encryption: RFC.encryptions[0] };
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");

test("seal.js is RFC 9180's HPKE: in Chromium it seals the published test vector to its ciphertext and opens it", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("data-app", "started");
  const got = await page.evaluate(async (V) => {
    const m = await import("/seal.js");
    const h = (x: string) => Uint8Array.from(x.match(/../g)!.map((b) => parseInt(b, 16)));
    const hx = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    const b = (bytes: Uint8Array) => m.toBase64url(bytes);
    const ECDH = { name: "ECDH", namedCurve: "P-256" };
    const key = (sk: string, pk: Uint8Array) =>
      crypto.subtle.importKey("jwk", { kty: "EC", crv: "P-256", d: b(h(sk)), x: b(pk.slice(1, 33)), y: b(pk.slice(33)) }, ECDH, false, ["deriveBits"]);
    const pkE = h(V.pkEm);
    const pkR = h(V.pkRm);
    const pair = { privateKey: await key(V.skEm, pkE), publicKey: await crypto.subtle.importKey("raw", pkE, ECDH, true, []) };
    const { enc, ct } = await m.sealBytes(pkR, h(V.info), h(V.encryption.aad), h(V.encryption.pt), pair);
    const pt = await m.openBytes(await key(V.skRm, pkR), pkR, h(V.info), h(V.encryption.aad), h(V.enc), h(V.encryption.ct));
    // A changed byte of the ciphertext, or of the additional data, does not open.
    const tampered = h(V.encryption.ct);
    tampered[0] ^= 1;
    const refused = await Promise.all([
      m.openBytes(await key(V.skRm, pkR), pkR, h(V.info), h(V.encryption.aad), h(V.enc), tampered).then(() => "opened", () => "refused"),
      m.openBytes(await key(V.skRm, pkR), pkR, h(V.info), h("436f756e742d31"), h(V.enc), h(V.encryption.ct)).then(() => "opened", () => "refused"),
    ]);
    return { enc: hx(enc), ct: hx(ct), pt: hx(pt), refused };
  }, VECTOR);
  expect(got.enc).toBe(VECTOR.enc);
  expect(got.ct).toBe(VECTOR.encryption.ct);
  expect(got.pt).toBe(VECTOR.encryption.pt);
  expect(got.refused).toEqual(["refused", "refused"]);
});

type Key = { keyId: string; publicKey: string; privateJwk: JsonWebKey; file: string };

/** A key made by `collector keygen`, as a deployment makes one: its file, and its halves for the page. */
function keygen(file: string): Key {
  rmSync(file, { force: true });
  execFileSync(collector, ["keygen", "--out", file], { encoding: "utf8", timeout: 30_000 });
  const k = JSON.parse(readFileSync(file, "utf8"));
  const pk = Buffer.from(k.public_key, "base64url");
  const privateJwk = { kty: "EC", crv: "P-256", d: k.private_key, x: b64url(pk.subarray(1, 33)), y: b64url(pk.subarray(33)) };
  return { keyId: k.key_id, publicKey: k.public_key, privateJwk, file };
}

/** Opens an envelope's text with the private key, in the page, by the same seal.js the app uses: the plain payload. */
async function open(page: Page, envelope: string, key: Key): Promise<any> {
  const { privateJwk, keyId } = key;
  return page.evaluate(
    async ({ envelope, privateJwk, publicKey, keyId }) => {
      const m = await import("/seal.js");
      const e = JSON.parse(envelope);
      const sk = await crypto.subtle.importKey("jwk", privateJwk, { name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"]);
      const info = new TextEncoder().encode("feedback-form submission v1");
      const enc = m.fromBase64url(e.encrypted.enc);
      const pt = await m.openBytes(sk, m.fromBase64url(publicKey), info, m.aadOf(e, keyId), enc, m.fromBase64url(e.encrypted.ciphertext));
      return JSON.parse(new TextDecoder().decode(pt));
    },
    { envelope, privateJwk, publicKey: key.publicKey, keyId },
  );
}

let own: OwnCollector | undefined;
let key: Key;

test.beforeAll(async ({}, info) => {
  mkdirSync("target/e2e", { recursive: true });
  key = keygen(`target/e2e/encryption-${info.project.name}.private`);
  own = await startOwnCollector(`encryption-${info.project.name}`, (dist) => {
    const config = JSON.parse(readFileSync(`${dist}/config.json`, "utf8"));
    config.encryption = { public_key: key.publicKey, key_id: key.keyId };
    writeFileSync(`${dist}/config.json`, JSON.stringify(config));
  });
});

/** `collector export --format jsonl` of this spec's database with the private key: the opened payloads. */
function exportOpened(): any[] {
  const db = `target/e2e/encryption-${test.info().project.name}.sqlite`;
  const out = execFileSync(collector, ["export", "--db", db, "--format", "jsonl", "--key", key.file], { encoding: "utf8", timeout: 30_000 });
  return out.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l));
}

test.afterAll(async () => {
  await own?.stop();
});

test("with a key configured, nothing of the answers is written to the device or sent in clear, and the envelope opens to exactly them", async ({ page, problems }, info) => {
  problems.expect(fault("api/submissions", "ERR_INTERNET_DISCONNECTED"), "the endpoint is cut off");
  const marker = `secret-${info.project.name}-${Date.now()}`;
  await answerUpToCheck(page, marker, own!.origin);
  expect(await page.evaluate(() => localStorage.getItem("feedback-form:draft")), "no draft: answers in progress are not kept").toBeNull();
  const bodies: string[] = [];
  await page.route("**/api/submissions", (route) => {
    bodies.push(route.request().postData() ?? "");
    return route.abort("internetdisconnected");
  });
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.locator("#main-heading")).toHaveText("Thank you. Your answers are saved");
  await expect.poll(() => bodies.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);

  // The outbox on the device, the request body and everything in storage: no word of the answers.
  const outbox = await storedOutbox(page);
  expect(outbox.entries).toHaveLength(1);
  const stored = JSON.stringify(outbox) + (await page.evaluate(() => JSON.stringify({ ...localStorage })));
  expect(stored).not.toContain(marker);
  expect(stored).not.toContain("in_person");
  const envelope = JSON.parse(bodies[0]);
  expect(bodies[0]).not.toContain(marker);
  expect(Object.keys(envelope).sort()).toEqual(["encrypted", "form_id", "form_version", "schema_version", "sent_at", "stamp", "submission_id"]);
  expect(envelope.encrypted.key_id).toBe(key.keyId);
  // Opened with the private key in the page: exactly the answers typed, under the same id.
  const plain = await open(page, outbox.entries[0].body, key);
  expect(plain.answers.anything_else).toBe(marker);
  expect(plain.submission_id).toBe(envelope.submission_id);
  expect(plain.stamp, "the stamp is in clear, not inside").toBeUndefined();

  // The endpoint comes back: delivered once; the collector holds the envelope, and only export with the key
  // gives back the answers, exactly as typed.
  await page.unroute("**/api/submissions");
  await page.evaluate(() => dispatchEvent(new Event("online")));
  await expect(page.locator("#main-heading")).toHaveText("Thank you. Your answers have been sent", { timeout: 20_000 });
  const held = own!.rows().filter((r) => r.submission_id === envelope.submission_id);
  expect(held).toHaveLength(1);
  expect(held[0].encrypted.key_id).toBe(key.keyId);
  expect(JSON.stringify(held)).not.toContain(marker);
  const opened = exportOpened().filter((r) => r.submission_id === envelope.submission_id);
  expect(opened).toHaveLength(1);
  expect(opened[0].answers.anything_else).toBe(marker);
  expect(opened[0].answers.prefer).toBe(plain.answers.prefer);
});

test("a refused envelope is offered as a file that holds only ciphertext", async ({ page, problems }, info) => {
  problems.expect(fault("api/submissions", "status of 422"), "the endpoint refuses the answers");
  const marker = `refused-${info.project.name}-${Date.now()}`;
  await answerUpToCheck(page, marker, own!.origin);
  await page.route("**/api/submissions", (route) => route.fulfill({ status: 422, json: { error: "Not taken.", problems: [] } }));
  await page.getByRole("button", { name: "Send" }).click();
  const file = page.getByRole("link", { name: "Save my answers as a file" });
  await expect(file).toBeVisible();
  const href = (await file.getAttribute("href"))!;
  const saved = decodeURIComponent(href.slice(href.indexOf(",") + 1));
  expect(saved).toContain('"encrypted"');
  expect(saved).not.toContain(marker);
  expect((await open(page, saved, key)).answers.anything_else).toBe(marker);
});

test("what the collector seals (a Send from a page with no app) opens in the browser: the two interoperate both ways", async ({ browser, page }, info) => {
  const marker = `no-app-${info.project.name}-${Date.now()}`;
  const context = await browser.newContext({ javaScriptEnabled: false });
  const plainPage = await context.newPage();
  await plainPage.goto(`${own!.origin}/`);
  await plainPage.locator("button.button--start").click();
  for (let i = 0; i < 10 && !(await plainPage.locator("#send").count()); i++) {
    for (const field of await plainPage.locator("form.question-page textarea").all()) await field.fill(marker);
    await plainPage.locator("form.question-page button[type=submit]").click();
  }
  await plainPage.locator("#send").click();
  await expect(plainPage.locator(".panel__title")).toBeVisible();
  await context.close();
  // Stored sealed by the collector (the hpke crate): no word of it in clear; opened here by seal.js.
  const rows = own!.rows();
  expect(JSON.stringify(rows)).not.toContain(marker);
  await page.goto(`${own!.origin}/`);
  const opened = [];
  for (const r of rows) opened.push(await open(page, JSON.stringify(r), key));
  const mine = opened.filter((p) => Object.values(p.answers).includes(marker));
  expect(mine).toHaveLength(1);
  expect(mine[0].language).toBe("en");
});

test("a key that is not a key is a configuration problem listed on the error page", async ({ page }) => {
  await page.route("**/config.json", async (route) => {
    const config = await (await route.fetch()).json();
    config.encryption = { public_key: "not-a-key", key_id: "k-1" };
    await route.fulfill({ json: config });
  });
  const { asStaticHost } = await import("./helpers");
  await asStaticHost(page);
  await page.goto(`${own!.origin}/`);
  await expect(page.getByText("encryption's public key must be a P-256 public key")).toBeVisible();
});

test("where the answers cannot be encrypted (no Web Crypto), nothing is kept or sent, and they stay on Check your answers", async ({ page }, info) => {
  await page.addInitScript(() => Object.defineProperty(Crypto.prototype, "subtle", { get: () => undefined }));
  const marker = `unsealed-${info.project.name}-${Date.now()}`;
  await answerUpToCheck(page, marker, own!.origin);
  const posts: string[] = [];
  page.on("request", (r) => r.method() === "POST" && posts.push(r.url()));
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByRole("alert")).toContainText("Your answers could not be encrypted on this device, so they have not been saved or sent.");
  await expect(page.locator("#main-heading")).toHaveText("Check your answers");
  await expect(page.getByText(marker)).toBeVisible();
  expect((await storedOutbox(page)).entries).toEqual([]);
  expect(posts).toEqual([]);
  await expectNoAxeViolations(page, "the answers could not be encrypted");
});
