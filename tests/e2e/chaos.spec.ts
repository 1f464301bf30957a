import { test, expect, type BrowserContext, type Page } from "./fixtures";
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { cpSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { collector } from "../../playwright.config";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

// Many people sending through a bad network to a failing server: at least 50
// submissions, typed through the UI, while a proxy in front of the receiving
// server fails most POSTs (500, 503, 429 with Retry-After, connection resets,
// requests held past the app's 20 s timeout, and submissions stored and then
// reported as failed), the browser goes offline and back, and pages are reloaded
// in the middle of sending. The app is driven only through its UI, and what
// arrived is read only from the database (the collector's export) and the
// proxy's counters, never from the browser's storage. It runs twice: with the
// answers in clear, and with end-to-end encryption on (issue 15: a key made by
// `collector keygen` in config.json, the answers read back with `export --key`).

const SUBMISSIONS = Number(process.env.CHAOS_SUBMISSIONS ?? 50);
const SEED = Number(process.env.CHAOS_SEED ?? Date.now() % 2 ** 31);
// 60% of POSTs fail by design (stalls are capped at 3 per run, each costing the
// outbox 20 s; once used up, their share goes to the other faults).
const RATES = { 500: 0.12, 503: 0.1, 429: 0.1, reset: 0.1, stall: 0.06, stored: 0.12 };
// Offline spells: these submissions are typed and sent with no network, and it
// comes back after the last of each spell.
const OFFLINE_FROM = [5, 18, 31, 42];
const OFFLINE_UNTIL = [7, 20, 33, 44];
const DRAIN_LIMIT_MS = 240_000;
// Backoff can grow to minutes; a person's phone regaining signal (the `online`
// event) makes queued submissions due at once. The wait nudges like that only
// when nothing new has arrived for this long.
const NUDGE_AFTER_MS = 10_000;

const PREFER = ["in_person", "remote", "mix", "my_choice"]; // #q-prefer, #q-prefer-2 … -4
const SPEED = ["faster", "same", "slower", "not_before", "not_sure"]; // #q-speed, #q-speed-2 … -5
/** The id of a choice: the first option has the question's own id, the others -2, -3 … */
const optionId = (question: string, i: number) => (i === 0 ? `#q-${question}` : `#q-${question}-${i + 1}`);
// Texts as people type them: other scripts, emoji, quotes, markup, a line break.
const FLAVOURS = ["Cymraeg: ŵŷ âêî", "عربي: شكرا لكم", "emoji 🙂👍🏽", `quotes "double" 'single' <b>&amp;</b>`, "two\nlines"];

type Expected = { keep: string; prefer: string; speed: string };


function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}


// This tests delivery, not layout: one screen size is enough, and it takes minutes.
// (Skipped here, before the collector and proxy start, for the other projects.)
const ONLY_PROJECT = "phone";

for (const encrypted of [false, true]) {
  const name = encrypted ? "encrypted" : "in-clear";
  const db = `target/e2e/chaos-${name}.sqlite`;
  const keyFile = `target/e2e/chaos-${name}.private`;
  let server: ChildProcess | undefined;
  let proxy: any;
  let origin = "";

  /** What the database holds, through the collector's export (opened with the key when encrypted). */
  function exportRows(): any[] {
    const key = encrypted ? ["--key", keyFile] : [];
    const out = execFileSync(collector, ["export", "--db", db, "--format", "jsonl", ...key], { encoding: "utf8", timeout: 30_000 });
    return out.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l));
  }

  test.describe(name, () => {
    test.beforeAll(async ({}, testInfo) => {
      test.skip(testInfo.project.name !== ONLY_PROJECT, "delivery, not layout: runs in the phone project only");
      test.setTimeout(60_000);
      mkdirSync("target/e2e", { recursive: true });
      for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
      let dist = "dist";
      if (encrypted) {
        // A deployment with a key: a copy of the app whose config.json names it.
        dist = `target/e2e/chaos-${name}-dist`;
        rmSync(dist, { recursive: true, force: true });
        cpSync("dist", dist, { recursive: true });
        rmSync(keyFile, { force: true });
        execFileSync(collector, ["keygen", "--out", keyFile], { encoding: "utf8", timeout: 30_000 });
        const key = JSON.parse(readFileSync(keyFile, "utf8"));
        const config = JSON.parse(readFileSync(`${dist}/config.json`, "utf8"));
        config.encryption = { public_key: key.public_key, key_id: key.key_id };
        writeFileSync(`${dist}/config.json`, JSON.stringify(config));
      }
      const port = await freePort();
      const log = openSync(`target/e2e/chaos-${name}-collector.log`, "w");
      server = spawn(collector, ["serve", "--db", db, "--static", dist, "--addr", `127.0.0.1:${port}`], {
        stdio: ["ignore", log, log],
      });
      closeSync(log);
      const upstream = `http://127.0.0.1:${port}`;
      await expect
        .poll(async () => (await fetch(`${upstream}/api/health`).catch(() => null))?.status, { timeout: 30_000 })
        .toBe(200);
      // Loaded by Node itself (plain ESM), not through Playwright's TypeScript loader.
      const { startFaultProxy } = await import(pathToFileURL(resolve("tests/faults/proxy.mjs")).href);
      proxy = await startFaultProxy({ upstream, rates: RATES, seed: SEED, maxStalls: 3, retryAfterS: 1 });
      origin = proxy.url;
    });

    test.afterAll(async () => {
      await proxy?.close();
      if (server && server.exitCode === null) {
        server.kill("SIGTERM");
        await new Promise((r) => { server!.once("exit", r); setTimeout(r, 5_000); });
      }
    });

    /** One person's answers, typed through the UI, then Send; returns what was typed. */
    async function answerAndSend(page: Page, i: number): Promise<Expected> {
      const expected: Expected = {
        keep: `chaos ${SEED}-${i}: ${FLAVOURS[i % FLAVOURS.length]}`,
        prefer: PREFER[i % PREFER.length],
        speed: SPEED[i % SPEED.length],
      };
      // Straight to the pages by address, with no "Start now" in between: after a
      // Send, a new set of answers must be taken however the person gets back.
      await page.goto(`${origin}/#/page/getting-help`);
      await page.locator(optionId("speed", SPEED.indexOf(expected.speed))).check();
      await page.goto(`${origin}/#/page/what-next`);
      await page.locator("#q-keep").fill(expected.keep);
      await page.locator(optionId("prefer", PREFER.indexOf(expected.prefer))).check();
      await page.goto(`${origin}/#/check`);
      await page.locator("#send").click();
      await expect(page.locator(".panel__title")).toBeFocused();
      return expected;
    }

    async function nudge(context: BrowserContext) {
      await context.setOffline(true);
      await new Promise((r) => setTimeout(r, 200));
      await context.setOffline(false);
    }

    test(`chaos ${name}: every submission arrives exactly once, unchanged, through failures, offline spells and reloads`, async ({ page, context, problems }) => {
      // The proxy fails about 60% of the posts in every way it can, and a reload cuts off
      // a send in flight; in the offline spells any request (the icon, too) fails.
      problems.expect(/api\/submissions/, "the proxy fails the posts, and reloads cut them off");
      problems.expect(/ERR_INTERNET_DISCONNECTED/, "the network is turned off now and then");
      test.setTimeout(10 * 60_000);
      const started = Date.now();

      const typed: Expected[] = [];
      let offlineSpells = 0;
      let reloads = 0;
      let offline = false;
      for (let i = 0; i < SUBMISSIONS; i++) {
        if (OFFLINE_FROM.includes(i)) {
          await context.setOffline(true);
          offline = true;
          offlineSpells++;
        }
        typed.push(await answerAndSend(page, i));
        if (offline && OFFLINE_UNTIL.includes(i)) {
          await context.setOffline(false);
          offline = false;
        }
        // Reloaded right after Send, while the outbox is sending (online only: offline
        // there is no page to reload).
        if (!offline && i % 6 === 2) {
          await page.reload();
          await expect(page.locator("#main-heading")).toBeVisible();
          reloads++;
        }
      }
      if (offline) await context.setOffline(false);
      const typedAt = Date.now();

      // Bounded wait until the database holds every submission.
      let nudges = 0;
      let rows = exportRows();
      let lastCount = rows.length;
      let lastProgress = Date.now();
      while (rows.length < SUBMISSIONS && Date.now() - typedAt < DRAIN_LIMIT_MS) {
        await page.waitForTimeout(1_000);
        rows = exportRows();
        if (rows.length > lastCount) {
          lastCount = rows.length;
          lastProgress = Date.now();
        } else if (Date.now() - lastProgress > NUDGE_AFTER_MS) {
          await nudge(context);
          nudges++;
          lastProgress = Date.now();
        }
      }
      const drainedAt = Date.now();
      // Nothing more arrives afterwards (late retries are recognised as repeats).
      await page.waitForTimeout(2_000);
      rows = exportRows();

      const c = proxy.counts;
      const ids = new Set(rows.map((r) => r.submission_id));
      const markers = new Set(rows.map((r) => r.answers?.keep));
      const pct = Math.round((100 * c.failed) / c.posts);
      const kinds = `500×${c.byKind["500"]} 503×${c.byKind["503"]} 429×${c.byKind["429"]} reset×${c.byKind.reset} stall×${c.byKind.stall} stored-then-failed×${c.byKind.stored}`;
      const byMarker = new Map(typed.map((t) => [t.keep, t]));
      const identical = rows.filter((r) => sameAnswers(r.answers, byMarker.get(r.answers?.keep))).length;
      if (encrypted) {
        // What the collector holds is sealed: no answer in clear, every row an envelope under the key.
        const held = execFileSync(collector, ["export", "--db", db, "--format", "jsonl"], { encoding: "utf8", timeout: 30_000 });
        expect(held).not.toContain("chaos ");
        expect(held.trim().split("\n").every((l) => JSON.parse(l).encrypted?.ciphertext)).toBe(true);
      }
      console.log(
        `chaos ${name}: ${SUBMISSIONS} submissions, ${c.posts} POSTs, ${c.failed} failed (${pct}%): ${kinds}; ` +
          `database: ${rows.length} rows, ${ids.size} distinct ids, ${markers.size} distinct markers, ` +
          `${identical === rows.length && rows.length === SUBMISSIONS ? "answers identical" : `${identical} with identical answers`}`,
      );
      console.log(
        `chaos ${name}: seed ${SEED}; ${offlineSpells} offline spells, ${reloads} reloads mid-send, ${nudges} nudges (offline→online) while waiting; ` +
          `typing ${((typedAt - started) / 1000).toFixed(0)} s, then all stored after ${((drainedAt - typedAt) / 1000).toFixed(0)} s more; ` +
          `${c.keys.size} distinct Idempotency-Keys, ${c.stallsEnded} stalls ended by the client, ` +
          `${c.clientGaveUp} forwarded POSTs cut off by the client, ${c.upstreamErrors} collector errors`,
      );

      // Enough chaos happened.
      expect(c.failed / c.posts, "share of POSTs that failed").toBeGreaterThanOrEqual(0.4);
      for (const k of ["500", "503", "429", "reset", "stall", "stored"]) expect(c.byKind[k], `${k} faults injected`).toBeGreaterThan(0);
      // Exactly those submissions, each once, with the answers as typed.
      expect(rows.length, "rows in the database").toBe(SUBMISSIONS);
      expect(ids.size, "distinct submission ids").toBe(SUBMISSIONS);
      expect(markers.size, "distinct markers").toBe(SUBMISSIONS);
      expect([...markers].sort()).toEqual(typed.map((t) => t.keep).sort());
      for (const r of rows) {
        const want = byMarker.get(r.answers.keep)!;
        expect(r.answers).toEqual({ keep: want.keep, prefer: want.prefer, speed: want.speed });
        expect(r.form_id).toBe("remote-support");
      }
      // Every attempt for a submission carried its own id, and no other id was ever sent.
      expect([...c.keys.keys()].sort()).toEqual([...ids].sort());
    });
  });
}

/** The stored answers are exactly the ones typed: these three, unchanged, and no others. */
function sameAnswers(got: any, want: Expected | undefined): boolean {
  if (!want || !got) return false;
  const keys = Object.keys(got).sort();
  return keys.join() === "keep,prefer,speed" && got.keep === want.keep && got.prefer === want.prefer && got.speed === want.speed;
}
