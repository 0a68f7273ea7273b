import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { nodeBinaries } from "../../../scripts/node-binaries.ts";
import { startPostgresServer } from "./test-support/postgres-server.ts";
import { runNodeSuite } from "./test-support/run-node-suite.ts";

// The contract suite under Node 22 and 24 from the same sources, against a private server started here.
const server = await startPostgresServer();
afterAll(() => server.stop());

for (const [name, node] of Object.entries(nodeBinaries())) {
  test(`PostgresConversationStore contract suite passes under ${name}`, () => {
    const suite = join(import.meta.dir, "test-support/node-postgres-suite.ts");
    const { output, exitCode } = runNodeSuite(node, suite, { ROOMKIT_TEST_POSTGRES_URL: server.url });
    expect(output).toContain("# fail 0");
    expect(output).toContain("# pass 28\n"); // 13 contract tests × 2 + 2 Node-specific
    expect(exitCode).toBe(0);
  }, 90_000);
}
