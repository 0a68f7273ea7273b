#!/usr/bin/env node
// The `roomkit-migrate` bin (and the `./migrate` subpath): applies pending migrations and prints the versions as JSON.
//   roomkit-migrate --url postgres://user:password@host:port/db [--schema roomkit]   (or DATABASE_URL)
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runMigrateCli } from "./migrate-cli.ts";

export { runMigrateCli };

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  process.exitCode = await runMigrateCli(process.argv.slice(2), {
    env: process.env,
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  });
}
