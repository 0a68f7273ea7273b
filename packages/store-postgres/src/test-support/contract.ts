// The ConversationStore contract suite that core's memory and SQLite stores pass (core keeps it test-only and
// unpublished, so it is imported from the workspace sources), plus a store factory on a private server: every store
// gets a schema of its own, so each contract test starts from an empty database.
import { PostgresConversationStore } from "../postgres-store.ts";

export {
  binding,
  describeConversationStoreContract,
  event,
  room,
} from "../../../core/src/store/conversation-store-contract.ts";

let schemaCounter = 0;

export function uniqueSchema(prefix = "t"): string {
  return `${prefix}_${process.pid}_${schemaCounter++}`;
}

export function openTestStore(
  url: string,
  options: { schema?: string; batchAppends?: boolean } = {},
): Promise<PostgresConversationStore> {
  return PostgresConversationStore.open({
    url,
    schema: options.schema ?? uniqueSchema(),
    ...options,
    maxConnections: 4,
  });
}
