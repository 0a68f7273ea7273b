import { expect, test } from "bun:test";
import { join } from "node:path";

// The browser client is bundled for a page (apps/demo does it with Bun.build): no Node built-in, none of the server's
// WebRTC stack (werift, opusscript), and from the rest of RoomKit only the audio package (base64, G.711) and what it needs from spec.
test("the ./client entry bundles for the browser without Node built-ins or the server's WebRTC stack", async () => {
  const result = await Bun.build({
    entrypoints: [join(import.meta.dir, "index.ts")],
    target: "browser",
    conditions: ["bun"],
    format: "esm",
  });
  expect(result.success).toBe(true);
  const code = await result.outputs[0]!.text();
  expect(code).not.toMatch(/from\s*["'](node:|buffer|fs|path|dgram|werift|opusscript)["']|require\(/);
  expect(code).toContain("class FastRTCClient");
  const sources = [...code.matchAll(/^\/\/ (\S+\.ts)$/gm)].map((match) => match[1]!);
  const outside = sources.filter((source) => !/(^|\/)src\/client\//.test(source));
  expect(outside.length).toBeGreaterThan(0);
  // Paths are relative to where bun runs: ../audio/src/… from the package, packages/audio/src/… from the root.
  for (const source of outside) expect(source).toMatch(/^(\.\.\/|packages\/)(audio|spec)\/src\//);
});
