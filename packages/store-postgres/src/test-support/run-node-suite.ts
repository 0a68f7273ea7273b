// Runs a bun:test-style suite file under a Node binary (scripts/node-test/register.mjs maps bun:test onto node:test;
// --conditions=bun resolves workspace packages to their .ts sources, which Node type-strips) and returns its TAP
// output with the exit code. Used by this package's and bus-redis's *.node.test.ts.
import { join } from "node:path";

const ROOT = join(import.meta.dir, "../../../..");

export function runNodeSuite(
  node: string,
  suite: string,
  env: Record<string, string>,
): { output: string; exitCode: number | null } {
  const run = Bun.spawnSync(
    [
      node,
      "--conditions=bun",
      "--disable-warning=ExperimentalWarning",
      "--import",
      join(ROOT, "scripts/node-test/register.mjs"),
      "--test-reporter=tap",
      suite,
    ],
    { cwd: ROOT, stdout: "pipe", stderr: "pipe", timeout: 90_000, env: { ...process.env, ...env } },
  );
  return { output: run.stdout.toString() + run.stderr.toString(), exitCode: run.exitCode };
}
