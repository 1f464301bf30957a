// The form's side of an embed in a partner's page (issue 13; the page's side is embed.js).
//
// Imported by the app's loader only when the form is in a frame (index.html, Trunk.toml): the form on its
// own downloads none of it. Hand-written JavaScript with no dependency, like shared/shared.js, so that it
// is not in the app's first load for everyone.
//
// - `?embed=1`: the embedded look (`<html data-embed>` and frame.css; the collector draws both into its
//   pages already, even for a browser with no script), and the theme tokens embed.js passed, checked
//   again here (an address can be typed by anyone): accent (white text on it, and it as link text on the
//   background, at 4.5:1 at least), font (a device font), bg=transparent (light scheme only: the
//   partner's page was checked by embed.js), heading (the level the form's headings start at).
// - Talks only to its parent, and only once the parent said hello from this site or an origin that
//   config.json's `embed.allowed_origins` lists; then only to that exact origin, in the versioned
//   envelope {source: "feedback-form", version: 1, type, …}. Anything else is ignored, and never answered.
// - Tells the parent: ready {title, exit}, height {height} (the form's own height, so the frame needs no
//   scrollbar; measured on the document, which never grows with the frame: no loop), page {page, of}
//   (the screen's place among start, the form's pages, check and sent; skipped pages are never shown, so
//   the number may jump), submitted {submission_id}, escape (for the popup). Never an answer.
// - Hears from the parent: hello, and exit (Shift three times on the partner's page): the draft is
//   forgotten and the form blanked while the partner's page leaves.
const SOURCE = "feedback-form";
const VERSION = 1;
const FONTS = ["system-ui", "sans-serif", "serif", "Arial", "Helvetica", "Verdana", "Tahoma", "Trebuchet MS", "Georgia", "Times New Roman"];

const here = new URL(".", import.meta.url);
const app = new URL("..", here);
const root = document.documentElement;
const params = new URLSearchParams(location.search);

// ---------------------------------------------------------------- the embedded look

// The same contrast sums as embed.js (a classic script on another site: no module can be shared).
const rgb = (hex) => (/^#[0-9a-f]{6}$/i.test(hex ?? "") ? [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) : null);
const luminance = (c) =>
  c.map((v) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)).reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
const contrast = (a, b) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};
const toHex = (c) => `#${c.map((v) => Math.round(v).toString(16).padStart(2, "0")).join("")}`;

if (params.get("embed") === "1") {
  root.dataset.embed = "";
  if (!document.querySelector('link[href$="embed/frame.css"]')) {
    document.head.append(Object.assign(document.createElement("link"), { rel: "stylesheet", href: new URL("frame.css", here).href }));
  }
  const style = root.style;
  const background = rgb(getComputedStyle(root).getPropertyValue("--background").trim()) ?? [255, 255, 255];
  const accent = params.get("accent");
  const c = rgb(accent);
  if (accent && !(c && contrast(c, [255, 255, 255]) >= 4.5)) {
    console.warn(`Feedback form: the accent colour “${accent}” is ignored: white text on it would not have 4.5:1 contrast.`);
  } else if (c) {
    style.setProperty("--button", accent);
    style.setProperty("--button-hover", toHex(c.map((v) => v * 0.8)));
    if (contrast(c, background) >= 4.5) style.setProperty("--link", accent);
  }
  const font = params.get("font");
  if (FONTS.includes(font)) style.setProperty("--embed-font", `"${font}", system-ui, sans-serif`);
  else if (font) console.warn(`Feedback form: the font “${font}” is ignored: it must be one of ${FONTS.join(", ")}.`);
  if (params.get("bg") === "transparent" && luminance(background) > 0.5) style.setProperty("--background", "transparent");
  const shift = Number(params.get("heading") ?? 1) - 1;
  if (shift >= 1 && shift <= 5) {
    const levels = () => {
      for (const h of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
        const level = String(Math.min(6, Number(h.tagName[1]) + shift));
        if (h.getAttribute("aria-level") !== level) h.setAttribute("aria-level", level);
      }
    };
    levels();
    new MutationObserver(levels).observe(document.body, { childList: true, subtree: true });
  }
}

// ---------------------------------------------------------------- talking to the partner's page

const config = fetch(new URL("config.json", app), { cache: "no-cache" })
  .then((r) => r.json())
  .catch(() => ({}));
const allowed = config.then((c) => [location.origin, ...(Array.isArray(c?.embed?.allowed_origins) ? c.embed.allowed_origins : [])]);
/** The screens in order: start, each of the form's pages (by its questions' ids), check, sent. */
const screens = config
  .then((c) => fetch(new URL(`forms/${c.form}.json`, app)).then((r) => r.json()))
  .then((form) => ["start", ...form.pages.map((p) => p.questions.map((q) => q.id)), "check", "sent"])
  .catch(() => ["start", "check", "sent"]);

// The partner's label, if config.json lists it: the app sends it with the answers (src/services/send.rs
// reads `<html data-source>`; the collector checks it against the list again).
const source = params.get("source");
config.then((c) => {
  if (source && Array.isArray(c?.embed?.sources) && c.embed.sources.includes(source)) root.dataset.source = source;
  else if (source) console.warn(`Feedback form: the source “${source}” is not in config.json's embed.sources, so it is not sent.`);
});

let host = null; // the partner page's origin, once it said hello
const post = (type, extra) => parent.postMessage({ source: SOURCE, version: VERSION, type, ...extra }, host);

/** Quick exit on the partner's page: the answers in progress are forgotten, and the form is emptied. */
function exit() {
  try {
    localStorage.removeItem("feedback-form:draft");
  } catch {}
  document.title = "";
  document.body.replaceChildren();
}

addEventListener("message", async (e) => {
  const d = e.data;
  if (e.source !== parent || parent === self || d?.source !== SOURCE || d.version !== VERSION) return;
  // From the page that said hello (its origin was checked then): at once, in this task. The partner's page is
  // leaving, and waiting even for a promise that has settled could let this frame go first, with the draft.
  if (d.type === "exit" && host && e.origin === host) return exit();
  if ((host && e.origin !== host) || !(await allowed).includes(e.origin)) return;
  if (d.type === "hello") {
    const first = !host;
    host = e.origin;
    post("ready", {
      title: document.querySelector(".header__service")?.textContent.trim() || document.title,
      exit: document.querySelector(".exit-this-page__button")?.href,
    });
    if (first) follow();
  } else if (d.type === "exit") {
    exit();
  }
});

/** From the first hello on: the height, the screen, and a sent submission's id, each as it changes. */
function follow() {
  // The frame is exactly as tall as the form now: a scrollbar could only come and go, and loop.
  root.style.overflow = "hidden";
  // The document's height, with what overflows the body (frame.css makes the body hold its absolutely
  // placed elements, such as a 1-pixel visually hidden one at the very end): never the frame's own height,
  // which the document's does not follow, so setting it cannot grow it again.
  let height = -1;
  const measure = new ResizeObserver(() => {
    const h = Math.max(Math.ceil(root.getBoundingClientRect().height), document.body.scrollHeight);
    if (h !== height) post("height", { height: (height = h) });
  });
  measure.observe(root);
  measure.observe(document.body);
  let shown = null;
  let sent = null;
  const screen = async () => {
    const order = await screens;
    const question = document.querySelector("form.question-page [name^='q-']")?.name.slice(2);
    const name = document.querySelector("#send")
      ? "check"
      : document.querySelector(".panel--confirmation")
        ? "sent"
        : question ?? (document.querySelector(".button--start") ? "start" : null);
    const at = order.findIndex((s) => s === name || (Array.isArray(s) && s.includes(name)));
    if (name && `${name}${location.hash}` !== shown) {
      shown = `${name}${location.hash}`;
      if (at >= 0) post("page", { page: at + 1, of: order.length });
    }
    const id = document.querySelector(".panel--confirmation[data-submission]")?.dataset.submission;
    if (id && id !== sent) post("submitted", { submission_id: (sent = id) });
  };
  screen();
  new MutationObserver(() => screen()).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-submission"] });
  // Escape in the form closes the partner's popup (its dialog cannot hear keys pressed in here).
  addEventListener("keydown", (e) => e.key === "Escape" && post("escape"));
}
