import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { ARTIFACTS, moduleText } from "../scripts/build-wasm.ts";

// The package ships its WebAssembly as base64 inside generated modules; each must be exactly what its committed
// source builds to with the pinned registry toolchains (wabt, AssemblyScript), so the binary is reproducible.
for (const artifact of ARTIFACTS) {
  test(`${artifact.name}: the committed module is exactly what ${artifact.source.split("/").pop()} builds to`, async () => {
    const built = await artifact.build();
    expect(built.byteLength).toBeGreaterThan(100);
    expect(WebAssembly.validate(built)).toBe(true);
    expect(readFileSync(artifact.module, "utf8")).toBe(moduleText(artifact, built));
  }, 60_000);
}
