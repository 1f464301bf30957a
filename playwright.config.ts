import { defineConfig } from "@playwright/test";
import { execFileSync } from "node:child_process";

// The browser tests run against the real receiving server (target/debug/collector)
// serving the release build in dist/, on a fresh SQLite file each run, on a port
// the system says is free (kept in E2E_PORT, so Playwright's workers agree on it).
process.env.E2E_PORT ??= execFileSync(process.execPath, [
  "-e",
  "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
]).toString().trim();
const port = Number(process.env.E2E_PORT);
export const database = process.env.E2E_DB ?? "target/e2e/feedback.sqlite";
export const collector = "target/debug/collector";

// Debian's Chromium, as root, with nothing reaching out to the network.
const chromiumArgs = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

export default defineConfig({
  testDir: "tests/e2e",
  timeout: 90_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [["list"], ["json", { outputFile: "target/e2e/results.json" }]],
  outputDir: "target/e2e/output",
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    launchOptions: { executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: chromiumArgs },
    trace: "retain-on-failure",
    // Each test starts from a fresh browser profile and sees the network as it is;
    // the service worker has its own tests (offline.spec.ts), which allow it.
    serviceWorkers: "block",
  },
  projects: [
    { name: "phone", use: { viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 } },
    { name: "tablet", use: { viewport: { width: 768, height: 1024 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 } },
  ],
  webServer: {
    command: `rm -f ${database} ${database}-wal ${database}-shm && ${collector} serve --db ${database} --static dist --addr 127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: "pipe",
  },
});
