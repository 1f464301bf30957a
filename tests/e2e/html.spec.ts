import { test, expect } from "./fixtures";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { LANGUAGES, eachScreen } from "./helpers";
// The Nu Html Checker (the W3C validator), run here from its npm package.
const vnu: string = require("vnu-jar");

test("the Nu Html Checker finds no errors in any rendered screen, in every language", async ({ page }, info) => {
  const dir = info.outputPath("html");
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const lang of LANGUAGES) {
    await eachScreen(page, async (screen) => {
      const file = join(dir, `${screen.replace(/\W+/g, "-")}.html`);
      writeFileSync(file, await page.content());
      files.push(file);
    }, lang);
  }
  expect(files).toHaveLength(6 * LANGUAGES.length);
  const run = spawnSync("java", ["-jar", vnu, "--format", "json", "--exit-zero-always", ...files], { encoding: "utf8" });
  expect(run.error, "java runs").toBeUndefined();
  const messages: any[] = JSON.parse(run.stderr).messages;
  const errors = messages
    .filter((m) => m.type === "error")
    .map((m) => `${basename(m.url ?? "")}:${m.lastLine}: ${m.message}`);
  expect(errors).toEqual([]);
});
