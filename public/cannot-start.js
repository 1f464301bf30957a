// A static host's page where the app cannot start (no WebAssembly, as in Apple's Lockdown Mode;
// a blocked file): the loader in Trunk.toml has said so in English, and imports this, only then,
// to say it in the form's own language (its `locales/{lang}.json`), with a link to pages that need
// no app if `config.json` names a collector serving them (`pages_url`, an https:// address); on a device
// configured as shared, that sessions there need the app.
const loading = document.getElementById("loading");
const get = (path) => fetch(new URL(path, document.baseURI)).then((r) => (r.ok ? r.json() : {}));
(async () => {
  const config = await get("config.json");
  if (!loading || !/^[a-z0-9][a-z0-9_-]*$/.test(config.form)) return;
  const lang = ((await get(`forms/${config.form}.json`)).languages || ["en"])[0];
  const words = /^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(lang) && lang != "en" ? await get(`locales/${lang}.json`) : {};
  const t = (key, english) => (typeof words[key] == "string" ? words[key] : english);
  loading.textContent = t("cannot_start", loading.dataset.failed);
  if (words.cannot_start) {
    loading.lang = lang;
    loading.dir = "auto";
  }
  // A shared device (a peer researcher's tablet) needs the app, which keeps each person's answers from the
  // next: it says so, and offers no simpler pages, whose history the next person could go Back through.
  if (config.shared_device === true) {
    const shared = await get(`shared/${lang}.json`).catch(() => ({}));
    if (typeof shared.needs_app == "string") {
      loading.textContent = shared.needs_app;
      loading.lang = lang;
      loading.dir = "auto";
    } else {
      loading.textContent = "This device is set up for peer research sessions, which need JavaScript and WebAssembly turned on. Please give the device back to the person running the session.";
    }
    return;
  }
  if (typeof config.pages_url == "string" && config.pages_url.startsWith("https://")) {
    const link = document.createElement("a");
    link.className = "link";
    link.href = config.pages_url;
    link.textContent = t("cannot_start_link", loading.dataset.link);
    loading.append(" ", link);
  }
})().catch(() => {});
