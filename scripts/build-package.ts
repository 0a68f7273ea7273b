/**
 * `bun run build` in one package (turbo runs it in dependency order): a clean `dist/` from `tsc -p tsconfig.build.json`
 * (ESM JavaScript, `.d.ts`, declaration maps), then relative `.ts` specifiers in the declarations become `.js` (tsc's
 * rewriteRelativeImportExtensions rewrites the JavaScript only), so Node16/NodeNext consumers resolve them.
 */
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const RELATIVE_TS = /((?:from|import)\s*\(?\s*["'])(\.{1,2}\/[^"']+?)\.ts(["'])/g;

export function rewriteDeclaration(text: string): string {
  return text.replace(RELATIVE_TS, (_all, head: string, path: string, tail: string) => `${head}${path}.js${tail}`);
}

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

if (import.meta.main) {
  const cwd = process.cwd();
  rmSync(join(cwd, "dist"), { recursive: true, force: true });
  const tsc = Bun.spawnSync(["tsc", "-p", "tsconfig.build.json"], { cwd, stdout: "inherit", stderr: "inherit" });
  if (tsc.exitCode !== 0) process.exit(tsc.exitCode ?? 1);
  for (const file of walk(join(cwd, "dist"))) {
    if (!file.endsWith(".d.ts")) continue;
    const text = readFileSync(file, "utf8");
    const next = rewriteDeclaration(text);
    if (next !== text) writeFileSync(file, next);
  }
}
