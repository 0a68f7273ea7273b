export { AppendBatcher, type AppendBatcherOptions, type AppendOutcome } from "./append-batcher.ts";
export {
  LATEST_SCHEMA_VERSION,
  MIGRATIONS,
  type Migration,
  type MigrationResult,
  migrate,
} from "./migrations.ts";
export { runMigrateCli } from "./migrate-cli.ts";
export type { PostgresConversationStoreOptions } from "./options.ts";
export { redactUrl, SchemaVersionError } from "./postgres-errors.ts";
export { PostgresConversationStore } from "./postgres-store.ts";
