import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { nodeBinaries } from "../../../scripts/node-binaries.ts";
import { startPostgresServer } from "./test-support/postgres-server.ts";

// The contract suite under Node 22 and 24 from the same sources (--conditions=bun resolves workspace packages to
// their .ts sources; Node strips the types), against a private server started here.
const ROOT = join(import.meta.dir, "../../..");
const server = await startPostgresServer();
afterAll(() => server.stop());

for (const [name, node] of Object.entries(nodeBinaries())) {
  test(`PostgresConversationStore contract suite passes under ${name}`, () => {
    const run = Bun.spawnSync(
      [
        node,
        "--conditions=bun",
        "--disable-warning=ExperimentalWarning",
        "--import",
        join(ROOT, "scripts/node-test/register.mjs"),
        "--test-reporter=tap",
        join(import.meta.dir, "test-support/node-postgres-suite.ts"),
      ],
      {
        cwd: ROOT,
        stdout: "pipe",
        stderr: "pipe",
        timeout: 90_000,
        env: { ...process.env, ROOMKIT_TEST_POSTGRES_URL: server.url },
      },
    );
    const output = run.stdout.toString() + run.stderr.toString();
    expect(output).toContain("# fail 0");
    expect(output).toContain("# pass 28\n"); // 13 contract tests × 2 + 2 Node-specific
    expect(run.exitCode).toBe(0);
  }, 90_000);
}
