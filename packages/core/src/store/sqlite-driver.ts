import { createRequire } from "node:module";

/**
 * The slice of a synchronous SQLite binding the store uses, in `bun:sqlite`'s shape. Under Bun it is `bun:sqlite`
 * itself; under Node (≥ 22.13) a thin wrapper over `node:sqlite`'s `DatabaseSync`. Chosen when a database is opened,
 * never at import, so importing `@roomkit/core` works on any runtime.
 */
export type SqliteValue = string | number | bigint | null | Uint8Array;

export interface SqliteStatement<Row = unknown, Params extends SqliteValue[] = any[]> {
  get(...params: Params): Row | null | undefined;
  all(...params: Params): Row[];
  run(...params: Params): { changes: number | bigint };
}

export interface SqliteTransaction<Args extends unknown[], Result> {
  (...args: Args): Result;
  /** `BEGIN IMMEDIATE`: takes the write lock before the first read. */
  immediate: (...args: Args) => Result;
}

export interface SqliteDatabase {
  exec(sql: string): void;
  prepare<Row = unknown, Params extends SqliteValue[] = any[]>(sql: string): SqliteStatement<Row, Params>;
  transaction<Args extends unknown[], Result>(body: (...args: Args) => Result): SqliteTransaction<Args, Result>;
  close(): void;
}

/** Which binding `openSqliteDatabase` uses on this runtime. */
export function sqliteDriverName(): "bun:sqlite" | "node:sqlite" {
  return typeof process !== "undefined" && process.versions?.bun ? "bun:sqlite" : "node:sqlite";
}

const requireBuiltin = createRequire(import.meta.url);

/** Opens (creating if missing) a database file or `":memory:"` with the runtime's own SQLite. */
export function openSqliteDatabase(path: string): SqliteDatabase {
  if (sqliteDriverName() === "bun:sqlite") {
    const { Database } = requireBuiltin("bun:sqlite") as { Database: new (path: string, options: object) => unknown };
    return new Database(path, { create: true, strict: true }) as SqliteDatabase;
  }
  return openNodeSqlite(path);
}

interface NodeStatementSync {
  get(...params: SqliteValue[]): unknown;
  all(...params: SqliteValue[]): unknown[];
  run(...params: SqliteValue[]): { changes: number | bigint };
}
interface NodeDatabaseSync {
  exec(sql: string): void;
  prepare(sql: string): NodeStatementSync;
  close(): void;
}

function openNodeSqlite(path: string): SqliteDatabase {
  let DatabaseSync: new (path: string) => NodeDatabaseSync;
  try {
    ({ DatabaseSync } = requireBuiltin("node:sqlite") as { DatabaseSync: new (path: string) => NodeDatabaseSync });
  } catch (error) {
    throw new Error(
      `SqliteConversationStore needs bun:sqlite (Bun) or node:sqlite (Node.js >= 22.13); this is Node.js ${process.version}. ` +
        "Use MemoryConversationStore or upgrade Node.js.",
      { cause: error },
    );
  }
  const database = new DatabaseSync(path);
  const run = <Args extends unknown[], Result>(begin: string, body: (...args: Args) => Result, args: Args): Result => {
    database.exec(begin);
    try {
      const result = body(...args);
      database.exec("COMMIT");
      return result;
    } catch (error) {
      database.exec("ROLLBACK");
      throw error;
    }
  };
  return {
    exec: (sql) => database.exec(sql),
    prepare: <Row, Params extends SqliteValue[]>(sql: string) =>
      database.prepare(sql) as unknown as SqliteStatement<Row, Params>,
    transaction: <Args extends unknown[], Result>(body: (...args: Args) => Result) => {
      const transaction = ((...args: Args) => run("BEGIN", body, args)) as SqliteTransaction<Args, Result>;
      transaction.immediate = (...args: Args) => run("BEGIN IMMEDIATE", body, args);
      return transaction;
    },
    close: () => database.close(),
  };
}
