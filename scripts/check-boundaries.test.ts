import { expect, test } from "bun:test";
import { join } from "node:path";
import { findBoundaryViolations } from "./check-boundaries.ts";

test("packages respect the dependency direction of design.md (providers/transports never import core or each other)", () => {
  expect(findBoundaryViolations(join(import.meta.dir, ".."))).toEqual([]);
});
