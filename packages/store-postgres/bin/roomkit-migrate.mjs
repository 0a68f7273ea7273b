#!/usr/bin/env node
// Applies @roomkit/store-postgres migrations: roomkit-migrate --url postgres://… [--schema roomkit]
// The published package runs dist/; inside the repository (no build) it runs the TypeScript sources.
const entry = await import("../dist/index.js").catch(() => import("../src/index.ts"));
const code = await entry.runMigrateCli(process.argv.slice(2), {
  env: process.env,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
process.exitCode = code;
