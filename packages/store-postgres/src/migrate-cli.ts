import postgres from "postgres";
import { migrate } from "./migrations.ts";
import { toStoreError } from "./postgres-errors.ts";

const USAGE =
  "usage: roomkit-migrate [--url postgres://user:password@host:port/db] [--schema roomkit]\n" +
  "       (the URL defaults to $DATABASE_URL; applies pending migrations and prints the versions as JSON)";

/**
 * `roomkit-migrate`: applies the pending migrations and prints `{"schema","from","to","applied"}`. Returns the exit
 * code (0 done, 1 failed, 2 bad arguments); messages never contain the password.
 */
export async function runMigrateCli(
  argv: readonly string[],
  io: { env: Record<string, string | undefined>; out: (line: string) => void; err: (line: string) => void },
): Promise<number> {
  let url = io.env.DATABASE_URL;
  let schema = "roomkit";
  for (let position = 0; position < argv.length; position++) {
    const argument = argv[position];
    const value = argv[position + 1];
    if (argument === "--help" || argument === "-h") {
      io.out(USAGE);
      return 0;
    }
    if ((argument === "--url" || argument === "--schema") && value !== undefined) {
      if (argument === "--url") url = value;
      else schema = value;
      position++;
    } else {
      io.err(`roomkit-migrate: unexpected argument ${JSON.stringify(argument)}\n${USAGE}`);
      return 2;
    }
  }
  if (!url) {
    io.err(`roomkit-migrate: no database URL (pass --url or set DATABASE_URL)\n${USAGE}`);
    return 2;
  }
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    io.err(`roomkit-migrate: --schema must be a lower-case SQL identifier, got ${JSON.stringify(schema)}`);
    return 2;
  }
  const sql = postgres(url, { max: 1, connect_timeout: 10, onnotice: () => {} });
  try {
    const result = await migrate(sql, schema);
    io.out(JSON.stringify(result));
    return 0;
  } catch (error) {
    io.err(`roomkit-migrate: ${toStoreError({ store: "roomkit-migrate", operation: "migrate", url }, error).message}`);
    return 1;
  } finally {
    await sql.end({ timeout: 5 }).catch(() => {});
  }
}
