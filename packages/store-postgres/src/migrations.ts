import type { Sql } from "postgres";
import { SchemaVersionError } from "./postgres-errors.ts";

/** One schema change. Versions start at 1 and never change once released; add a new one instead of editing. */
export interface Migration {
  version: number;
  name: string;
  /** SQL for the schema `schema` (already quoted), run in the migration transaction. */
  up(schema: string): string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "rooms, bindings, events and the batched append function",
    up: (s) => `
      CREATE TABLE ${s}.rooms (
        id text PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        status text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        closed_at timestamptz,
        metadata jsonb NOT NULL,
        event_count integer NOT NULL DEFAULT 0
      );
      CREATE INDEX rooms_by_creation ON ${s}.rooms (created_at, seq);
      CREATE TABLE ${s}.bindings (
        room_id text NOT NULL REFERENCES ${s}.rooms (id) ON DELETE CASCADE,
        channel_id text NOT NULL,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        attached_at timestamptz NOT NULL,
        data jsonb NOT NULL,
        PRIMARY KEY (room_id, channel_id)
      );
      CREATE TABLE ${s}.events (
        room_id text NOT NULL REFERENCES ${s}.rooms (id) ON DELETE CASCADE,
        idx integer NOT NULL,
        id text NOT NULL,
        created_at timestamptz NOT NULL,
        data jsonb NOT NULL,
        PRIMARY KEY (room_id, idx),
        UNIQUE (room_id, id)
      );
      -- Appends a batch of events in one statement. Items are taken room by room (a fixed lock order, so two nodes'
      -- batches never deadlock), in submission order within a room; each room row is locked while its next index is
      -- read, so concurrent writers never assign one index twice. Each item reports 'stored', 'room_not_found' or
      -- 'duplicate' without aborting the others.
      CREATE FUNCTION ${s}.append_events(batch jsonb)
        RETURNS TABLE (item_position integer, item_index integer, item_outcome text)
        LANGUAGE plpgsql AS $fn$
      #variable_conflict use_column
      DECLARE
        item record;
        next_index integer;
        inserted integer;
      BEGIN
        FOR item IN
          SELECT (e.ordinality - 1)::integer AS position, e.value ->> 'roomId' AS room_id, e.value ->> 'id' AS event_id,
                 (e.value ->> 'createdAt')::timestamptz AS created_at, e.value -> 'data' AS data
          FROM jsonb_array_elements(batch) WITH ORDINALITY AS e (value, ordinality)
          ORDER BY e.value ->> 'roomId', e.ordinality
        LOOP
          item_position := item.position;
          SELECT r.event_count INTO next_index FROM ${s}.rooms r WHERE r.id = item.room_id FOR UPDATE;
          IF NOT FOUND THEN
            item_index := NULL;
            item_outcome := 'room_not_found';
            RETURN NEXT;
            CONTINUE;
          END IF;
          INSERT INTO ${s}.events (room_id, idx, id, created_at, data)
            VALUES (item.room_id, next_index, item.event_id, item.created_at, item.data)
            ON CONFLICT (room_id, id) DO NOTHING;
          GET DIAGNOSTICS inserted = ROW_COUNT;
          IF inserted = 0 THEN
            item_index := NULL;
            item_outcome := 'duplicate';
          ELSE
            UPDATE ${s}.rooms SET event_count = next_index + 1 WHERE id = item.room_id;
            item_index := next_index;
            item_outcome := 'stored';
          END IF;
          RETURN NEXT;
        END LOOP;
      END
      $fn$;`,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

export interface MigrationResult {
  schema: string;
  /** The version before (0 for an empty database). */
  from: number;
  to: number;
  applied: number[];
}

/**
 * Brings `schema` to the newest version, in one transaction under an advisory lock (nodes starting together apply
 * each migration once; the others wait and find nothing to do). Refuses with `SchemaVersionError` when the
 * database is newer than this code.
 */
export async function migrate(
  sql: Sql,
  schemaName: string,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationResult> {
  const schema = quoteIdentifier(schemaName);
  const supported = migrations[migrations.length - 1]?.version ?? 0;
  return sql.begin(async (transaction) => {
    await transaction.unsafe("SELECT pg_advisory_xact_lock(hashtext($1))", [`roomkit-migrate:${schemaName}`]);
    await transaction.unsafe(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await transaction.unsafe(
      `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const [row] = await transaction.unsafe<{ version: number }[]>(
      `SELECT COALESCE(MAX(version), 0)::integer AS version FROM ${schema}.schema_migrations`,
    );
    const from = row?.version ?? 0;
    if (from > supported) {
      throw new SchemaVersionError({
        message: `schema "${schemaName}" is at version ${from}, newer than this @roomkit/store-postgres supports (${supported}); upgrade the package on this node`,
        databaseVersion: from,
        supportedVersion: supported,
      });
    }
    const applied: number[] = [];
    for (const migration of migrations) {
      if (migration.version <= from) continue;
      await transaction.unsafe(migration.up(schema));
      await transaction.unsafe(`INSERT INTO ${schema}.schema_migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
    return { schema: schemaName, from, to: Math.max(from, supported), applied };
  }) as Promise<MigrationResult>;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** `"name"` for a lower-case SQL identifier; anything else is refused (the schema name is configuration, never input). */
export function quoteIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`invalid schema name ${JSON.stringify(name)}`);
  return `"${name}"`;
}
