// `bun run bench:compare [package ...] [--current <dir|file.json>] [--baseline <dir>] [--filter <text>]`
// Prints every numeric figure of a benchmark run next to the package's last committed run (the newest
// docs/benchmarks/<date>/<package>.json) and their ratio (current / baseline; whether higher is better depends on the
// figure: x real time up, µs per frame down). Without --current it runs `bun run bench` in each package that has a
// committed run (or those named), one at a time; with --current it reads a run directory (or one package's JSON file)
// instead, and the baseline is the newest other run of each package.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";

const ROOT = join(import.meta.dir, "..");
export const RUNS = join(ROOT, "docs/benchmarks");

/** Numeric leaves of a JSON value, keyed by their dotted path (array items by index). */
export function flattenFigures(value: unknown, prefix = "", into = new Map<string, number>()): Map<string, number> {
  if (typeof value === "number" && Number.isFinite(value)) into.set(prefix, value);
  else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) flattenFigures(item, `${prefix}[${index}]`, into);
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) flattenFigures(item, prefix ? `${prefix}.${key}` : key, into);
  }
  return into;
}

export interface FigureComparison {
  path: string;
  baseline: number;
  current: number;
  /** current / baseline; null when the baseline is 0. */
  ratio: number | null;
}

/** Figures present in both runs, in the current run's order; `filter` keeps paths containing it. */
export function compareFigures(baseline: unknown, current: unknown, filter = ""): FigureComparison[] {
  const before = flattenFigures(baseline);
  const rows: FigureComparison[] = [];
  for (const [path, value] of flattenFigures(current)) {
    const old = before.get(path);
    if (old === undefined || !path.includes(filter)) continue;
    rows.push({ path, baseline: old, current: value, ratio: old === 0 ? null : value / old });
  }
  return rows;
}

/** Committed run directories (named by date), oldest first. */
export function runDirectories(root = RUNS): string[] {
  return readdirSync(root)
    .filter((name) => /^\d{4}-\d{2}-\d{2}/.test(name) && statSync(join(root, name)).isDirectory())
    .sort();
}

function formatNumber(value: number): string {
  return Math.abs(value) >= 1000 || Number.isInteger(value) ? String(Math.round(value)) : value.toPrecision(4);
}

export function formatComparison(name: string, rows: FigureComparison[]): string {
  const lines = [`## ${name}`];
  const width = Math.min(90, Math.max(10, ...rows.map((row) => row.path.length)));
  for (const row of rows) {
    const ratio = row.ratio === null ? "n/a" : `${row.ratio.toFixed(3)}x`;
    lines.push(
      `${row.path.padEnd(width)}  ${formatNumber(row.baseline).padStart(12)} -> ${formatNumber(row.current).padStart(12)}  ${ratio}`,
    );
  }
  if (rows.length === 0) lines.push("(no figure in common)");
  return lines.join("\n");
}

function runBench(pkg: string): unknown {
  const run = Bun.spawnSync(["bun", "run", "bench"], {
    cwd: join(ROOT, "packages", pkg),
    stdout: "pipe",
    stderr: "inherit",
  });
  if (run.exitCode !== 0) throw new Error(`bun run bench failed in packages/${pkg}`);
  const lines = run.stdout.toString().trim().split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i].startsWith("{")) return JSON.parse(lines.slice(i).join("\n"));
  }
  throw new Error(`packages/${pkg} printed no JSON`);
}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index < 0) return undefined;
  const value = args[index + 1];
  args.splice(index, 2);
  return value;
}

/** The latest committed run directory holding `<pkg>.json`, other than `exclude`; undefined when none does. */
export function latestRunWith(pkg: string, exclude?: string, root = RUNS): string | undefined {
  return runDirectories(root)
    .filter((name) => name !== exclude && existsSync(join(root, name, `${pkg}.json`)))
    .at(-1);
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const current = option(args, "--current");
  const baseline = option(args, "--baseline");
  const filter = option(args, "--filter") ?? "";
  const currentIsFile = current?.endsWith(".json") ?? false;
  const currentDirName = current && !currentIsFile ? basename(current) : undefined;
  const jsonNames = (dir: string) =>
    readdirSync(dir)
      .filter((file) => file.endsWith(".json"))
      .map((file) => basename(file, ".json"));
  // Runs that are not a package's own bench (load, soak) are skipped: there is no `bun run bench` to compare them with.
  const isPackageBench = (name: string) => existsSync(join(ROOT, "packages", name, "package.json"));
  const committed = new Set(
    runDirectories()
      .flatMap((name) => jsonNames(join(RUNS, name)))
      .filter(isPackageBench),
  );
  const packages =
    args.length > 0
      ? args
      : currentIsFile
        ? [basename(current as string, ".json")]
        : current
          ? jsonNames(current)
          : [...committed].sort();
  console.log(`current: ${current ?? "fresh bun run bench"}; ratio = current / baseline\n`);
  for (const pkg of packages) {
    const baselineName = baseline ?? latestRunWith(pkg, currentDirName);
    const baselineFile = baselineName
      ? join(existsSync(baselineName) ? baselineName : join(RUNS, baselineName), `${pkg}.json`)
      : undefined;
    if (!baselineFile || !existsSync(baselineFile)) {
      console.log(`## ${pkg}\n(no committed baseline)\n`);
      continue;
    }
    const currentFile = currentIsFile ? (current as string) : current ? join(current, `${pkg}.json`) : undefined;
    if (currentFile && !existsSync(currentFile)) {
      console.log(`## ${pkg}\n(no current ${currentFile})\n`);
      continue;
    }
    const currentRun = currentFile ? JSON.parse(readFileSync(currentFile, "utf8")) : runBench(pkg);
    const baselineRun = JSON.parse(readFileSync(baselineFile, "utf8"));
    console.log(
      `${formatComparison(`${pkg} (baseline ${baselineFile.slice(ROOT.length + 1)})`, compareFigures(baselineRun, currentRun, filter))}\n`,
    );
  }
}
