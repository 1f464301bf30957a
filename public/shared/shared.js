// A device shared between people: a peer researcher's tablet, passed from person to person.
//
// Loaded only on a shared device (the app asks for it with the "feedback-shared" event, which
// index.html's loader answers with import()): a person on their own phone downloads none of it.
// Hand-written JavaScript with no dependency rather than Leptos components in the app, for size:
// the app's first load does not carry it for every personal phone (the README's size section), and
// this whole file is 4.8 KB brotli once minified, fetched once by a shared device and kept for offline
// use by the service worker. The rules that decide what is sent stay in the app (src/services/shared.rs).
//
// What it does:
// 1. The facilitator's screen, at #/facilitator (linked from nothing a respondent sees): a PIN
//    guards it (PBKDF2 with Web Crypto; only a salted hash is kept; five wrong tries lock it for a
//    minute); a session's label and facilitator code; what was sent, is waiting and was refused;
//    Send now; the storage left and whether it is persistent; waiting answers saved to a file;
//    ending the session.
// 2. Between two people: after Send, "Please hand the device back", then a clean start page for
//    the next person, by a button or after a pause that counts down and can be stopped.
// 3. Someone walks away: after a time with no touch or key on a question page, a modal warning
//    (the GOV.UK timeout warning pattern) counts down a minute, then the answers are cleared.
// 4. The screen stays on (Screen Wake Lock) while a session runs, where the browser can.
//
// The clean start page is a reload of the page at "#/" (no ?lang=): the page's memory (answers,
// language, easy read, read aloud, focus) goes with it, and on a shared device the app adds no
// history entries, so Back cannot reach the last person's pages. Nothing here is ever sent.

const SESSION = "feedback-form:session";
const PIN = "feedback-form:pin";
const PIN_ITERATIONS = 600000; // PBKDF2-HMAC-SHA256, as OWASP advises (2023)
const MAX_TRIES = 5;
const LOCK_MS = 60000;
const WARNING_SECONDS = 60; // feedback_model::WARNING_SECONDS
const LOW_SPACE = 50e6;
const LIMITS = { label: 100, code: 40 }; // feedback_model::SESSION_MAX_CHARS, FACILITATOR_MAX_CHARS

const here = new URL(".", import.meta.url);
const app = new URL("..", here);
const root = document.documentElement;

// ---------------------------------------------------------------- small helpers

/** An element: h("p", {class: "body"}, "text", child…). `on…` attributes are listeners. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

const read = (key) => {
  try {
    return JSON.parse(localStorage.getItem(key) || "null");
  } catch {
    return null;
  }
};
const write = (key, value) => localStorage.setItem(key, JSON.stringify(value));

let words = {};
let english = {};
async function loadWords() {
  const get = async (lang) => {
    try {
      const res = await fetch(new URL(`${lang}.json`, here));
      return res.ok ? await res.json() : {};
    } catch {
      return {};
    }
  };
  if (!english.facilitator_title) english = await get("en");
  const lang = root.lang || "en";
  words = lang === "en" ? english : { ...english, ...(await get(lang)) };
}
/** A string in the page's language, with {placeholders} filled; `count` picks _one or _other. */
function t(key, fill = {}) {
  const k = "count" in fill ? `${key}_${fill.count === 1 ? "one" : "other"}` : key;
  return (words[k] ?? english[k] ?? k).replace(/\{(\w+)\}/g, (_, name) => String(fill[name] ?? ""));
}

let config = { next_person_seconds: 60, inactivity_seconds: 180 };
async function loadConfig() {
  try {
    const c = await (await fetch(new URL("config.json", app), { cache: "no-cache" })).json();
    config = { ...config, ...c };
  } catch {
    // The app has read it already (and shows its problems); the defaults do here.
  }
}

const route = () => location.hash.replace(/^#/, "") || "/";
/**
 * Someone's answers are on this device: on a question page or Check your answers, or on the start page after
 * Back from one (the app shows "Clear my answers" there while it holds answers). A start page reached that way
 * looks clean to the next person, who would find the last person's answers on every page after Start now.
 */
const holdsAnswers = () => !!document.querySelector("#clear-answers, #clear-question");
/** A screen where answers may be given or held: the quiet time is counted there, and looked at when it ends. */
const mayHoldAnswers = () => /^\/(page\/[\w-]+|check)?$/.test(route());
const answering = () => mayHoldAnswers() && (route() !== "/" || holdsAnswers());

/** A clean start page for the next person (see the top of this file). */
function nextPerson() {
  // After someone left by "Exit this page", this tab would leave again on its way back (the loader, Trunk.toml):
  // the facilitator (past the PIN) or the next person's step ends that. (Each may be missing here.)
  const quietly = (f) => {
    try {
      f();
    } catch {}
  };
  quietly(() => speechSynthesis.cancel());
  quietly(() => sessionStorage.removeItem("feedback-form:exited"));
  history.scrollRestoration = "manual";
  history.replaceState({ nextPerson: true }, "", location.pathname + "#/");
  location.reload();
}

// ---------------------------------------------------------------- the outbox, read only

/** The outbox as the app keeps it (IndexedDB "feedback-form", store and key "outbox"; or localStorage). */
async function outbox() {
  const text = await new Promise((resolve) => {
    let req;
    try {
      req = indexedDB.open("feedback-form", 1);
    } catch {
      return resolve(null);
    }
    // Made as the app makes it, so the app finds its store.
    req.onupgradeneeded = () => req.result.createObjectStore("outbox");
    req.onerror = req.onblocked = () => resolve(null);
    req.onsuccess = () => {
      const db = req.result;
      try {
        const get = db.transaction("outbox", "readonly").objectStore("outbox").get("outbox");
        get.onsuccess = () => resolve(get.result ?? null);
        get.onerror = () => resolve(null);
      } catch {
        resolve(null);
      } finally {
        db.close();
      }
    };
  });
  const json = text ?? localStorage.getItem("feedback-form:outbox");
  let o;
  try {
    o = JSON.parse(json || "{}");
  } catch {
    o = {};
  }
  const entries = Array.isArray(o.entries) ? o.entries : [];
  return {
    entries,
    waiting: entries.filter((e) => !isRefused(e)),
    refused: entries.filter(isRefused),
    delivered: o.delivered || 0,
    last: o.last_delivered_ms || 0,
  };
}

/** Whether the endpoint refused this entry (kept as "rejected", the outbox's first name for it). */
const isRefused = (e) => e.state?.state === "rejected";

/** Everything waiting and refused, in the file format `collector import` reads: each submission's JSON exactly as it is sent. */
function waitingFile(entries) {
  const items = entries.map((e) => {
    const why = isRefused(e) ? `"refused_because":${JSON.stringify(`${e.state.status}: ${e.state.reason}`)},` : "";
    return `{${why}"submission":${e.body}}`;
  });
  return `[${items.join(",\n")}]\n`;
}

function saveFile(text) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const day = new Date().toISOString().slice(0, 10);
  const a = h("a", { href: url, download: `answers-waiting-${day}.json`, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// ---------------------------------------------------------------- the PIN

const b64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
async function hashPin(pin, salt, iterations) {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(pin), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  return b64(bits);
}
const fromB64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const pinShape = (pin) => /^[0-9]{4,8}$/.test(pin);

async function setPin(pin) {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  write(PIN, { salt: b64(salt), hash: await hashPin(pin, salt, PIN_ITERATIONS), iterations: PIN_ITERATIONS, tries: 0, locked_until: 0 });
}

/** "ok", "wrong" (tries left), or "locked" (ms left). The tries and the lock are kept, so a reload does not reset them. */
async function checkPin(pin) {
  const p = read(PIN);
  const now = Date.now();
  if (p.locked_until > now) return { locked: p.locked_until - now };
  const right = (await hashPin(pin, fromB64(p.salt), p.iterations)) === p.hash;
  if (right) {
    write(PIN, { ...p, tries: 0, locked_until: 0 });
    return { ok: true };
  }
  const tries = (p.tries || 0) + 1;
  if (tries >= MAX_TRIES) {
    write(PIN, { ...p, tries: 0, locked_until: now + LOCK_MS });
    return { locked: LOCK_MS };
  }
  write(PIN, { ...p, tries, locked_until: 0 });
  return { left: MAX_TRIES - tries };
}

// ---------------------------------------------------------------- forms with the GOV.UK error pattern

let uid = 0;
/** A labelled text field with a hint; `error` shows its message. */
function field({ label, hint, error, ...input }) {
  const id = `shared-field-${++uid}`;
  const hintId = hint && `${id}-hint`;
  const errorId = error && `${id}-error`;
  return h(
    "div",
    { class: error ? "form-group form-group--error" : "form-group" },
    h("label", { class: "label label--m", for: id }, label),
    hint && h("div", { class: "hint", id: hintId }, hint),
    error && h("p", { class: "error-message", id: errorId }, h("span", { class: "visually-hidden" }, "Error: "), error),
    h("input", {
      class: error ? "input input--error" : "input",
      id,
      "aria-describedby": [hintId, errorId].filter(Boolean).join(" ") || null,
      "aria-invalid": error ? "true" : null,
      ...input,
    }),
  );
}

/** "There is a problem", linking to each field in error; it takes focus. */
function errorSummary(problems) {
  if (!problems.length) return null;
  return h(
    "div",
    { class: "error-summary", tabindex: "-1", "data-focus": "" },
    h("div", { role: "alert" }, h("h2", { class: "error-summary__title" }, t("problem")),
      h("ul", { class: "list error-summary__list" }, problems.map(([name, text]) => h("li", {}, h("a", { href: `#`, "data-field": name, onclick: (e) => {
        e.preventDefault();
        document.querySelector(`[name="${name}"]`)?.focus();
      } }, text))))),
  );
}

// ---------------------------------------------------------------- 1. the facilitator's screen

let unlocked = false;
let screen = null; // the element drawn into, while #/facilitator is shown
let poll = null;

async function facilitator(into, state = {}) {
  screen = into;
  await loadWords();
  document.title = `${t("facilitator_title")} – ${document.title.split(" – ").pop()}`;
  clearInterval(poll);
  poll = null;
  const pin = read(PIN);
  let view;
  if (!pin) view = setPinView(state);
  else if (!unlocked) {
    const lockedFor = (pin.locked_until || 0) - Date.now();
    if (lockedFor > 0 && !state.problems) state = { problems: [["pin", t("pin_locked", { seconds: Math.ceil(lockedFor / 1000) })]] };
    view = enterPinView(state);
  }
  else view = await statusView(state);
  into.replaceChildren(view);
  (into.querySelector("[data-focus]") || into.querySelector("h1"))?.focus();
}
const redraw = (state) => screen?.isConnected && facilitator(screen, state);

function page(title, ...children) {
  return h("div", { class: "facilitator" }, h("h1", { class: "heading-xl", tabindex: "-1" }, title), ...children);
}

function setPinView({ problems = [] }) {
  const err = Object.fromEntries(problems);
  return page(
    t("pin_set_title"),
    errorSummary(problems),
    h("p", { class: "body" }, t("pin_set_intro")),
    h(
      "form",
      {
        novalidate: true,
        onsubmit: async (e) => {
          e.preventDefault();
          const f = new FormData(e.target);
          const [a, b] = [f.get("pin"), f.get("pin-again")];
          const problems = [];
          if (!pinShape(a)) problems.push(["pin", t("pin_digits")]);
          else if (a !== b) problems.push(["pin-again", t("pin_differs")]);
          if (problems.length) return redraw({ problems });
          e.target.querySelector("button").textContent = t("pin_saving");
          await setPin(a);
          unlocked = true;
          redraw({});
        },
      },
      field({ label: t("pin_new"), hint: t("pin_hint"), error: err.pin, name: "pin", type: "password", inputmode: "numeric", autocomplete: "new-password", maxlength: "8" }),
      field({ label: t("pin_again"), error: err["pin-again"], name: "pin-again", type: "password", inputmode: "numeric", autocomplete: "new-password", maxlength: "8" }),
      h("button", { type: "submit", class: "button" }, t("pin_set_button")),
    ),
  );
}

function enterPinView({ problems = [] }) {
  const err = Object.fromEntries(problems);
  return page(
    t("pin_enter_title"),
    errorSummary(problems),
    h(
      "form",
      {
        novalidate: true,
        onsubmit: async (e) => {
          e.preventDefault();
          const got = new FormData(e.target).get("pin");
          if (!pinShape(got)) return redraw({ problems: [["pin", t("pin_digits")]] });
          const r = await checkPin(got);
          if (r.ok) {
            unlocked = true;
            return redraw({});
          }
          const text = r.locked ? t("pin_locked", { seconds: Math.ceil(r.locked / 1000) }) : t("pin_wrong", { count: r.left });
          redraw({ problems: [["pin", text]] });
        },
      },
      field({ label: t("pin_enter"), error: err.pin, name: "pin", type: "password", inputmode: "numeric", autocomplete: "off", maxlength: "8" }),
      h("button", { type: "submit", class: "button" }, t("pin_enter_button")),
    ),
  );
}

const summary = (rows) =>
  h("dl", { class: "summary-list" }, rows.map(([k, v]) => h("div", { class: "summary-list__row" }, h("dt", { class: "summary-list__key" }, k), h("dd", { class: "summary-list__value" }, v))));

const when = (ms) => new Intl.DateTimeFormat(root.lang || "en", { dateStyle: "medium", timeStyle: "short" }).format(new Date(ms));

async function statusView({ problems = [], ending = false, note = null }) {
  const session = read(SESSION);
  const o = await outbox();
  const { waiting, refused } = o;
  const parts = [];
  if (note) parts.push(h("div", { class: "notice", role: "status" }, h("p", { class: "body" }, note)));
  if (session) {
    const sent = Math.max(0, o.delivered - (session.delivered_at_start || 0));
    const last = o.last > (session.started_ms || 0) ? when(o.last) : t("never");
    parts.push(
      summary([
        [t("session_now"), session.label],
        [t("facilitator_code"), session.code || t("none")],
        [t("sent"), String(sent)],
        [t("waiting"), String(waiting.length)],
        [t("refused"), String(refused.length)],
        [t("last_sent"), last],
      ]),
    );
  } else {
    parts.push(sessionForm(problems), summary([[t("waiting"), String(waiting.length)], [t("refused"), String(refused.length)]]));
  }
  const status = h("p", { class: "body", role: "status" });
  parts.push(
    h("button", {
      type: "button",
      class: "button",
      onclick: () => {
        status.textContent = navigator.onLine === false ? t("send_offline") : t("sending");
        dispatchEvent(new Event("feedback-send-now"));
      },
    }, t("send_now")),
    status,
  );
  parts.push(await storageRows(session));
  if (o.entries.length) {
    parts.push(
      h("h2", { class: "heading-m" }, t("save_file")),
      h("p", { class: "body hint" }, t("save_file_hint")),
      h("button", { type: "button", class: "button button--secondary", onclick: () => saveFile(waitingFile(o.entries)) }, t("save_file")),
    );
  }
  if (refused.length) {
    parts.push(
      h("h2", { class: "heading-m" }, t("refused_list")),
      h("ul", { class: "list" }, refused.map((e) => {
        let sentAt = "";
        try {
          sentAt = when(Date.parse(JSON.parse(e.body).sent_at));
        } catch {}
        return h("li", { class: "notice notice--warning" }, summary([["id", e.id], [t("refused_at"), sentAt], [t("refused_reason"), `${e.state.status}: ${e.state.reason}`]]));
      })),
    );
  }
  parts.push(h("p", { class: "body" }, h("button", { type: "button", class: "button", onclick: nextPerson }, t("next_person"))));
  if (session) {
    if (ending && waiting.length) {
      parts.push(
        h("div", { class: "notice notice--warning", "data-focus": "", tabindex: "-1" },
          h("p", { class: "body" }, t("end_warning", { count: waiting.length })),
          h("button", { type: "button", class: "button button--warning", onclick: endSession }, t("end_confirm")),
          " ",
          h("button", { type: "button", class: "button button--secondary", onclick: () => redraw({}) }, t("end_cancel"))),
      );
    } else {
      parts.push(h("button", { type: "button", class: "button button--secondary", onclick: () => (waiting.length ? redraw({ ending: true }) : endSession()) }, t("end_session")));
    }
  }
  // The counts follow the outbox while this screen is shown (read every 2 s; stopped on leaving).
  const shown = { sent: o.delivered, waiting: waiting.length, refused: refused.length };
  poll = setInterval(async () => {
    if (!screen?.isConnected || ending) return clearInterval(poll);
    const n = await outbox();
    if (n.delivered !== shown.sent || n.waiting.length !== shown.waiting || n.refused.length !== shown.refused) {
      clearInterval(poll);
      const active = document.activeElement;
      const keep = active && screen.contains(active) ? active.textContent : null;
      await facilitator(screen, {});
      // Focus stays on the button that was pressed (its words are the same after redrawing).
      if (keep) [...screen.querySelectorAll("button")].find((b) => b.textContent === keep)?.focus();
    }
  }, 2000);
  return page(session ? session.label : t("facilitator_title"), ...parts);
}

function sessionForm(problems) {
  const err = Object.fromEntries(problems);
  return h(
    "form",
    {
      novalidate: true,
      onsubmit: async (e) => {
        e.preventDefault();
        const f = new FormData(e.target);
        const label = String(f.get("label")).trim();
        const code = String(f.get("code")).trim();
        const problems = [];
        if (!label) problems.push(["label", t("session_label_missing")]);
        else if ([...label].length > LIMITS.label) problems.push(["label", t("session_too_long", { field: t("session_label"), max: LIMITS.label })]);
        if ([...code].length > LIMITS.code) problems.push(["code", t("session_too_long", { field: t("facilitator_code"), max: LIMITS.code })]);
        if (problems.length) return redraw({ problems });
        const o = await outbox();
        let persisted = false;
        try {
          persisted = await navigator.storage.persist();
        } catch {
          // Not offered here: the screen says the browser has not promised.
        }
        write(SESSION, { label, code: code || null, started_ms: Date.now(), delivered_at_start: o.delivered, persisted: !!persisted });
        keepScreenOn();
        redraw({});
      },
    },
    h("h2", { class: "heading-l" }, t("session_title")),
    errorSummary(problems),
    field({ label: t("session_label"), hint: t("session_label_hint"), error: err.label, name: "label", type: "text", autocomplete: "off", spellcheck: "false" }),
    field({ label: t("session_code"), hint: t("session_code_hint"), error: err.code, name: "code", type: "text", autocomplete: "off", spellcheck: "false" }),
    h("button", { type: "submit", class: "button" }, t("session_start")),
  );
}

async function storageRows(session) {
  const rows = [];
  let low = false;
  try {
    const { quota, usage } = await navigator.storage.estimate();
    const left = quota - usage;
    low = left < LOW_SPACE;
    rows.push([t("storage"), `${new Intl.NumberFormat(root.lang || "en", { maximumFractionDigits: 0 }).format(left / 1e6)} MB`]);
  } catch {
    rows.push([t("storage"), t("storage_unknown")]);
  }
  let persisted = session?.persisted;
  try {
    persisted = await navigator.storage.persisted();
  } catch {}
  rows.push([t("persisted"), persisted ? t("persisted_yes") : t("persisted_no")]);
  return h("div", {}, summary(rows), low && h("div", { class: "notice notice--warning" }, h("p", { class: "body" }, t("storage_low"))));
}

async function endSession() {
  localStorage.removeItem(SESSION);
  releaseScreen();
  redraw({ note: t("ended") });
}

// ---------------------------------------------------------------- 2. between two people

let countdown = null;

/**
 * Counts `seconds` down to `done`, showing `text(left)` in `said` every second and saying it to screen
 * readers through `live` only at the start, every 20 seconds and at 10, not every second. Counted from
 * the clock, not by ticks, since a browser slows the timers of a page it does not show.
 */
function countDown(seconds, said, live, text, done) {
  const end = Date.now() + seconds * 1000;
  let told = null;
  const tick = () => {
    const left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
    said.textContent = text(left);
    const step = left <= 10 ? 0 : Math.ceil(left / 20);
    if (step !== told) {
      told = step;
      live.textContent = text(left);
    }
    if (left === 0) {
      clearInterval(timer);
      done();
    }
  };
  const timer = setInterval(tick, 1000);
  tick();
  return timer;
}

/**
 * Whether the confirmation holds answers the device could not store (its storage full or refused): they are only
 * in this page's memory, and its file link is on the page, until they are sent. The next person's reload would
 * lose them, so it waits.
 */
const unsaved = () => !!document.querySelector("#main-content a[download]");

function handBack(into) {
  clearInterval(countdown);
  const text = (count) => t("next_in", { count });
  const said = h("p", { class: "body", "aria-hidden": "true" });
  const live = h("p", { class: "visually-hidden", "aria-live": "polite" });
  const warning = h("div", { class: "notice notice--warning", tabindex: "-1", hidden: true }, h("p", { class: "body" }, t("unsaved")));
  const stopped = () => {
    clearInterval(countdown);
    said.textContent = live.textContent = t("next_stopped");
    said.removeAttribute("aria-hidden");
    live.remove();
    stop.remove();
  };
  const next = () => {
    if (!unsaved()) return nextPerson();
    stopped();
    warning.hidden = false;
    warning.focus();
  };
  const stop = h("button", { type: "button", class: "button button--secondary", onclick: stopped }, t("next_stop"));
  into.replaceChildren(
    h("div", { class: "notice next-person" },
      h("h2", { class: "heading-m" }, t("hand_back_title")),
      h("p", { class: "body" }, t("hand_back_text")),
      said, live, warning,
      h("div", { class: "next-person__buttons" }, h("button", { type: "button", class: "button", onclick: next }, t("next_now")), " ", stop)),
  );
  countdown = countDown(Number(config.next_person_seconds) || 60, said, live, text, () => into.isConnected && next());
}

// ---------------------------------------------------------------- 3. someone walks away

let idle = null;
let dialog = null;
function stillThere() {
  clearTimeout(idle);
  idle = null;
  if (dialog || !mayHoldAnswers()) return;
  idle = setTimeout(warn, (Number(config.inactivity_seconds) || 180) * 1000);
}

async function warn() {
  if (!answering()) return;
  await loadWords();
  const before = document.activeElement;
  const said = h("p", { class: "body", "aria-hidden": "true" });
  const live = h("p", { class: "visually-hidden", "aria-live": "assertive" });
  let timer = null;
  const close = () => {
    clearInterval(timer);
    dialog?.close();
    dialog?.remove();
    dialog = null;
    before?.focus?.();
    stillThere();
  };
  dialog = h(
    "dialog",
    { class: "still-there", "aria-labelledby": "still-there-title", "aria-describedby": "still-there-text", oncancel: (e) => (e.preventDefault(), close()) },
    h("h2", { class: "heading-l", id: "still-there-title" }, t("still_title")),
    h("p", { class: "body", id: "still-there-text" }, t("still_text")),
    said,
    live,
    h("button", { type: "button", class: "button", onclick: close }, t("still_here")),
  );
  document.body.append(dialog);
  dialog.showModal();
  dialog.querySelector("button").focus();
  timer = countDown(WARNING_SECONDS, said, live, (count) => t("still_in", { count }), nextPerson);
}

for (const type of ["pointerdown", "keydown", "input", "wheel", "touchstart"]) addEventListener(type, () => dialog || stillThere(), { capture: true, passive: true });
addEventListener("scroll", () => dialog || stillThere(), { passive: true });

// ---------------------------------------------------------------- 4. the screen stays on

let wakeLock = null;
async function keepScreenOn() {
  if (!read(SESSION) || document.hidden) return;
  try {
    wakeLock = await navigator.wakeLock?.request("screen");
  } catch {
    // Not offered here (or refused): harmless.
  }
}
function releaseScreen() {
  wakeLock?.release().catch(() => {});
  wakeLock = null;
}
document.addEventListener("visibilitychange", keepScreenOn);

// ---------------------------------------------------------------- following the page

/** Draws what the screen shown needs, once the app has drawn the place for it. */
let shownRoute = null;
async function follow() {
  const r = route();
  if (r !== shownRoute) {
    shownRoute = r;
    if (r !== "/sent") clearInterval(countdown);
    if (r !== "/facilitator") {
      unlocked = false; // leaving the screen locks it again
      screen = null;
    }
    stillThere(); // a new screen is a sign of someone there (on the confirmation and the facilitator screen, no timer)
  }
  const place = document.getElementById(r === "/facilitator" ? "facilitator" : "next-person");
  if (place && !place.dataset.drawn) {
    place.dataset.drawn = "yes";
    await loadWords();
    if (r === "/facilitator") facilitator(place);
    else handBack(place);
  }
}

// On a shared device, "Start again" on the confirmation is the next person too.
addEventListener("click", (e) => {
  if (e.target.closest?.(".confirmation__again")) {
    e.preventDefault();
    e.stopImmediatePropagation();
    nextPerson();
  }
}, true);
addEventListener("hashchange", follow);
// The app draws the places for the facilitator's screen and the next person's step.
new MutationObserver(() => follow()).observe(document.body, { childList: true, subtree: true });
// The words follow the page's language (only when it changes: the app may set the same again, and
// drawing the facilitator's screen again would move focus).
let shownLang = root.lang;
new MutationObserver(() => {
  if (root.lang === shownLang) return;
  shownLang = root.lang;
  const place = document.querySelector("[data-drawn]");
  loadWords().then(() => {
    if (place?.id === "facilitator") redraw({});
    else if (place) handBack(place);
  });
}).observe(root, { attributes: true, attributeFilter: ["lang"] });

/** Kept for use with no connection: the service worker keeps this script's files from now on (public/sw.js). */
async function keepForOffline() {
  try {
    if (!navigator.serviceWorker?.controller) return;
    const cache = await caches.open("feedback-form");
    const form = await (await fetch(new URL(`forms/${config.form}.json`, app))).json();
    const files = ["shared.js", "shared.css", ...new Set(["en", ...(form.languages || [])].map((l) => `${l}.json`))];
    for (const f of files) {
      const url = new URL(f, here).href;
      if (!(await cache.match(url))) await cache.add(url);
    }
  } catch {
    // Offline now: the service worker keeps them on its next visit online, if this script was kept.
  }
}

const link = h("link", { rel: "stylesheet", href: new URL("shared.css", here).href });
document.head.append(link);
await Promise.all([loadConfig(), loadWords()]);
keepScreenOn();
keepForOffline();
// A clean start page for the next person: focus on its heading.
if (history.state?.nextPerson) {
  history.replaceState(null, "", location.href);
  const focus = () => document.getElementById("main-heading")?.focus();
  requestAnimationFrame(focus);
}
root.dataset.shared = "ready";
follow();
