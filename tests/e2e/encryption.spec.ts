// End-to-end encrypted answers (issue 15; docs/encryption.md): public/seal.js, the browser's HPKE over Web
// Crypto, against RFC 9180's published test vector for its suite; and a deployment with a key configured, where
// Send encrypts the answers before anything is written to the device: the outbox, the file offered and the
// request body hold only ciphertext, which opens (with the private key) to exactly the answers typed.
import { readFileSync, writeFileSync } from "node:fs";
import { test, expect, fault, type Page } from "./fixtures";
import { expectNoAxeViolations, storedOutbox } from "./helpers";
import { startOwnCollector, type OwnCollector } from "./own_collector";

const VECTOR = JSON.parse(readFileSync("tests/fixtures/hpke-rfc9180-a3-1.json", "utf8"));
const ECDH = { name: "ECDH", namedCurve: "P-256" };
const hex = (h: string) => Uint8Array.from(Buffer.from(h, "hex"));
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
const jwk = (sk: Uint8Array, pk: Uint8Array) => ({ kty: "EC", crv: "P-256", d: b64url(sk), x: b64url(pk.slice(1, 33)), y: b64url(pk.slice(33)) });

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

/** A new key pair, as `collector keygen` makes one: the public key for config.json and the private one. */
async function keyPair() {
  const pair = (await crypto.subtle.generateKey(ECDH, true, ["deriveBits"])) as CryptoKeyPair;
  const publicRaw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  return { publicKey: b64url(publicRaw), publicRaw, privateKey: pair.privateKey };
}

/** Opens an envelope's text with the private key, in the page, by the same seal.js the app uses: the plain payload. */
async function open(page: Page, envelope: string, key: Awaited<ReturnType<typeof keyPair>>, keyId: string): Promise<any> {
  const privateJwk = await crypto.subtle.exportKey("jwk", key.privateKey);
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

async function answerUpToCheck(page: Page, origin: string, marker: string) {
  await page.goto(`${origin}/`);
  await expect(page.locator("html")).toHaveAttribute("data-app", "started");
  await page.getByRole("button", { name: "Start now" }).click();
  await page.getByLabel("In person").check();
  for (let i = 0; i < 5; i++) await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Is there anything else you want to tell us?").fill(marker);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.locator("#main-heading")).toHaveText("Check your answers");
}

let own: OwnCollector | undefined;
let key: Awaited<ReturnType<typeof keyPair>>;
const KEY_ID = "k-test";

test.beforeAll(async ({}, info) => {
  key = await keyPair();
  own = await startOwnCollector(`encryption-${info.project.name}`, (dist) => {
    const config = JSON.parse(readFileSync(`${dist}/config.json`, "utf8"));
    config.encryption = { public_key: key.publicKey, key_id: KEY_ID };
    writeFileSync(`${dist}/config.json`, JSON.stringify(config));
  });
});

test.afterAll(async () => {
  await own?.stop();
});

test("with a key configured, nothing of the answers is written to the device or sent in clear, and the envelope opens to exactly them", async ({ page, problems }, info) => {
  problems.expect(fault("api/submissions", "ERR_INTERNET_DISCONNECTED"), "the endpoint is cut off");
  const marker = `secret-${info.project.name}-${Date.now()}`;
  await answerUpToCheck(page, own!.origin, marker);
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
  expect(envelope.encrypted.key_id).toBe(KEY_ID);
  // Opened with the private key: exactly the answers typed, under the same id.
  const plain = await open(page, outbox.entries[0].body, key, KEY_ID);
  expect(plain.answers.anything_else).toBe(marker);
  expect(plain.submission_id).toBe(envelope.submission_id);
  expect(plain.stamp, "the stamp is in clear, not inside").toBeUndefined();
});

test("a key that is not a key is a configuration problem listed on the error page", async ({ page }) => {
  await page.route("**/config.json", async (route) => {
    const config = await (await route.fetch()).json();
    config.encryption = { public_key: "not-a-key", key_id: KEY_ID };
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
  await answerUpToCheck(page, own!.origin, marker);
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
