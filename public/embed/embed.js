// The feedback form on a partner's website (issue 13): one element and this script.
//
//   <div data-feedback-form="https://forms.example.org/" data-lang="cy" data-source="hostel-a">
//     <a href="https://forms.example.org/">Give us your feedback</a>
//   </div>
//   <script src="https://forms.example.org/embed/embed.js" defer></script>
//
// Each such element's content (a link to the form, for browsers with no script) is replaced by the
// form in an iframe (a title, loading="lazy", no referrer), or with data-mode="popup" by a button that
// opens it in a modal dialog. Options, each a data- attribute of the element (see the README's
// "Embedding the form"): lang, source (a label the form's config.json lists), accent (#rrggbb), font
// (one of FONTS), background ("transparent"), heading-level (1 to 6), title, label (the popup's button).
// A theme token that would break WCAG AA contrast is refused, with a warning in the console.
//
// The iframe follows the form's height (the form reports it), and the page's element gets these
// events (CustomEvent, bubbling), never with any answer in them: feedback:ready, feedback:page
// {page, of}, feedback:submitted {submission_id}, feedback:height {height}.
// Messages go only to the form's exact origin, and only messages from that origin and that frame, in
// the envelope {source: "feedback-form", version: 1, type, …}, are read. Nothing about this page (its
// address, query string, referrer) is given to the form. Shift pressed three times on this page leaves
// it for the form's exit address, as the form's own "Exit this page" does from inside.
//
// Plain JS with no dependency, and no module, so that `defer` or `async` both work; at most 3 KB brotli
// (scripts/size.mjs holds it there).
(() => {
  const SOURCE = "feedback-form";
  const VERSION = 1;
  const MIN_HEIGHT = 150;
  const MAX_HEIGHT = 30000;
  // Fonts a device has without downloading anything (a web font of this page cannot reach the frame).
  const FONTS = ["system-ui", "sans-serif", "serif", "Arial", "Helvetica", "Verdana", "Tahoma", "Trebuchet MS", "Georgia", "Times New Roman"];
  // The frame's title until the form gives its own, and the popup's buttons, in the page's language.
  const WORDS = {
    en: ["Feedback form", "Give feedback", "Close"],
    cy: ["Ffurflen adborth", "Rhoi adborth", "Cau"],
    ar: ["نموذج الملاحظات", "شارك برأيك", "إغلاق"],
  };
  const DEFAULT_EXIT = "https://www.bbc.co.uk/weather";
  const warn = (message) => console.warn(`Feedback form: ${message}`);

  // WCAG 2.2 contrast (relative luminance).
  const rgb = (hex) => (/^#[0-9a-f]{6}$/i.test(hex) ? [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) : null);
  const luminance = (c) =>
    c.map((v) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)).reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
  const contrast = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const WHITE = [255, 255, 255];
  const TEXT = [11, 12, 12]; // the form's text colour

  /** The colour behind `el` on this page (the first ancestor with an opaque background), or white. */
  const behind = (el) => {
    for (; el; el = el.parentElement) {
      const m = getComputedStyle(el).backgroundColor.match(/[\d.]+/g);
      if (m && (m[3] === undefined || +m[3] === 1)) return m.slice(0, 3).map(Number);
    }
    return WHITE;
  };

  /** The theme tokens of `host` that keep WCAG AA contrast, as URL parameters. */
  const theme = (host, params) => {
    const { accent, font, background } = host.dataset;
    const transparent = background === "transparent";
    const under = transparent ? behind(host.parentElement) : WHITE;
    if (background && !transparent) warn(`data-background may only be "transparent"; "${background}" is ignored.`);
    if (transparent && contrast(TEXT, under) < 4.5) {
      warn("data-background=\"transparent\" is ignored: the form's dark text would not have 4.5:1 contrast on this page's background.");
    } else if (transparent) params.set("bg", "transparent");
    if (accent) {
      const c = rgb(accent);
      if (!c) warn(`data-accent must be a colour such as #1d70b8; "${accent}" is ignored.`);
      else if (contrast(c, WHITE) < 4.5 || contrast(c, transparent ? under : WHITE) < 4.5)
        warn(`data-accent ${accent} is ignored: white text on it, or it as link text on the background, would not have 4.5:1 contrast.`);
      else params.set("accent", accent.toLowerCase());
    }
    if (font && !FONTS.includes(font)) warn(`data-font must be one of ${FONTS.join(", ")}; "${font}" is ignored.`);
    else if (font) params.set("font", font);
  };

  const make = (tag, props, ...children) => {
    const el = Object.assign(document.createElement(tag), props);
    el.append(...children);
    return el;
  };

  let exitUrl = DEFAULT_EXIT;
  const frames = new Set();

  function mount(host) {
    if (host.dataset.feedbackMounted !== undefined) return;
    let form;
    try {
      form = new URL(host.dataset.feedbackForm, document.baseURI);
    } catch {}
    if (!form || !/^https?:$/.test(form.protocol)) return warn("data-feedback-form must be the form's address, such as https://forms.example.org/.");
    host.dataset.feedbackMounted = "";
    const origin = form.origin;
    // Only the form's own address: never this page's, nor anything of the partner's URL but its path.
    const src = new URL(form.pathname, origin);
    const params = src.searchParams;
    params.set("embed", "1");
    const { lang, source, headingLevel, mode } = host.dataset;
    if (lang && /^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(lang)) params.set("lang", lang);
    else if (lang) warn(`data-lang must be a language tag such as cy; "${lang}" is ignored.`);
    if (source && /^[a-z0-9_-]{1,40}$/.test(source)) params.set("source", source);
    else if (source) warn(`data-source must be a label of a-z, 0-9, - and _ as listed in the form's config.json; "${source}" is ignored.`);
    if (/^[1-6]$/.test(headingLevel ?? "")) params.set("heading", headingLevel);
    else if (headingLevel) warn(`data-heading-level must be a number from 1 to 6; "${headingLevel}" is ignored.`);
    theme(host, params);

    const words = WORDS[(lang || document.documentElement.lang || "en").slice(0, 2)] || WORDS.en;
    const frame = make("iframe", { src: src.href, title: host.dataset.title || words[0], loading: "lazy", referrerPolicy: "no-referrer" });
    frame.style.cssText = `display:block;width:100%;border:0;height:${MIN_HEIGHT}px`;
    frames.add(frame);
    const send = (type) => frame.contentWindow?.postMessage({ source: SOURCE, version: VERSION, type }, origin);
    const fire = (type, detail) => host.dispatchEvent(new CustomEvent(`feedback:${type}`, { bubbles: true, detail }));
    let dialog;

    // Each page the frame loads (one per screen when the form runs without its app) says hello again,
    // a few times until the form answers (it may still be loading its script): bounded, 10 s at most.
    let answered = false;
    let readyFired = false;
    let screens = 0;
    frame.addEventListener("load", () => {
      answered = false;
      for (let i = 0; i < 40; i++) setTimeout(() => answered || send("hello"), i * 250);
    });
    addEventListener("message", (e) => {
      const d = e.data;
      if (e.source !== frame.contentWindow || e.origin !== origin || d?.source !== SOURCE || d.version !== VERSION) return;
      if (d.type === "ready") {
        answered = true;
        if (typeof d.title === "string" && d.title && !host.dataset.title) {
          frame.title = d.title;
          dialog?.setAttribute("aria-label", d.title);
        }
        if (typeof d.exit === "string" && /^https:\/\//.test(d.exit)) exitUrl = d.exit;
        if (!readyFired) fire("ready", {});
        readyFired = true;
      } else if (d.type === "height" && Number.isFinite(d.height)) {
        const height = Math.round(Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, d.height)));
        if (frame.style.height !== `${height}px`) frame.style.height = `${height}px`;
        fire("height", { height });
      } else if (d.type === "page" && Number.isInteger(d.page) && Number.isInteger(d.of)) {
        // A new screen, after the first, brings the top of the form into view (never focus: the
        // person is already acting in the form).
        if (screens++) {
          if (dialog) dialog.scrollTop = 0;
          const top = frame.getBoundingClientRect().top;
          if (top < 0 || top > innerHeight) frame.scrollIntoView({ block: "start" });
        }
        fire("page", { page: d.page, of: d.of });
      } else if (d.type === "submitted" && /^[0-9a-f-]{36}$/.test(d.submission_id)) {
        fire("submitted", { submission_id: d.submission_id });
      } else if (d.type === "escape" && dialog?.open) {
        dialog.close();
      }
    });

    if (mode === "popup") {
      const open = make("button", { type: "button", className: "feedback-form-open" }, host.dataset.label || words[1]);
      const close = make("button", { type: "button", className: "feedback-form-close" }, words[2]);
      close.style.cssText = "display:block;margin:0 0 .5rem auto;min-height:44px;min-width:44px;font:inherit";
      dialog = make("dialog", { className: "feedback-form-dialog" }, close, frame);
      dialog.setAttribute("aria-label", frame.title);
      dialog.style.cssText = "width:min(44rem,calc(100vw - 1rem));max-width:none;max-height:calc(100vh - 1rem);padding:.5rem;overflow:auto;box-sizing:border-box";
      open.addEventListener("click", () => dialog.showModal());
      close.addEventListener("click", () => dialog.close());
      dialog.addEventListener("close", () => open.focus());
      host.replaceChildren(open, dialog);
    } else {
      host.replaceChildren(frame);
    }
  }

  // Shift three times on this page leaves it, as in the form (the GOV.UK "Exit this page" pattern): the
  // frame is told first, so it forgets the answers in progress.
  let presses = [];
  addEventListener("keydown", (e) => {
    if (e.key !== "Shift") return void (presses = []);
    if (e.repeat || !frames.size) return;
    presses = [...presses.filter((t) => e.timeStamp - t <= 5000), e.timeStamp];
    if (presses.length < 3) return;
    for (const frame of frames) frame.contentWindow?.postMessage({ source: SOURCE, version: VERSION, type: "exit" }, new URL(frame.src).origin);
    document.title = "";
    // Hidden, not removed: a frame taken out of the page now would be gone before it reads the message above
    // (its task comes after this one), and the answers in progress would stay on the device. It goes with the page.
    document.body.style.setProperty("display", "none", "important");
    location.replace(exitUrl);
  });

  const all = () => document.querySelectorAll("[data-feedback-form]").forEach(mount);
  all();
  if (document.readyState === "loading") addEventListener("DOMContentLoaded", all);
})();
