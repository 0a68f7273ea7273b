// `bun run bench:compare [package ...] [--current <dir|file.json>] [--baseline <dir>] [--filter <text>]`
// Prints every numeric figure of a benchmark run next to the last committed run under docs/benchmarks/<date>/ and
// their ratio (current / baseline; whether higher is better depends on the figure: x real time up, µs per frame down).
// Without --current it runs `bun run bench` in each package that the baseline has a JSON for (or those named), one at
// a time; with --current it reads a run directory (or one package's JSON file) instead. When the current directory is
// itself the latest committed run, the baseline is the run before it.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";

const ROOT = join(import.meta.dir, "..");
export const RUNS = join(ROOT, "docs/benchmarks");

/** Numeric leaves of a JSON value, keyed by their dotted path (array items by index). */
export function flattenFigures(value: unknown, prefix = "", into = new Map<string, number>()): Map<string, number> {
  if (typeof value === "number" && Number.isFinite(value)) into.set(prefix, value);
  else if (Array.isArray(value)) value.forEach((item, index) => flattenFigures(item, `${prefix}[${index}]`, into));
  else if (value !== null && typeof value === "object") {
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

if (import.meta.main) {
  const args = process.argv.slice(2);
  const current = option(args, "--current");
  let baseline = option(args, "--baseline");
  const filter = option(args, "--filter") ?? "";
  const runs = runDirectories();
  if (!baseline) {
    const latest = runs.at(-1);
    const currentIsLatest = current !== undefined && latest !== undefined && basename(current) === latest;
    baseline = currentIsLatest ? runs.at(-2) : latest;
  }
  if (!baseline) throw new Error(`no committed run under ${RUNS}`);
  const baselineDir = existsSync(baseline) ? baseline : join(RUNS, baseline);
  const currentIsFile = current?.endsWith(".json") ?? false;
  const packages =
    args.length > 0
      ? args
      : currentIsFile
        ? [basename(current as string, ".json")]
        : readdirSync(baselineDir)
            .filter((name) => name.endsWith(".json"))
            .map((name) => basename(name, ".json"));
  console.log(`baseline: ${baselineDir}\ncurrent: ${current ?? "fresh bun run bench"}\nratio = current / baseline\n`);
  for (const pkg of packages) {
    const baselineFile = join(baselineDir, `${pkg}.json`);
    if (!existsSync(baselineFile)) {
      console.log(`## ${pkg}\n(no baseline ${baselineFile})\n`);
      continue;
    }
    const currentFile = currentIsFile ? (current as string) : current ? join(current, `${pkg}.json`) : undefined;
    if (currentFile && !existsSync(currentFile)) {
      console.log(`## ${pkg}\n(no current ${currentFile})\n`);
      continue;
    }
    const currentRun = currentFile ? JSON.parse(readFileSync(currentFile, "utf8")) : runBench(pkg);
    const baselineRun = JSON.parse(readFileSync(baselineFile, "utf8"));
    console.log(`${formatComparison(pkg, compareFigures(baselineRun, currentRun, filter))}\n`);
  }
}
