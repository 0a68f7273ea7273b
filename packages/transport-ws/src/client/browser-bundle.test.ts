import { expect, test } from "bun:test";
import { join } from "node:path";

// The browser client is bundled for the page (apps/demo does it with Bun.build): it must not pull in Node built-ins,
// and the one helper it shares with the server (base64 from @roomkit/audio) may only reach `Buffer` through
// `globalThis`, so no bundler injects a polyfill.
test("the client bundles for the browser with no Node built-in and no bare Buffer; only base64 comes from audio", async () => {
  const result = await Bun.build({
    entrypoints: [join(import.meta.dir, "index.ts")],
    target: "browser",
    conditions: ["bun"], // workspace sources, as apps/demo bundles them (a dist/ build may or may not exist)
    format: "esm",
    minify: true,
  });
  expect(result.success).toBe(true);
  const code = await result.outputs[0]!.text();
  expect(code).not.toMatch(/from\s*["'](node:|buffer|fs|path|ws)["']|require\(/);
  const bufferUses = [...code.matchAll(/(.{0,11})\bBuffer\b/g)].map((match) => match[1]);
  expect(bufferUses.length).toBeGreaterThan(0);
  for (const before of bufferUses) expect(before).toEndWith("globalThis.");

  const modules = await Bun.build({
    entrypoints: [join(import.meta.dir, "index.ts")],
    target: "browser",
    conditions: ["bun"],
  });
  const sources = [...(await modules.outputs[0]!.text()).matchAll(/^\/\/ (\S+\.ts)$/gm)].map((match) => match[1]!);
  const outside = sources.filter((source) => !/(^|\/)src\/client\//.test(source));
  expect(outside).toHaveLength(1);
  expect(outside[0]).toEndWith("audio/src/bytes/base64.ts"); // paths are relative to where the test runs
});
