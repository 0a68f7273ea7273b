import { expect, test } from "bun:test";
import { cellPasses, parseRows, type ReliabilityRow, renderReliabilityPage, SUITES } from "./reliability-table.ts";

const row = (overrides: Partial<ReliabilityRow> = {}): ReliabilityRow => ({
  transport: "webrtc",
  provider: "openai",
  fault: "store fails a write",
  framesSent: 110,
  framesReceived: 110,
  transcriptsStored: 3,
  duplicates: 0,
  toolResults: null,
  leftovers: 0,
  ...overrides,
});

test("a cell passes only with a row, nothing lost, duplicated or left, and its file passing", () => {
  const run = { transport: "webrtc", file: "f", exitCode: 0, durationMs: 1 };
  expect(cellPasses(row(), run)).toBe(true);
  expect(cellPasses(undefined, run)).toBe(false);
  expect(cellPasses(row({ framesReceived: 109 }), run)).toBe(false);
  expect(cellPasses(row({ duplicates: 1 }), run)).toBe(false);
  expect(cellPasses(row({ leftovers: 2 }), run)).toBe(false);
  expect(cellPasses(row(), { ...run, exitCode: 1 })).toBe(false);
});

test("the page has one line per expected cell; missing cells are failures; partial lines are skipped", () => {
  const rows = parseRows(
    `${JSON.stringify(row())}\n${JSON.stringify(row({ fault: "caller vanishes mid-response", framesReceived: 100 }))}\n{"trunc`,
  );
  expect(rows.length).toBe(2);
  const page = renderReliabilityPage(rows, [], "2026-01-01");
  const cells = SUITES.reduce((sum, suite) => sum + suite.cells.length, 0);
  expect(page).toContain(`**1 of ${cells} cells pass.**`);
  expect(page).toContain("| webrtc | openai | store fails a write | 110 | 110 | 0 | 3 | 0 | — | 0 | pass |");
  expect(page).toContain("| webrtc | openai | caller vanishes mid-response | 110 | 100 | 10 |");
  expect(page.match(/\*\*FAIL\*\* \(no row\)/g)?.length).toBe(cells - 2);
});
