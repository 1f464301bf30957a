#!/usr/bin/env node
// The Content-Security-Policy for a static host, as a <meta http-equiv> at the top of the built index.html
// (issue 14). The collector sends the same policy as a header (collector/src/embed.rs) and leaves this
// meta out of the pages it draws; a static host that can set headers should send it too, with
// `frame-ancestors` (which a meta cannot carry: README, "Security").
//
//   node scripts/csp.mjs              trunk post_build hook (release builds): $TRUNK_STAGING_DIR/index.html
//   node scripts/csp.mjs dist         dist/index.html again, after editing config.json's endpoint (then run
//                                     `node scripts/compress.mjs dist` to remake its compressed copies)
//
// The inline scripts (the loader, the service worker's registration) and styles (the inlined CSS) are
// allowed by their SHA-256 hashes, computed here from the built file, never a fixed nonce; `connect-src`
// is the site and config.json's endpoint's origin, if the endpoint is on another site.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { transformSync } from "esbuild";

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("csp: give the built folder (dist), or run through trunk.");
  process.exit(2);
}
if (!process.argv[2] && process.env.TRUNK_PROFILE !== "release") process.exit(0);

const path = join(dir, "index.html");
// The inlined CSS files, one <style> each, become one (they are next to each other, so the cascade is the
// same): one hash in the policy instead of ten (-0.4 KB of the first load, brotli; hashes do not compress).
let html = readFileSync(path, "utf8")
  .replace(/<meta http-equiv="?Content-Security-Policy"?[^>]*>/i, "")
  .replaceAll(/<\/style>\s*<style>/gi, "");
// The inline scripts minified first (trunk's own minifier gives up on the loader, and leaves it as written:
// -0.4 KB of the first load, brotli), so the hashes are of what is served.
html = html.replace(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/gi, (whole, attributes = "", body) => {
  if (/\ssrc=|application\/json/i.test(attributes) || !body.trim()) return whole;
  const format = /type=["']?module/i.test(attributes) ? "esm" : undefined;
  return `<script${attributes}>${transformSync(body, { minify: true, format, target: "es2020" }).code.trim()}</script>`;
});
const hash = (text) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
const inline = (tag, skip) =>
  [...html.matchAll(new RegExp(`<${tag}(\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, "gi"))].filter((m) => !skip(m[1] ?? "")).map((m) => hash(m[2]));
const scripts = inline("script", (attributes) => /\ssrc=|application\/json/i.test(attributes));
const styles = inline("style", () => false);

let endpoint = "";
try {
  const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
  const m = /^(https?:\/\/[^/?#]+)/.exec(config.endpoint ?? "");
  if (m) endpoint = ` ${m[1]}`;
} catch (e) {
  console.error(`csp: ${join(dir, "config.json")} could not be read (${e.message}); answers may go to this site only.`);
}

// As collector/src/embed.rs's content_security_policy, without frame-ancestors (a meta cannot carry it).
// No worker-src: it falls back to script-src, whose 'self' is the service worker's.
const policy = [
  "default-src 'none'",
  `script-src 'self' 'wasm-unsafe-eval' ${scripts.join(" ")}`.trim(),
  `style-src 'self' ${styles.join(" ")}`.trim(),
  "img-src 'self' data:",
  `connect-src 'self'${endpoint}`,
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
].join("; ");
const meta = `<meta http-equiv="Content-Security-Policy" content="${policy}">`;
// Before anything it governs: right after the charset, which must come first.
const charset = /<meta charset=[^>]*>/i.exec(html);
if (!charset) {
  console.error("csp: index.html has no <meta charset>; the policy was not added.");
  process.exit(1);
}
const at = charset.index + charset[0].length;
html = html.slice(0, at) + meta + html.slice(at);
writeFileSync(path, html);
console.log(`csp: ${scripts.length} inline scripts and ${styles.length} styles allowed by hash; connect-src 'self'${endpoint}`);
