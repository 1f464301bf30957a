#!/usr/bin/env node
// A fault-injection HTTP proxy in front of the receiving server (collector).
//
// Everything but `POST /api/submissions` (the app's static files, the health
// check) is forwarded untouched. Each POST to /api/submissions is, at the rates
// given, answered in one of these ways instead of simply being forwarded:
//
//   500      answers 500, without asking the collector
//   503      answers 503, without asking the collector
//   429      answers 429 with `Retry-After: <retryAfterS>`
//   reset    resets the connection without answering (TCP RST)
//   stall    holds the request and never answers, until the client gives up
//            (at most `maxStalls` per run, so a test stays bounded)
//   stored   store-then-fail: forwards to the collector, and after its 2xx answers
//            500 (or resets, see `storedFail`), so the client believes it failed
//   forward  (the rest) forwards normally
//
// From a test:
//   import { startFaultProxy } from "../faults/proxy.mjs";
//   const proxy = await startFaultProxy({ upstream: "http://127.0.0.1:8080",
//     rates: { 500: 0.1, 503: 0.1, 429: 0.1, reset: 0.1, stall: 0.05, stored: 0.1 }, seed: 42 });
//   ... proxy.url, proxy.counts, proxy.summary(), proxy.setRates({...}) ...
//   await proxy.close();
//
// From the command line (prints the counts every 10 s and on Ctrl-C):
//   node tests/faults/proxy.mjs --upstream http://127.0.0.1:8080 --port 8081 \
//     --rates 500=0.1,503=0.1,429=0.1,reset=0.1,stall=0.05,stored=0.1 --seed 42 --max-stalls 3

import http from "node:http";
import { fileURLToPath } from "node:url";

/** The kinds of fault, in the order rates are drawn. */
export const FAULTS = ["500", "503", "429", "reset", "stall", "stored"];
const SUBMISSIONS = "/api/submissions";
/** Cards in one deck of faults (see `draw`): a rate of 0.02 is one card. */
const DECK = 50;
// Hop-by-hop headers are the proxy's own business on each side.
const HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"]);

/** A small seeded random number generator (mulberry32): the same seed, the same draws. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkRates(rates) {
  const out = {};
  for (const [k, v] of Object.entries(rates ?? {})) {
    if (!FAULTS.includes(k)) throw new Error(`unknown fault kind ${k} (known: ${FAULTS.join(", ")})`);
    if (!(v >= 0 && v <= 1)) throw new Error(`rate for ${k} must be between 0 and 1, not ${v}`);
    out[k] = v;
  }
  const sum = Object.values(out).reduce((a, b) => a + b, 0);
  if (sum > 1 + 1e-9) throw new Error(`fault rates add up to ${sum}, more than 1`);
  return out;
}

/** Parses `500=0.1,reset=0.05`. */
export function parseRates(text) {
  return checkRates(Object.fromEntries(text.split(",").filter(Boolean).map((p) => {
    const [k, v] = p.split("=");
    return [k.trim(), Number(v)];
  })));
}

/**
 * Starts the proxy. Options:
 * - upstream: the collector's origin, e.g. "http://127.0.0.1:8080" (required)
 * - rates: { "500", "503", "429", reset, stall, stored }: share of POSTs for each (sum ≤ 1),
 *   dealt from shuffled decks of 50, so every 50 POSTs hold each kind at its rate
 * - seed: a number for repeatable draws (default: Math.random)
 * - maxStalls: the most requests held unanswered in one run (default 3); once
 *   used up, a "stall" card becomes another fault, chosen in proportion
 * - retryAfterS: the Retry-After of a 429, in seconds (default 1)
 * - storedFail: "500" | "reset" | "mix": how a stored submission is made to look failed (default "mix")
 * - port, host: where to listen (default a free port on 127.0.0.1)
 * - log: a function given one line per POST (default none)
 * Returns { url, port, counts, setRates, summary, close }.
 */
export async function startFaultProxy(options) {
  const upstream = new URL(options.upstream);
  let rates = checkRates(options.rates);
  const random = options.seed === undefined ? Math.random : seededRandom(options.seed);
  const maxStalls = options.maxStalls ?? 3;
  const retryAfterS = options.retryAfterS ?? 1;
  const storedFail = options.storedFail ?? "mix";
  const log = options.log ?? (() => {});
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

  const counts = {
    requests: 0, // everything the proxy received
    passedThrough: 0, // everything but POST /api/submissions, forwarded untouched
    posts: 0, // POST /api/submissions
    failed: 0, // POSTs whose sender did not get a 2xx
    succeeded: 0, // POSTs answered with the collector's 2xx
    byKind: Object.fromEntries(["forward", ...FAULTS].map((k) => [k, 0])),
    upstreamStatus: {}, // the collector's answers to forwarded POSTs (forward and stored), by status
    stallsEnded: 0, // stalled requests the client gave up on
    clientGaveUp: 0, // forwarded POSTs whose client went away before the answer
    upstreamErrors: 0, // the collector could not be reached (answered 502)
    keys: new Map(), // Idempotency-Key → POSTs carrying it
  };
  const held = new Set(); // stalled sockets, destroyed on close

  // Faults are dealt from a shuffled deck, not drawn one by one: each deck of DECK
  // cards holds each kind at its rate (rounded), the rest "forward". So the share of
  // failures in any run is its rate within one deck's worth, whatever the seed (an
  // independent draw per POST once failed 37% of a run that asked for 60%, seed
  // 241856617, and the test that wants enough chaos failed with it).
  let deck = [];
  const deal = () => {
    const cards = [];
    for (const [k, v] of Object.entries(rates)) for (let i = 0; i < Math.round(v * DECK); i++) cards.push(k);
    while (cards.length < DECK) cards.push("forward");
    for (let i = cards.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [cards[i], cards[j]] = [cards[j], cards[i]];
    }
    return cards;
  };
  const draw = () => {
    if (deck.length === 0) deck = deal();
    const kind = deck.pop();
    if (kind !== "stall" || counts.byKind.stall < maxStalls) return kind;
    // Stalls used up: another fault in its place, chosen in proportion, so the failure share holds.
    const others = Object.entries(rates).filter(([k, v]) => k !== "stall" && v > 0);
    const total = others.reduce((a, [, v]) => a + v, 0);
    let r = random() * total;
    for (const [k, v] of others) if ((r -= v) < 0) return k;
    return others.length ? others[others.length - 1][0] : "forward";
  };

  const forwardHeaders = (req, body) => {
    const headers = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP.has(k)) headers[k] = v;
    if (body !== undefined) headers["content-length"] = String(body.length);
    return headers;
  };

  /** Sends the request upstream; resolves with { status, headers, body } or rejects. */
  const toUpstream = (req, body) =>
    new Promise((resolve, reject) => {
      const up = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: forwardHeaders(req, body), agent },
        (res) => {
          const chunks = [];
          res.on("data", (c) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on("error", reject);
        },
      );
      up.on("error", reject);
      up.end(body);
    });

  const reply = (res, status, headers, body) => {
    if (res.destroyed || res.writableEnded) return;
    const h = {};
    for (const [k, v] of Object.entries(headers)) if (!HOP.has(k)) h[k] = v;
    h["content-length"] = String(body.length);
    res.writeHead(status, h);
    res.end(body);
  };
  const json = (res, status, error, extra = {}) =>
    reply(res, status, { "content-type": "application/json", "cache-control": "no-store", ...extra }, Buffer.from(JSON.stringify({ error })));
  const reset = (req) => {
    if (typeof req.socket.resetAndDestroy === "function") req.socket.resetAndDestroy();
    else req.socket.destroy();
  };

  /** Anything but a POST of a submission: streamed through as it is. */
  const passThrough = (req, res) => {
    counts.passedThrough++;
    const up = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: forwardHeaders(req), agent },
      (upRes) => {
        const h = {};
        for (const [k, v] of Object.entries(upRes.headers)) if (!HOP.has(k)) h[k] = v;
        res.writeHead(upRes.statusCode, h);
        upRes.pipe(res);
      },
    );
    up.on("error", () => {
      if (!res.headersSent) json(res, 502, "The collector could not be reached.");
      else res.destroy();
    });
    req.pipe(up);
  };

  const handlePost = async (req, res) => {
    counts.posts++;
    const key = String(req.headers["idempotency-key"] ?? "");
    counts.keys.set(key, (counts.keys.get(key) ?? 0) + 1);
    const kind = draw();
    counts.byKind[kind]++;
    log(`POST ${key} → ${kind}`);
    const failed = () => counts.failed++;

    if (kind === "stall") {
      // Never answered: the request is held until the client aborts (its own timeout,
      // going offline, a reload) or the proxy closes.
      failed();
      held.add(req.socket);
      req.resume();
      req.socket.on("close", () => {
        held.delete(req.socket);
        counts.stallsEnded++;
      });
      return;
    }

    // The whole body first, as a server would read it before failing.
    let body;
    try {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      body = Buffer.concat(chunks);
    } catch {
      failed(); // the client went away while sending
      return;
    }

    switch (kind) {
      case "500":
        failed();
        return json(res, 500, "Injected fault: internal server error.");
      case "503":
        failed();
        return json(res, 503, "Injected fault: service unavailable.");
      case "429":
        failed();
        return json(res, 429, "Injected fault: too many requests.", { "retry-after": String(retryAfterS) });
      case "reset":
        failed();
        return reset(req);
    }

    // forward, or stored: the collector gets it.
    let answer;
    try {
      answer = await toUpstream(req, body);
    } catch {
      counts.upstreamErrors++;
      failed();
      return json(res, 502, "The collector could not be reached.");
    }
    counts.upstreamStatus[answer.status] = (counts.upstreamStatus[answer.status] ?? 0) + 1;
    const ok = answer.status >= 200 && answer.status < 300;
    if (kind === "stored" && ok) {
      failed();
      const how = storedFail === "mix" ? (random() < 0.5 ? "500" : "reset") : storedFail;
      if (how === "reset") return reset(req);
      return json(res, 500, "Injected fault: stored, then failed.");
    }
    if (req.socket.destroyed) counts.clientGaveUp++;
    if (ok && !req.socket.destroyed) counts.succeeded++;
    else failed();
    reply(res, answer.status, answer.headers, answer.body);
  };

  const server = http.createServer((req, res) => {
    counts.requests++;
    const path = req.url.split("?")[0];
    if (req.method === "POST" && path === SUBMISSIONS) {
      handlePost(req, res).catch(() => res.destroy());
    } else {
      passThrough(req, res);
    }
  });
  server.keepAliveTimeout = 5_000;
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const { port, address } = server.address();

  const summary = () => {
    const pct = counts.posts ? Math.round((100 * counts.failed) / counts.posts) : 0;
    const kinds = [["500", "500"], ["503", "503"], ["429", "429"], ["reset", "reset"], ["stall", "stall"], ["stored", "stored-then-failed"]]
      .map(([k, name]) => `${name}×${counts.byKind[k]}`)
      .join(" ");
    return `${counts.posts} POSTs, ${counts.failed} failed (${pct}%): ${kinds}, forwarded×${counts.byKind.forward}`;
  };

  return {
    url: `http://${address}:${port}`,
    port,
    counts,
    summary,
    /** Changes the rates from now on (e.g. to 0 to let everything through). */
    setRates(next) {
      rates = checkRates(next);
      deck = []; // the next POST is dealt from a deck at the new rates
    },
    /** Stops listening and drops every connection, held ones included. */
    async close() {
      for (const s of held) s.destroy();
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

// Run from the command line. (Not top-level await: tests load this file with require().)
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    console.error(`fault proxy: ${e.message}`);
    process.exit(1);
  });
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : fallback;
  };
  if (args.includes("--help") || !opt("upstream")) {
    console.log(
      "usage: node tests/faults/proxy.mjs --upstream http://127.0.0.1:8080 [--port 8081] [--host 127.0.0.1]\n" +
        "         [--rates 500=0.1,503=0.1,429=0.1,reset=0.1,stall=0.05,stored=0.1] [--seed N]\n" +
        "         [--max-stalls 3] [--retry-after 1] [--stored-fail 500|reset|mix] [--verbose]",
    );
    process.exit(opt("upstream") ? 0 : 2);
  }
  const proxy = await startFaultProxy({
    upstream: opt("upstream"),
    port: Number(opt("port", 0)),
    host: opt("host", "127.0.0.1"),
    rates: parseRates(opt("rates", "500=0.1,503=0.1,429=0.1,reset=0.1,stall=0.05,stored=0.1")),
    seed: opt("seed") === undefined ? undefined : Number(opt("seed")),
    maxStalls: Number(opt("max-stalls", 3)),
    retryAfterS: Number(opt("retry-after", 1)),
    storedFail: opt("stored-fail", "mix"),
    log: args.includes("--verbose") ? (l) => console.log(l) : undefined,
  });
  console.log(`fault proxy: ${proxy.url} → ${opt("upstream")}`);
  const timer = setInterval(() => console.log(`fault proxy: ${proxy.summary()}`), 10_000);
  const stop = async () => {
    clearInterval(timer);
    console.log(`fault proxy: ${proxy.summary()}`);
    await proxy.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
