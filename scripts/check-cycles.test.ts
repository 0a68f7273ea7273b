import { expect, test } from "bun:test";
import { join } from "node:path";
import { findCycles, findImportCycles, importsOf } from "./check-cycles.ts";

test("findCycles reports a circle once and accepts a DAG", () => {
  const graph = new Map([
    ["a", ["b"]],
    ["b", ["c"]],
    ["c", ["a", "d"]],
    ["d", []],
  ]);
  expect(findCycles(graph)).toEqual([["a", "b", "c", "a"]]);
  expect(
    findCycles(
      new Map([
        ["a", ["b"]],
        ["b", ["c"]],
        ["c", []],
      ]),
    ),
  ).toEqual([]);
});

test("importsOf sees static, type-only, re-export and dynamic relative imports", () => {
  const file = join(import.meta.dir, "x.ts");
  const text = [
    'import { a } from "./check-cycles.ts";',
    'import type { B } from "./check-boundaries.ts";',
    'export { c } from "./check-cycles.test.ts";',
    'const d = await import("./readme-snippets.test.ts");',
    'import { e } from "@roomkit/spec";',
  ].join("\n");
  expect(importsOf(file, text).map((path) => path.slice(import.meta.dir.length + 1))).toEqual([
    "check-cycles.ts",
    "check-boundaries.ts",
    "check-cycles.test.ts",
    "readme-snippets.test.ts",
  ]);
});

test("no package has an import cycle, type-only imports included", () => {
  expect(findImportCycles(join(import.meta.dir, ".."))).toEqual([]);
});
