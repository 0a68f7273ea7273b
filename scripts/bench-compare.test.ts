import { expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compareFigures, flattenFigures, formatComparison, runDirectories } from "./bench-compare.ts";

test("flattenFigures keeps finite numbers by dotted path and skips the rest", () => {
  const figures = flattenFigures({ a: { b: 2, s: "x", ok: true }, list: [1, { c: 3 }], bad: Number.NaN, n: null });
  expect([...figures]).toEqual([
    ["a.b", 2],
    ["list[0]", 1],
    ["list[1].c", 3],
  ]);
});

test("compareFigures pairs figures present in both runs, with current / baseline ratios", () => {
  const rows = compareFigures({ speed: { x: 1000 }, gone: 5, zero: 0 }, { speed: { x: 3000 }, added: 7, zero: 4 });
  expect(rows).toEqual([
    { path: "speed.x", baseline: 1000, current: 3000, ratio: 3 },
    { path: "zero", baseline: 0, current: 4, ratio: null },
  ]);
  expect(compareFigures({ a: 1, b: 2 }, { a: 2, b: 4 }, "b")).toEqual([
    { path: "b", baseline: 2, current: 4, ratio: 2 },
  ]);
  const text = formatComparison("audio", rows);
  expect(text).toContain("3.000x");
  expect(text).toContain("n/a");
});

test("runDirectories lists dated run folders oldest first, ignoring other entries", () => {
  const root = mkdtempSync(join(tmpdir(), "bench-runs-"));
  for (const name of ["2026-12-06", "2026-11-25", "notes"]) mkdirSync(join(root, name));
  writeFileSync(join(root, "README.md"), "x");
  expect(runDirectories(root)).toEqual(["2026-11-25", "2026-12-06"]);
});

test("latestRunWith picks the newest run holding the package, skipping the excluded one", async () => {
  const { latestRunWith } = await import("./bench-compare.ts");
  const root = mkdtempSync(join(tmpdir(), "bench-runs-"));
  for (const [name, files] of [
    ["2026-11-25", ["audio.json", "core.json"]],
    ["2026-12-06", ["audio.json"]],
  ] as const) {
    mkdirSync(join(root, name));
    for (const file of files) writeFileSync(join(root, name, file), "{}");
  }
  expect(latestRunWith("audio", undefined, root)).toBe("2026-12-06");
  expect(latestRunWith("audio", "2026-12-06", root)).toBe("2026-11-25");
  expect(latestRunWith("core", undefined, root)).toBe("2026-11-25");
  expect(latestRunWith("transport-ws", undefined, root)).toBeUndefined();
});
