import { expect, test } from "bun:test";
import { join } from "node:path";
import { nodeBinaries } from "../../../../scripts/node-binaries.ts";

// The SQLite store's contract suite under Node 22 and 24 (node:sqlite), from the same sources (--conditions=bun makes
// @roomkit/spec resolve to its .ts sources; Node strips the types). Under Bun it runs in sqlite-store.test.ts.
const ROOT = join(import.meta.dir, "../../../..");

for (const [name, node] of Object.entries(nodeBinaries())) {
  test(`SqliteConversationStore contract suite passes under ${name} on node:sqlite`, () => {
    const run = Bun.spawnSync(
      [
        node,
        "--conditions=bun",
        "--disable-warning=ExperimentalWarning",
        "--import",
        join(ROOT, "scripts/node-test/register.mjs"),
        "--test-reporter=tap",
        join(import.meta.dir, "test-support/node-sqlite-suite.ts"),
      ],
      { cwd: ROOT, stdout: "pipe", stderr: "pipe", timeout: 60_000 },
    );
    const output = run.stdout.toString() + run.stderr.toString();
    expect(output).toContain("# fail 0");
    expect(output).toMatch(/# pass (2[4-9]|[3-9]\d)\n/); // 11 contract tests × 2 stores + 2 Node-specific
    expect(run.exitCode).toBe(0);
  }, 60_000);
}
