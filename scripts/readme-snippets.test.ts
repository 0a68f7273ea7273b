import { expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { checkMarkdown } from "../docs/scripts/check-snippets.ts";

const root = join(import.meta.dir, "..");

test("the README's TypeScript snippets are the type-checked files of docs/examples", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const result = checkMarkdown(readme, "README.md", (path) => {
    const file = join(root, "docs", path);
    return existsSync(file) ? readFileSync(file, "utf8") : undefined;
  });
  expect(result.problems).toEqual([]);
  expect(result.used).toContain("examples/quick-start.ts");
});
