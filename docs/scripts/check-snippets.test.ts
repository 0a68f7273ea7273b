import { describe, expect, test } from "bun:test";
import { resolve } from "node:path";
import { checkMarkdown, checkSnippets, listExamples } from "./check-snippets.ts";

const docsDirectory = resolve(import.meta.dir, "..");

describe("docs snippets", () => {
  test("every ```ts block in docs/*.md equals its docs/examples file, and every example is used", () => {
    const problems = checkSnippets(docsDirectory);
    expect(problems.map((problem) => `docs/${problem.file}:${problem.line}: ${problem.message}`)).toEqual([]);
  });

  test("every example module loads without side effects that throw", async () => {
    const modules = listExamples(docsDirectory).filter((path) => !path.endsWith(".test.ts"));
    expect(modules.length).toBeGreaterThan(10);
    for (const path of modules) {
      const loaded = await import(resolve(docsDirectory, path));
      expect(Object.keys(loaded).length).toBeGreaterThan(0);
    }
  });
});

describe("checkMarkdown", () => {
  const files: Record<string, string> = { "examples/a.ts": 'export const a = 1;\nconsole.log("a");\n' };
  const read = (path: string) => files[path];
  const tagged = (body: string) => `# Doc\n\n<!-- snippet: examples/a.ts -->\n\`\`\`ts\n${body}\n\`\`\`\n`;

  test("an identical block passes and is reported as used", () => {
    const result = checkMarkdown(tagged('export const a = 1;\nconsole.log("a");'), "doc.md", read);
    expect(result.problems).toEqual([]);
    expect(result.used).toEqual(["examples/a.ts"]);
  });

  test("a block that differs is reported with its line, and --write restores the file's text", () => {
    const markdown = tagged("export const a = 2;");
    const result = checkMarkdown(markdown, "doc.md", read);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.line).toBe(4);
    expect(result.problems[0]!.message).toContain("differs from examples/a.ts");
    expect(checkMarkdown(result.rewritten, "doc.md", read).problems).toEqual([]);
  });

  test("untagged ts blocks, markers without blocks and missing files are problems; other languages are not", () => {
    const markdown = [
      "```ts",
      "const inline = 1;",
      "```",
      "<!-- snippet: examples/a.ts -->",
      "Some prose.",
      "<!-- snippet: examples/missing.ts -->",
      "```ts",
      "x",
      "```",
      "```json",
      '{"type":"audio"}',
      "```",
      "```sh",
      "bun test docs",
      "```",
    ].join("\n");
    const messages = checkMarkdown(markdown, "doc.md", read).problems.map((problem) => problem.message);
    expect(messages).toHaveLength(3);
    expect(messages[0]).toContain("without a <!-- snippet");
    expect(messages[1]).toContain("not followed by a ```ts block");
    expect(messages[2]).toContain("snippet file not found: examples/missing.ts");
  });

  test("a marker pointing outside examples/ is refused", () => {
    const markdown = "<!-- snippet: ../package.json -->\n```ts\n{}\n```\n";
    const messages = checkMarkdown(markdown, "doc.md", () => "{}\n").problems.map((problem) => problem.message);
    expect(messages).toEqual(["snippet path must be under examples/: ../package.json"]);
  });
});
