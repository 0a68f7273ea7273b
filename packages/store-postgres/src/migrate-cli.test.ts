import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import postgres from "postgres";
import { runMigrateCli } from "./migrate-cli.ts";
import { LATEST_SCHEMA_VERSION } from "./migrations.ts";
import { startPostgresServer } from "./test-support/postgres-server.ts";

const server = await startPostgresServer();
afterAll(() => server.stop());

const BIN = join(import.meta.dir, "migrate.ts");

function runBin(args: string[], env: Record<string, string> = {}) {
  const run = Bun.spawnSync([process.execPath, BIN, ...args], {
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, DATABASE_URL: "", ...env },
    timeout: 30_000,
  });
  return { code: run.exitCode, out: run.stdout.toString(), err: run.stderr.toString() };
}

test("roomkit-migrate applies the migrations once, then finds nothing to do", async () => {
  const first = runBin(["--url", server.url, "--schema", "cli_one"]);
  expect(first.err).toBe("");
  expect(first.code).toBe(0);
  expect(JSON.parse(first.out)).toEqual({ schema: "cli_one", from: 0, to: LATEST_SCHEMA_VERSION, applied: [1] });
  const second = runBin(["--schema", "cli_one"], { DATABASE_URL: server.url });
  expect(JSON.parse(second.out).applied).toEqual([]);
  const sql = postgres(server.url, { max: 1, onnotice: () => {} });
  const tables = await sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'cli_one' ORDER BY 1`;
  await sql.end();
  expect(tables.map((row) => row.table_name)).toEqual(["bindings", "events", "rooms", "schema_migrations"]);
});

test("roomkit-migrate: a wrong password exits 1 with a message that names the URL but not the password", async () => {
  const lines: string[] = [];
  const code = await runMigrateCli(["--url", server.url.replace(server.password, "wrong-secret")], {
    env: {},
    out: (line) => lines.push(line),
    err: (line) => lines.push(line),
  });
  expect(code).toBe(1);
  expect(lines.join("\n")).toContain("authentication failed");
  expect(lines.join("\n")).toContain(`postgres://roomkit@127.0.0.1:${server.port}/roomkit`);
  expect(lines.join("\n")).not.toContain("wrong-secret");
});

test("roomkit-migrate: no URL or a bad schema name exits 2 with the usage", async () => {
  const lines: string[] = [];
  const io = { env: {}, out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
  expect(await runMigrateCli([], io)).toBe(2);
  expect(lines.join("\n")).toContain("DATABASE_URL");
  expect(await runMigrateCli(["--url", server.url, "--schema", "Robert'); DROP"], io)).toBe(2);
  expect(await runMigrateCli(["--bogus"], io)).toBe(2);
  expect(lines.join("\n")).toContain("usage: roomkit-migrate");
});
