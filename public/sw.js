// The service worker: after one visit, the form opens and can be answered with
// no connection. Answers never pass through here (POSTs and /api/ are left
// alone); only the app's own files are kept, all from this site.
//
// The app's files are kept as one set: the page, its script and WebAssembly
// (named by trunk with a hash of their contents), config.json, the form, the
// form's other languages and its pictures. The set is served from the cache at
// once, and fetched again in the background after each visit; a new set replaces
// the old only when every file of it has arrived, so a half-downloaded new
// version can never leave a page whose script is missing. Each queued
// submission keeps its own form version, so a new form never changes it.

const CACHE = "feedback-form";
const scope = self.registration.scope;
const at = (path) => new URL(path, scope).href;
const PAGE = at("./");

/** The files the form needs, found from the page, the config and the form themselves. */
async function download() {
  const got = new Map();
  const get = async (path, cache) => {
    const url = at(path);
    const res = await fetch(url, { cache, credentials: "omit" });
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    // A host that answers every unknown address with the page (as single-page apps
    // are often served) must not pass a missing script off as found.
    if (path !== "./" && (res.headers.get("content-type") || "").startsWith("text/html")) throw new Error(`${url}: missing`);
    got.set(url, res.clone());
    return res;
  };
  const scripts = scriptsOf(await (await get("./", "no-cache")).text());
  const config = await (await get("config.json", "no-cache")).json();
  const formText = await (await get(`forms/${config.form}.json`, "no-cache")).text();
  const form = JSON.parse(formText);
  const others = (form.languages || []).slice(1).flatMap((l) => [`locales/${l}.json`, `forms/${config.form}.${l}.json`]);
  // A shared device's script and its words (public/shared/), only on a shared device: one configured as
  // shared, or one whose page has loaded the script (shared.js keeps itself here when it first runs).
  const shared = config.shared_device === true || !!(await (await caches.open(CACHE)).match(at("shared/shared.js")));
  const sharedFiles = shared
    ? ["shared/shared.js", "shared/shared.css", ...["en", ...(form.languages || [])].map((l) => `shared/${l}.json`)]
    : [];
  const pictures = [...formText.matchAll(/"(pictures\/[\w.-]+\.(?:svg|png|jpg|webp))"/g)].map((m) => m[1]);
  await Promise.all([
    ...[...new Set(scripts)].map((p) => get(p, "default")),
    ...others.map((p) => get(p, "no-cache")),
    ...[...new Set(sharedFiles)].map((p) => get(p, "no-cache")),
    ...[...new Set(pictures)].map((p) => get(p, "default")),
    // The proof of work's and the encryption's scripts (public/stamp.js, public/seal.js), for use offline.
    ...["manifest.webmanifest", "icons/icon.svg", "stamp.js", "seal.js"].map((p) => get(p, "default").catch(() => null)),
  ]);
  return got;
}

/** The script and WebAssembly files a page loads. */
const scriptsOf = (html) => [...html.matchAll(/\.\/([\w.-]+\.(?:js|wasm))/g)].map((m) => m[1]);

/** Replaces the kept set with a complete new one; leaves it as it is on any failure. */
let refreshing = null;
function refresh() {
  refreshing ??= (async () => {
    try {
      const files = await download();
      const cache = await caches.open(CACHE);
      // A page already served may still be fetching the last set's script.
      const last = await cache.match(PAGE);
      const keep = new Set(last ? scriptsOf(await last.text()).map(at) : []);
      await Promise.all([...files].map(([url, res]) => cache.put(url, res)));
      for (const req of await cache.keys()) if (!files.has(req.url) && !keep.has(req.url)) await cache.delete(req);
    } catch (e) {
      // Offline, or the site is being updated: keep what works.
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

self.addEventListener("install", (event) => {
  event.waitUntil(refresh().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n)))),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || !url.href.startsWith(scope) || url.pathname.includes("/api/")) return;
  event.respondWith(answer(event, req));
});

async function answer(event, req) {
  const cache = await caches.open(CACHE);
  const navigate = req.mode === "navigate";
  const kept = await cache.match(navigate ? PAGE : req, { ignoreSearch: navigate });
  if (navigate) event.waitUntil(refresh());
  if (kept) return kept;
  try {
    return await fetch(req);
  } catch (e) {
    if (navigate) {
      const page = await cache.match(PAGE);
      if (page) return page;
    }
    throw e;
  }
}
