/**
 * Fails on any import cycle between files of a package's `src/` (type-only imports included): a module graph
 * without circles is what lets a reader follow one concern from file to file. Relative imports only; imports of
 * other packages are checked by scripts/check-boundaries.ts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

function sourceFiles(directory: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(directory)) {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (/\.(ts|tsx)$/.test(entry) && !entry.endsWith(".d.ts")) files.push(path);
  }
  return files;
}

const IMPORT_PATTERN =
  /(?:^|[;\s])(?:import|export)\s[^"';]*?from\s+["'](\.{1,2}\/[^"']+)["']|import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;

/** The relative imports of one file (static, type-only and dynamic), resolved to absolute paths. */
export function importsOf(file: string, text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(IMPORT_PATTERN)) {
    const specifier = match[1] ?? match[2]!;
    const base = resolve(dirname(file), specifier);
    for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")]) {
      if (existsSync(candidate) && statSync(candidate).isFile()) {
        found.push(candidate);
        break;
      }
    }
  }
  return found;
}

/** Every import cycle in the graph, each reported once as a list of files (first file repeated at the end). */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const seen = new Set<string>();
  const visit = (node: string): void => {
    state.set(node, 1);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const mark = state.get(next);
      if (mark === 1) {
        const cycle = [...stack.slice(stack.indexOf(next)), next];
        const key = [...cycle.slice(0, -1)].sort().join("|");
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (mark === undefined) visit(next);
    }
    stack.pop();
    state.set(node, 2);
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

export function findImportCycles(root: string): string[] {
  const reports: string[] = [];
  for (const folder of ["packages", "apps"]) {
    const parent = join(root, folder);
    if (!existsSync(parent)) continue;
    for (const name of readdirSync(parent).sort()) {
      const source = join(parent, name, "src");
      if (!existsSync(source)) continue;
      const graph = new Map<string, string[]>();
      for (const file of sourceFiles(source)) graph.set(file, importsOf(file, readFileSync(file, "utf8")));
      for (const cycle of findCycles(graph)) {
        reports.push(`${folder}/${name}: ${cycle.map((file) => relative(source, file)).join(" -> ")}`);
      }
    }
  }
  return reports;
}

if (import.meta.main) {
  const cycles = findImportCycles(join(import.meta.dir, ".."));
  for (const cycle of cycles) console.error(cycle);
  console.log(cycles.length === 0 ? "no import cycles" : `${cycles.length} import cycles`);
  process.exit(cycles.length === 0 ? 0 : 1);
}
