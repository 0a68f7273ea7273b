/**
 * Keeps the code in docs/*.md identical to the compilable files in docs/examples/.
 *
 * In the markdown, a snippet is a fenced ```ts block directly preceded by `<!-- snippet: examples/x.ts -->`; its
 * content must equal that file's text. Also reported: ```ts blocks without a marker (code written only inline),
 * markers without a block, missing files, and example files no document uses.
 *
 *   bun docs/scripts/check-snippets.ts           check (exit 1 on a problem)
 *   bun docs/scripts/check-snippets.ts --write   rewrite every tagged block from its file, then check
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, normalize, relative, resolve } from "node:path";

export interface SnippetProblem {
  file: string;
  line: number;
  message: string;
}

export interface MarkdownCheck {
  problems: SnippetProblem[];
  /** Example paths (relative to docs/) this document includes. */
  used: string[];
  /** The document with every tagged block replaced by its file's text (what `--write` saves). */
  rewritten: string;
}

const MARKER = /^<!--\s*snippet:\s*(\S+)\s*-->\s*$/;
const TS_FENCE = /^```(ts|typescript|tsx)\s*$/;
const ANY_FENCE = /^```/;

/** Checks one markdown document. `readExample` returns a file's text (path relative to docs/), or undefined. */
export function checkMarkdown(
  markdown: string,
  fileName: string,
  readExample: (path: string) => string | undefined,
): MarkdownCheck {
  const lines = markdown.split("\n");
  const problems: SnippetProblem[] = [];
  const used: string[] = [];
  const output: string[] = [];
  let pending: { path: string; line: number } | undefined;
  let index = 0;
  while (index < lines.length) {
    const line = lines[index]!;
    const marker = MARKER.exec(line);
    if (marker) {
      if (pending)
        problems.push({ file: fileName, line: pending.line, message: "snippet marker without a ```ts block" });
      pending = { path: marker[1]!, line: index + 1 };
      output.push(line);
      index++;
      continue;
    }
    if (!ANY_FENCE.test(line)) {
      if (pending && line.trim() !== "") {
        problems.push({ file: fileName, line: pending.line, message: "snippet marker not followed by a ```ts block" });
        pending = undefined;
      }
      output.push(line);
      index++;
      continue;
    }
    // A fence opens: find its end.
    let end = index + 1;
    while (end < lines.length && lines[end]!.trim() !== "```") end++;
    if (end >= lines.length) {
      problems.push({ file: fileName, line: index + 1, message: "unclosed code fence" });
      output.push(...lines.slice(index));
      break;
    }
    const body = lines.slice(index + 1, end).join("\n");
    const isTs = TS_FENCE.test(line);
    if (pending && !isTs) {
      problems.push({ file: fileName, line: pending.line, message: "snippet marker not followed by a ```ts block" });
      pending = undefined;
    }
    if (isTs && !pending) {
      problems.push({
        file: fileName,
        line: index + 1,
        message: "```ts block without a <!-- snippet: examples/x.ts --> marker (code must come from docs/examples)",
      });
    }
    let replacement = body;
    if (isTs && pending) {
      const path = normalize(pending.path);
      used.push(path);
      const text = path.startsWith("examples/") ? readExample(path) : undefined;
      if (!path.startsWith("examples/")) {
        problems.push({ file: fileName, line: pending.line, message: `snippet path must be under examples/: ${path}` });
      } else if (text === undefined) {
        problems.push({ file: fileName, line: pending.line, message: `snippet file not found: ${path}` });
      } else {
        const expected = text.endsWith("\n") ? text.slice(0, -1) : text;
        if (body !== expected) {
          problems.push({
            file: fileName,
            line: index + 1,
            message: `block differs from ${path} (${firstDifference(body, expected)}); run with --write`,
          });
        }
        replacement = expected;
      }
      pending = undefined;
    }
    output.push(line, ...(replacement === "" ? [] : replacement.split("\n")), lines[end]!);
    index = end + 1;
  }
  if (pending) problems.push({ file: fileName, line: pending.line, message: "snippet marker without a ```ts block" });
  return { problems, used, rewritten: output.join("\n") };
}

function firstDifference(actual: string, expected: string): string {
  const actualLines = actual.split("\n");
  const expectedLines = expected.split("\n");
  const count = Math.max(actualLines.length, expectedLines.length);
  for (let line = 0; line < count; line++) {
    if (actualLines[line] !== expectedLines[line]) return `first difference at block line ${line + 1}`;
  }
  return "whitespace differs";
}

/** Example files (relative to docs/), recursively under docs/examples. */
export function listExamples(docsDirectory: string): string[] {
  const root = join(docsDirectory, "examples");
  if (!existsSync(root)) return [];
  const found: string[] = [];
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) found.push(relative(docsDirectory, path));
    }
  };
  walk(root);
  return found.sort();
}

/** Checks every docs/*.md (optionally rewriting tagged blocks first) and reports unused example files. */
export function checkSnippets(docsDirectory: string, options: { write?: boolean } = {}): SnippetProblem[] {
  const directory = resolve(docsDirectory);
  const readExample = (path: string): string | undefined => {
    const full = resolve(directory, path);
    if (!full.startsWith(directory) || !existsSync(full)) return undefined;
    return readFileSync(full, "utf8");
  };
  const problems: SnippetProblem[] = [];
  const used = new Set<string>();
  const documents = readdirSync(directory)
    .filter((name) => name.endsWith(".md"))
    .sort();
  for (const name of documents) {
    const path = join(directory, name);
    let markdown = readFileSync(path, "utf8");
    if (options.write) {
      const rewritten = checkMarkdown(markdown, name, readExample).rewritten;
      if (rewritten !== markdown) {
        writeFileSync(path, rewritten);
        markdown = rewritten;
      }
    }
    const result = checkMarkdown(markdown, name, readExample);
    problems.push(...result.problems);
    for (const example of result.used) used.add(example);
  }
  for (const example of listExamples(directory)) {
    if (!used.has(example)) problems.push({ file: example, line: 1, message: "example is not included by any doc" });
  }
  return problems;
}

if (import.meta.main) {
  const docsDirectory = resolve(import.meta.dir, "..");
  const problems = checkSnippets(docsDirectory, { write: process.argv.includes("--write") });
  for (const problem of problems) console.error(`docs/${problem.file}:${problem.line}: ${problem.message}`);
  if (problems.length > 0) process.exit(1);
  console.log("docs snippets: all in sync with docs/examples");
}
