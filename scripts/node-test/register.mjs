// `node --import ./scripts/node-test/register.mjs file.ts`: runs a bun:test-style suite under Node's own test runner.
// `bun:test` resolves to bun-test-shim.mjs (describe/test/hooks from node:test and the matchers our suites use).
import { registerHooks } from "node:module";

const shim = new URL("./bun-test-shim.mjs", import.meta.url).href;
registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === "bun:test") return { url: shim, shortCircuit: true };
    return nextResolve(specifier, context);
  },
});
