// The proof of work (issue 14; model/src/stamp.rs says what it is and the collector checks it): the payload
// `body` (a JSON object's text) with `"stamp": N` added as its last member, N the first number, counting from
// 0, for which the SHA-256 of "feedback-stamp:<submission id>:N" begins with `bits` zero bits; or null without
// Web Crypto (a plain-http page away from this machine). Imported by the loader's `feedbackStamp` when the app
// first sends answers (src/browser/stamp.rs), after they are saved; the time the search took is the User
// Timing measure "feedback-stamp".

const zeroBits = (bytes) => {
  let bits = 0;
  for (const b of bytes) {
    if (b) return bits + Math.clz32(b) - 24;
    bits += 8;
  }
  return bits;
};

export default async function stamp(id, body, bits) {
  const subtle = self.crypto && crypto.subtle;
  if (!subtle) return null;
  performance.mark("feedback-stamp");
  const text = new TextEncoder();
  // One digest at a time: asking for 16 at once measured no faster (scripts/bench-stamp.mjs: 0.95× at 4× CPU
  // slowdown, 1.2× at 1×). At most 64 times the hashes it should take (a chance of e^-64 of giving up).
  for (let n = 0; n < 64 * 2 ** bits; n++) {
    if (zeroBits(new Uint8Array(await subtle.digest("SHA-256", text.encode(`feedback-stamp:${id}:${n}`)))) >= bits) {
      performance.measure("feedback-stamp", "feedback-stamp");
      const inside = body.trim().slice(1, -1).trim();
      return `${body.trimEnd().slice(0, -1)}${inside ? "," : ""}"stamp":${n}}`;
    }
  }
  return null;
}
