import { expect, test } from "bun:test";
import { join } from "node:path";

// Builds, packs and installs every package in fresh projects (scripts/pack-install-test.ts): Node 22, Node 24 and Bun
// consumers with the OpenAI and Gemini fakes, tsc on the Quick Start (bundler, nodenext),
// each transport and scale-out package imported alone, provider-openai alone.
const ROOT = join(import.meta.dir, "..");

test("packed packages install and run in fresh projects under Node 22, Node 24 and Bun", () => {
  const build = Bun.spawnSync(["bun", "run", "build"], {
    cwd: ROOT,
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
  });
  expect(build.exitCode).toBe(0);
  const run = Bun.spawnSync(["bun", join(ROOT, "scripts/pack-install-test.ts")], {
    cwd: ROOT,
    stdout: "pipe",
    stderr: "pipe",
    timeout: 280_000,
  });
  const stdout = run.stdout.toString();
  const report = JSON.parse(stdout.slice(stdout.indexOf("{"))) as Record<string, unknown>;
  expect(report.failures).toEqual([]);
  for (const label of ["node22 openai", "node22 gemini", "node24 openai", "node24 gemini", "bun openai", "bun gemini"])
    expect(report[`${label}: consumer`]).toBe("ok");
  expect(report["tsc quick-start (nodenext)"]).toBe("ok");
  expect(report["openai alone: no @google/genai, no werift in the lockfile"]).toBe("ok");
  for (const runtime of ["node22", "node24", "bun"])
    expect(report[`${runtime} @roomkit/transport-sip: imports SIPRealtimeTransport`]).toBe("ok");
  expect(run.exitCode).toBe(0);
}, 300_000);
