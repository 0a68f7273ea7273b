import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { nodeBinaries } from "../../../scripts/node-binaries.ts";
import { runNodeSuite } from "../../store-postgres/src/test-support/run-node-suite.ts";
import { startRedisServer } from "./test-support/redis-server.ts";

// The bus and the cluster node under Node 22 and 24 from the same sources, against a private redis-server.
const redis = await startRedisServer();
afterAll(() => redis.stop());

for (const [name, node] of Object.entries(nodeBinaries())) {
  test(`bus-redis runs under ${name}`, () => {
    const suite = join(import.meta.dir, "test-support/node-bus-suite.ts");
    const { output, exitCode } = runNodeSuite(node, suite, { ROOMKIT_TEST_REDIS_URL: redis.url });
    expect(output).toContain("# fail 0");
    expect(output).toContain("# pass 2\n");
    expect(exitCode).toBe(0);
  }, 90_000);
}
