// End-to-end encryption of the answers (issue 15; docs/encryption.md): HPKE (RFC 9180) in base mode with
// DHKEM(P-256, HKDF-SHA256), HKDF-SHA256 and AES-128-GCM, written over the browser's own Web Crypto, so no
// cryptography is compiled into the WebAssembly (a Rust HPKE crate would add about 20 KB to it). Imported by
// the loader's `feedbackSeal` (src/browser/seal.rs): once when the configuration names a key (so it is ready
// offline), then at Send, before anything is written to the device. The collector opens what this seals
// with the `hpke` crate; tests/e2e/encryption.spec.ts checks both against RFC 9180's test vectors and each
// other.

const subtle = globalThis.crypto?.subtle;
const text = new TextEncoder();
const ECDH = { name: "ECDH", namedCurve: "P-256" };
// HPKE's `info` for every submission, and the suite's ids: KEM 0x0010, KDF 0x0001, AEAD 0x0001.
const INFO = text.encode("feedback-form submission v1");
const KEM = cat(text.encode("KEM"), Uint8Array.of(0, 0x10));
const HPKE = cat(text.encode("HPKE"), Uint8Array.of(0, 0x10, 0, 1, 0, 1));
const V1 = text.encode("HPKE-v1");
const NONE = new Uint8Array();

function cat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** base64url without padding, as the envelope and config.json write bytes. */
export function toBase64url(bytes) {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64url(s) {
  return Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
}

// HMAC-SHA-256. An empty key is the same as 32 zero bytes (HMAC pads every key to its 64-byte block with
// zeros), and Web Crypto refuses an empty one.
async function hmac(key, data) {
  const k = await subtle.importKey("raw", key.length ? key : new Uint8Array(32), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await subtle.sign("HMAC", k, data));
}

// RFC 9180 §4: LabeledExtract, and LabeledExpand for at most 32 bytes (one HKDF-Expand block).
const extract = (suite, salt, label, ikm) => hmac(salt, cat(V1, suite, text.encode(label), ikm));
const expand = async (suite, prk, label, info, length) =>
  (await hmac(prk, cat(Uint8Array.of(0, length), V1, suite, text.encode(label), info, Uint8Array.of(1)))).slice(0, length);

/** DHKEM's ExtractAndExpand (§4.1) and the key schedule in base mode (§5.1): the AEAD key and base nonce. */
async function schedule(dh, enc, pkR, info) {
  const eae = await extract(KEM, NONE, "eae_prk", dh);
  const shared = await expand(KEM, eae, "shared_secret", cat(enc, pkR), 32);
  const context = cat(Uint8Array.of(0), await extract(HPKE, NONE, "psk_id_hash", NONE), await extract(HPKE, NONE, "info_hash", info));
  const secret = await extract(HPKE, shared, "secret", NONE);
  const key = await subtle.importKey("raw", await expand(HPKE, secret, "key", context, 16), "AES-GCM", false, ["encrypt", "decrypt"]);
  return { key, iv: await expand(HPKE, secret, "base_nonce", context, 12) };
}

const dh = async (privateKey, publicRaw) =>
  new Uint8Array(await subtle.deriveBits({ name: "ECDH", public: await subtle.importKey("raw", publicRaw, ECDH, false, []) }, privateKey, 256));

/**
 * HPKE base-mode single-shot seal of `pt` for the recipient's public key `pkR` (65 bytes): `{ enc, ct }`.
 * `pair`: the ephemeral key pair; a fresh one unless a test gives RFC 9180's.
 */
export async function sealBytes(pkR, info, aad, pt, pair) {
  pair ??= await subtle.generateKey(ECDH, false, ["deriveBits"]);
  const enc = new Uint8Array(await subtle.exportKey("raw", pair.publicKey));
  const { key, iv } = await schedule(await dh(pair.privateKey, pkR), enc, pkR, info);
  return { enc, ct: new Uint8Array(await subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad }, key, pt)) };
}

/** The opposite, for the tests that check this against the collector's seal: the plaintext, or a rejection. */
export async function openBytes(privateKey, pkR, info, aad, enc, ct) {
  const { key, iv } = await schedule(await dh(privateKey, enc), enc, pkR, info);
  return new Uint8Array(await subtle.decrypt({ name: "AES-GCM", iv, additionalData: aad }, key, ct));
}

/** The additional data every envelope is sealed with: its clear fields and key id (docs/encryption.md). */
export const aadOf = (p, keyId) => text.encode([p.submission_id, p.form_id, p.form_version, p.sent_at, keyId].join("\n"));

/**
 * The envelope's text for the plain payload `body` (its JSON text), sealed for `publicKey` (base64url) under
 * `keyId`; with no `body` (the app's first call, to have this ready offline) nothing. Rejects without Web
 * Crypto (a plain-http page away from this machine) or with a key that is not a P-256 point: the app then
 * keeps nothing in plain text.
 */
export default async function seal(body, publicKey, keyId, pair) {
  if (body === undefined) return null;
  const p = JSON.parse(body);
  const { enc, ct } = await sealBytes(fromBase64url(publicKey), INFO, aadOf(p, keyId), text.encode(body), pair);
  const clear = { schema_version: p.schema_version, submission_id: p.submission_id, form_id: p.form_id, form_version: p.form_version, sent_at: p.sent_at };
  return JSON.stringify({ ...clear, encrypted: { key_id: keyId, enc: toBase64url(enc), ciphertext: toBase64url(ct) } });
}
