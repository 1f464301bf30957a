// A collector of a spec's own, on a free loopback port, serving a copy of the built app (dist/) that the
// spec may edit first (its config.json, a form, a translation), with its own database. For specs that need
// a deployment other than the shared one (playwright.config.ts's), e.g. partners listed in config.json or
// hostile texts in every file.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { cpSync, mkdirSync, rmSync, openSync, closeSync } from "node:fs";
import { expect } from "@playwright/test";
import { collector } from "../../playwright.config";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

export type OwnCollector = {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** The copy of dist/ it serves. */
  dist: string;
  /** Every stored submission, through the collector's own export. */
  rows(): any[];
  /** The CSV export of the default form. */
  csv(): string;
  stop(): Promise<void>;
};

/**
 * Starts it, `name` naming its folder, database and log under target/e2e; `edit(dist)` runs on the copy first;
 * `args` are more of `collector serve`'s flags.
 */
export async function startOwnCollector(
  name: string,
  edit: (dist: string) => void,
  port?: number,
  args: string[] = [],
): Promise<OwnCollector> {
  mkdirSync("target/e2e", { recursive: true });
  const db = `target/e2e/${name}.sqlite`;
  const dist = `target/e2e/${name}-dist`;
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  rmSync(dist, { recursive: true, force: true });
  cpSync("dist", dist, { recursive: true });
  edit(dist);
  port ??= await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const log = openSync(`target/e2e/${name}-collector.log`, "w");
  const server: ChildProcess = spawn(collector, ["serve", "--db", db, "--static", dist, "--addr", `127.0.0.1:${port}`, ...args], {
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  await expect.poll(async () => (await fetch(`${origin}/api/health`).catch(() => null))?.status, { timeout: 30_000 }).toBe(200);
  const exported = (...args: string[]) => execFileSync(collector, ["export", "--db", db, ...args], { encoding: "utf8", timeout: 30_000 });
  return {
    origin,
    dist,
    rows: () =>
      exported("--format", "jsonl")
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l)),
    csv: () => exported("--format", "csv", "--form", "remote-support"),
    async stop() {
      if (server.exitCode !== null) return;
      server.kill("SIGTERM");
      await new Promise((r) => {
        server.once("exit", r);
        setTimeout(r, 5_000);
      });
    },
  };
}
