import { existsSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..");

/**
 * The Node.js binaries tests run things under (Node 22 and 24, from the npm registry's `node@<ver>` packages, cached
 * in .cache/ by scripts/setup-node.sh, which this runs when one is missing).
 */
export function nodeBinaries(): { node22: string; node24: string } {
  const paths = { node22: binary(22), node24: binary(24) };
  if (!existsSync(paths.node22) || !existsSync(paths.node24)) {
    const setup = Bun.spawnSync(["bash", join(ROOT, "scripts/setup-node.sh")], { stdout: "pipe", stderr: "inherit" });
    if (setup.exitCode !== 0) throw new Error("scripts/setup-node.sh failed");
  }
  return paths;
}

function binary(major: number): string {
  return join(ROOT, `.cache/node${major}/node_modules/node/bin/node`);
}
