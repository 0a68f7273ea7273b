import { expect, test } from "bun:test";
import { join } from "node:path";
import { deriveExports, findProblems, publishManifest } from "./package-exports.ts";
import { rewriteDeclaration } from "./build-package.ts";

test("every published package's exports, files, build script and tsconfig.build.json match the derived shape", () => {
  expect(findProblems(join(import.meta.dir, ".."))).toEqual([]);
});

test("a plain source subpath becomes bun (source) + types + import (dist) conditions", () => {
  expect(deriveExports({ ".": "./src/index.ts", "./internal": "./src/internal/index.ts" })).toEqual({
    ".": { bun: "./src/index.ts", types: "./dist/index.d.ts", import: "./dist/index.js" },
    "./internal": {
      bun: "./src/internal/index.ts",
      types: "./dist/internal/index.d.ts",
      import: "./dist/internal/index.js",
    },
    "./package.json": "./package.json",
  });
  expect(() => deriveExports({ ".": { bun: "./lib/index.js" } })).toThrow("must be ./src/<path>.ts");
});

test("the published manifest has no bun (source) condition, no scripts and no devDependencies", () => {
  const published = publishManifest({
    name: "@roomkit/x",
    version: "1.0.0",
    exports: deriveExports({ ".": "./src/index.ts" }),
    scripts: { build: "x" },
    devDependencies: { a: "1" },
    dependencies: { b: "2" },
  });
  expect(published).toEqual({
    name: "@roomkit/x",
    version: "1.0.0",
    exports: { ".": { types: "./dist/index.d.ts", import: "./dist/index.js" }, "./package.json": "./package.json" },
    dependencies: { b: "2" },
  });
});

test("declaration specifiers: relative .ts become .js; packages and other strings stay", () => {
  expect(
    rewriteDeclaration(
      `export { a } from "./a.ts";\nimport type { B } from '../b/c.ts';\ntype C = import("./c.ts").C;`,
    ),
  ).toBe(`export { a } from "./a.js";\nimport type { B } from '../b/c.js';\ntype C = import("./c.js").C;`);
  expect(rewriteDeclaration(`import "zod"; const s = "./x.ts is a file";`)).toBe(
    `import "zod"; const s = "./x.ts is a file";`,
  );
});
