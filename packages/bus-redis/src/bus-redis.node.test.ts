import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { nodeBinaries } from "../../../scripts/node-binaries.ts";
import { startRedisServer } from "./test-support/redis-server.ts";

// The bus and the cluster node under Node 22 and 24 from the same sources (--conditions=bun resolves workspace
// packages to their .ts sources; Node strips the types), against a private redis-server started here.
const ROOT = join(import.meta.dir, "../../..");
const redis = await startRedisServer();
afterAll(() => redis.stop());

for (const [name, node] of Object.entries(nodeBinaries())) {
  test(`bus-redis runs under ${name}`, () => {
    const run = Bun.spawnSync(
      [
        node,
        "--conditions=bun",
        "--disable-warning=ExperimentalWarning",
        "--import",
        join(ROOT, "scripts/node-test/register.mjs"),
        "--test-reporter=tap",
        join(import.meta.dir, "test-support/node-bus-suite.ts"),
      ],
      {
        cwd: ROOT,
        stdout: "pipe",
        stderr: "pipe",
        timeout: 60_000,
        env: { ...process.env, ROOMKIT_TEST_REDIS_URL: redis.url },
      },
    );
    const output = run.stdout.toString() + run.stderr.toString();
    expect(output).toContain("# fail 0");
    expect(output).toContain("# pass 2\n");
    expect(run.exitCode).toBe(0);
  }, 60_000);
}
