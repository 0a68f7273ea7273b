/**
 * One source of truth for every published package's entry points: the `bun` condition of each `exports` subpath
 * (a `./src/….ts` file). Everything else — the `types`/`import` conditions into `dist/`, `files`, the `build` script
 * and `tsconfig.build.json` — is derived from it.
 *
 *   bun scripts/package-exports.ts           check every package; exit 1 and list the problems
 *   bun scripts/package-exports.ts --fix     rewrite package.json / tsconfig.build.json to the derived shape
 *
 * Adding a subpath: add `"./internal": "./src/internal/index.ts"` (a plain string is fine) and run `--fix`.
 * Adding a package: create packages/<name>/package.json with `exports` and run `--fix`.
 * A package with `"private": true` is not published and is left alone.
 *
 * At pack time (scripts/pack.ts) `publishManifest` drops the `bun` conditions, so Bun users of the published
 * package run the same built `dist/` as Node users.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export type ConditionalTarget = { bun?: string; node?: string; types?: string; import?: string; default?: string };
export type ExportsField = Record<string, string | ConditionalTarget>;

export interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  exports?: ExportsField;
  files?: string[];
  scripts?: Record<string, string>;
  [key: string]: unknown;
}

/** Source files that are never built nor shipped (tests and their helpers). */
export const TEST_ONLY_GLOBS = [
  "src/**/*.test.ts",
  "src/**/*.live.test.ts",
  "src/**/test-support/**",
  "src/**/*test-harness.ts",
  "src/**/raw-test-client.ts",
  "src/**/*-contract.ts",
  "src/**/test-fixtures.ts",
  "src/testing/**",
];

export const FILES = ["dist", "src", ...TEST_ONLY_GLOBS.map((glob) => `!${glob}`), "README.md", "LICENSE"];
export const BUILD_SCRIPT = "bun ../../scripts/build-package.ts";

/** tsc builds the entry points and what they import, nothing else: tests and test helpers are never reached. */
export function buildTsconfig(exports: ExportsField): Record<string, unknown> {
  const entries = [
    ...new Set(
      Object.values(exports)
        .map(sourceOf)
        .filter((s): s is string => !!s),
    ),
  ];
  return {
    extends: "../../tsconfig.build.base.json",
    compilerOptions: { rootDir: "src", outDir: "dist" },
    files: entries,
  };
}

/** `./src/a/b.ts` → `./dist/a/b` (no extension). */
export function distStem(source: string): string {
  const match = /^\.\/src\/(.+)\.ts$/.exec(source);
  if (!match) throw new Error(`source entry ${source} must be ./src/<path>.ts`);
  return `./dist/${match[1]}`;
}

/** The source file of a subpath: a plain string, or its `bun` condition. */
export function sourceOf(target: string | ConditionalTarget): string | undefined {
  if (typeof target === "string") return target.startsWith("./src/") ? target : undefined;
  return target.bun;
}

/** The workspace shape of one subpath: Bun (and tsc with customConditions ["bun"]) read the sources. */
export function deriveTarget(target: string | ConditionalTarget): string | ConditionalTarget {
  const source = sourceOf(target);
  if (!source) return target; // ./package.json and other non-source entries stay as they are
  const stem = distStem(source);
  const derived: ConditionalTarget = { bun: source, types: `${stem}.d.ts` };
  // An optional `node` entry (a file under ./src) replaces the entry under Node, e.g. a clear "needs Bun" error.
  if (typeof target !== "string" && target.node) derived.node = `${distStem(sourceToTs(target.node))}.js`;
  derived.import = `${stem}.js`;
  return derived;
}

function sourceToTs(path: string): string {
  if (path.startsWith("./src/")) return path;
  const match = /^\.\/dist\/(.+)\.js$/.exec(path);
  if (!match) throw new Error(`node entry ${path} must be ./src/<path>.ts or ./dist/<path>.js`);
  return `./src/${match[1]}.ts`;
}

export function deriveExports(exports: ExportsField): ExportsField {
  const out: ExportsField = {};
  for (const [subpath, target] of Object.entries(exports)) out[subpath] = deriveTarget(target);
  if (!out["./package.json"]) out["./package.json"] = "./package.json";
  return out;
}

/** The manifest as published: no `bun` (source) conditions, no scripts, no devDependencies. */
export function publishManifest(pkg: PackageJson): PackageJson {
  const { scripts: _scripts, devDependencies: _dev, ...rest } = pkg;
  const exports: ExportsField = {};
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    if (typeof target === "string") exports[subpath] = target;
    else {
      const { bun: _bun, ...conditions } = target;
      exports[subpath] = conditions;
    }
  }
  return { ...rest, exports };
}

export interface PackageInfo {
  dir: string;
  pkg: PackageJson;
}

export function listPublishedPackages(root: string): PackageInfo[] {
  const packagesDir = join(root, "packages");
  return readdirSync(packagesDir)
    .filter((name) => existsSync(join(packagesDir, name, "package.json")))
    .map((name) => {
      const dir = join(packagesDir, name);
      return { dir, pkg: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageJson };
    })
    .filter(({ pkg }) => !pkg.private)
    .sort((a, b) => a.pkg.name.localeCompare(b.pkg.name));
}

export function findProblems(root: string): string[] {
  const problems: string[] = [];
  for (const { dir, pkg } of listPublishedPackages(root)) {
    const where = pkg.name;
    if (!pkg.exports) {
      problems.push(`${where}: no "exports"`);
      continue;
    }
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      const source = sourceOf(target);
      if (subpath !== "./package.json" && !source)
        problems.push(`${where} ${subpath}: no ./src source (bun condition)`);
      if (source && !existsSync(join(dir, source))) problems.push(`${where} ${subpath}: ${source} does not exist`);
      if (source && TEST_ONLY_GLOBS.some((glob) => new Bun.Glob(glob).match(source.slice(2))))
        problems.push(`${where} ${subpath}: ${source} is test-only and is never built`);
    }
    if (JSON.stringify(deriveExports(pkg.exports)) !== JSON.stringify(pkg.exports))
      problems.push(`${where}: "exports" differs from the derived shape`);
    if (JSON.stringify(pkg.files) !== JSON.stringify(FILES)) problems.push(`${where}: "files" differs from ${FILES}`);
    if (pkg.scripts?.build !== BUILD_SCRIPT) problems.push(`${where}: scripts.build is not "${BUILD_SCRIPT}"`);
    if (pkg.type !== "module") problems.push(`${where}: "type" is not "module"`);
    if (pkg.license !== "MIT") problems.push(`${where}: "license" is not MIT`);
    const tsconfigPath = join(dir, "tsconfig.build.json");
    if (
      !existsSync(tsconfigPath) ||
      readFileSync(tsconfigPath, "utf8") !== `${JSON.stringify(buildTsconfig(pkg.exports), null, 2)}\n`
    )
      problems.push(`${where}: tsconfig.build.json differs from the derived one`);
    if (!existsSync(join(dir, "README.md"))) problems.push(`${where}: no README.md`);
    if (!existsSync(join(dir, "LICENSE"))) problems.push(`${where}: no LICENSE`);
  }
  return problems;
}

export function fix(root: string): string[] {
  const changed: string[] = [];
  const license = readFileSync(join(root, "LICENSE"), "utf8");
  for (const { dir, pkg } of listPublishedPackages(root)) {
    const next: PackageJson = { ...pkg, exports: deriveExports(pkg.exports ?? {}), files: FILES };
    next.scripts = { build: BUILD_SCRIPT, ...pkg.scripts, ...{ build: BUILD_SCRIPT } };
    const text = `${JSON.stringify(next, null, 2)}\n`;
    if (text !== readFileSync(join(dir, "package.json"), "utf8")) {
      writeFileSync(join(dir, "package.json"), text);
      changed.push(join(dir, "package.json"));
    }
    const tsconfigText = `${JSON.stringify(buildTsconfig(next.exports ?? {}), null, 2)}\n`;
    const tsconfigPath = join(dir, "tsconfig.build.json");
    if (!existsSync(tsconfigPath) || readFileSync(tsconfigPath, "utf8") !== tsconfigText) {
      writeFileSync(tsconfigPath, tsconfigText);
      changed.push(tsconfigPath);
    }
    if (!existsSync(join(dir, "LICENSE"))) {
      writeFileSync(join(dir, "LICENSE"), license);
      changed.push(join(dir, "LICENSE"));
    }
  }
  return changed;
}

if (import.meta.main) {
  const root = join(import.meta.dir, "..");
  if (process.argv.includes("--fix")) {
    for (const path of fix(root)) console.log(`wrote ${path}`);
  }
  const problems = findProblems(root);
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) {
    console.error("run: bun scripts/package-exports.ts --fix");
    process.exit(1);
  }
  console.log("package exports: ok");
}
