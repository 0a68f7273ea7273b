/**
 * Packs every published package the way a release does: each package's publishable files are staged in a temporary
 * workspace with the published manifest (scripts/package-exports.ts `publishManifest`: no `bun` source conditions),
 * then `bun pm pack` writes the tarball, rewriting `workspace:*` to the exact versions. The repo is never modified.
 *   bun scripts/pack.ts <out-dir>      (run `bun run build` first)
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { listPublishedPackages, publishManifest } from "./package-exports.ts";

export interface PackedPackage {
  name: string;
  version: string;
  tarball: string;
}

export function packAll(root: string, outDir: string): PackedPackage[] {
  mkdirSync(outDir, { recursive: true });
  const stage = mkdtempSync(join(tmpdir(), "roomkit-stage-"));
  try {
    writeFileSync(join(stage, "package.json"), JSON.stringify({ private: true, workspaces: ["packages/*"] }));
    const packages = listPublishedPackages(root);
    for (const { dir, pkg } of packages) {
      if (!existsSync(join(dir, "dist"))) throw new Error(`${pkg.name}: no dist/ (run bun run build)`);
      const target = join(stage, "packages", basename(dir));
      mkdirSync(target, { recursive: true });
      for (const entry of ["dist", "src", "README.md", "LICENSE"]) {
        if (existsSync(join(dir, entry))) cpSync(join(dir, entry), join(target, entry), { recursive: true });
      }
      writeFileSync(join(target, "package.json"), `${JSON.stringify(publishManifest(pkg), null, 2)}\n`);
    }
    return packages.map(({ dir, pkg }) => {
      const run = Bun.spawnSync(
        ["bun", "pm", "pack", "--quiet", "--ignore-scripts", "--destination", resolve(outDir)],
        {
          cwd: join(stage, "packages", basename(dir)),
          stdout: "pipe",
          stderr: "pipe",
        },
      );
      if (run.exitCode !== 0) throw new Error(`bun pm pack ${pkg.name}: ${run.stderr.toString()}`);
      const file = run.stdout.toString().trim().split("\n").pop()!.trim();
      return { name: pkg.name, version: pkg.version, tarball: join(resolve(outDir), basename(file)) };
    });
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const out = process.argv[2] ?? "pack";
  for (const packed of packAll(join(import.meta.dir, ".."), out)) console.log(packed.tarball);
}

export function readManifestFromTarball(tarball: string): Record<string, unknown> {
  const run = Bun.spawnSync(["tar", "xzf", tarball, "-O", "package/package.json"], { stdout: "pipe" });
  return JSON.parse(run.stdout.toString());
}

export function listTarball(tarball: string): string[] {
  return Bun.spawnSync(["tar", "tzf", tarball], { stdout: "pipe" }).stdout.toString().trim().split("\n");
}
