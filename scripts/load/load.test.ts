// Smoke runs of the load runners and the soak, bounded (2 callers, 2 s; the soak 6 s): frames flow, nothing is left
// behind, the JSON has its shape. No timing is asserted (figures come from the runners themselves).
import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { leastSquaresSlope, loadFlags } from "./common.ts";

async function runJson(args: string[]): Promise<Record<string, any>> {
  const child = Bun.spawn([process.execPath, ...args], {
    cwd: join(import.meta.dir, "../.."),
    stdout: "pipe",
    stderr: "pipe",
  });
  const killer = setTimeout(() => child.kill(), 60_000);
  const text = await new Response(child.stdout).text();
  const code = await child.exited;
  clearTimeout(killer);
  expect(code).toBe(0);
  return JSON.parse(text.slice(text.indexOf("{")));
}

describe("load runners", () => {
  test("ws: 2 callers for 2 s get frames back through the channel, and the JSON counts them", async () => {
    const output = await runJson([join(import.meta.dir, "ws.ts"), "--sessions", "2", "--duration", "2"]);
    expect(output.sessionsRequested).toBe(2);
    expect(output.machine.loadAverageBefore).toHaveLength(3);
    const result = output.result;
    expect(result.sessionsHeld).toBe(2);
    expect(result.framesSent).toBe(200);
    expect(result.framesReceived).toBeGreaterThan(0);
    expect(result.framesLost).toBe(result.framesSent - result.framesReceived);
    expect(result.errors).toEqual([]);
    for (const key of ["serverCpuMicrosPerFrame", "serverCpuPercentOfOneCore", "rssPerSessionKiB"]) {
      expect(typeof result[key]).toBe("number");
    }
    expect(Object.keys(result.eventLoopLagMs)).toEqual(["p50", "p99", "max"]);
  }, 90_000);

  test("soak: calls come and go, samples are taken, and no session is left once the callers hang up", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "soak-smoke-")), "soak.json");
    const verdict = await runJson([
      join(import.meta.dir, "soak.ts"),
      "--minutes",
      "0.1",
      "--sessions",
      "2",
      "--sample-seconds",
      "2",
      "--out",
      out,
    ]);
    const output = JSON.parse(readFileSync(out, "utf8"));
    expect(verdict).toEqual(output.verdict);
    expect(output.samples.length).toBeGreaterThanOrEqual(3);
    const last = output.samples.at(-1);
    expect(last.sessionsStarted).toBeGreaterThanOrEqual(2);
    expect(last.callers.framesSent).toBeGreaterThan(0);
    expect(last.callers.framesReceived).toBeGreaterThan(0);
    expect(last.fileDescriptors.socket).toBeGreaterThan(0);
    expect(output.verdict.leftoverAfterCallersGone.channelSessions).toBe(0);
    expect(output.verdict.leftoverAfterCallersGone.transportSessions).toBe(0);
    expect(typeof output.verdict.pass).toBe("boolean");
  }, 90_000);
});

describe("helpers", () => {
  test("leastSquaresSlope fits a line and refuses fewer than 2 distinct points", () => {
    expect(leastSquaresSlope([0, 1, 2, 3], [1, 3, 5, 7])).toBeCloseTo(2, 10);
    expect(leastSquaresSlope([0, 1, 2], [4, 4, 4])).toBe(0);
    expect(leastSquaresSlope([1], [1])).toBeNull();
    expect(leastSquaresSlope([2, 2], [1, 5])).toBeNull();
  });

  test("loadFlags reads --sessions/--duration/--out and names a bad flag", () => {
    expect(loadFlags({ sessions: 5, durationS: 1 }, ["--sessions", "7", "--out", "x.json"])).toEqual({
      sessions: 7,
      durationS: 1,
      out: "x.json",
    });
    expect(() => loadFlags({ sessions: 5, durationS: 1 }, ["--duration", "-3"])).toThrow("--duration");
  });
});
