import { expect, test } from "bun:test";
import * as internal from "./internal.ts";
import * as root from "./index.ts";

// The package root is the stable API; wire-level helpers live behind "./internal" only.
test("wire helpers are exported from ./internal and not from the package root", () => {
  for (const name of ["buildSessionConfig", "parseServerEvent"]) {
    expect(typeof (internal as Record<string, unknown>)[name]).toBe("function");
    expect(name in root).toBe(false);
  }
  expect(Object.keys(root).some((name) => name in internal)).toBe(false);
});
