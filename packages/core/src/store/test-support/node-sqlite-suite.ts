// The SQLite store's contract suite, run under Node (node:sqlite) by sqlite-store.node.test.ts through
// scripts/node-test/register.mjs; under Bun the same suite runs from sqlite-store.test.ts (bun:sqlite).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "bun:test";
import { describeConversationStoreContract, event, room } from "../conversation-store-contract.ts";
import { sqliteDriverName } from "../sqlite-driver.ts";
import { SqliteConversationStore } from "../sqlite-store.ts";

const directory = mkdtempSync(join(tmpdir(), "roomkit-node-sqlite-"));
let fileCounter = 0;
afterAll(() => rmSync(directory, { recursive: true, force: true }));

test("the store runs on node:sqlite here", () => {
  expect(sqliteDriverName()).toBe("node:sqlite");
});

describeConversationStoreContract("node:sqlite :memory:", () => new SqliteConversationStore({ path: ":memory:" }));
describeConversationStoreContract(
  "node:sqlite file",
  () => new SqliteConversationStore({ path: join(directory, `contract-${fileCounter++}.db`) }),
);

test("node:sqlite: a failed append (duplicate id) rolls back and the file survives close and reopen", async () => {
  const path = join(directory, "durable.db");
  const first = new SqliteConversationStore({ path });
  await first.createRoom(room("r1", { topic: "kept" }));
  await first.appendEvent(event("r1", "e1", "x"));
  await expect(first.appendEvent(event("r1", "e1", "dup"))).rejects.toThrow();
  await first.close();
  const second = new SqliteConversationStore({ path });
  expect((await second.getRoom("r1"))?.eventCount).toBe(1);
  expect((await second.appendEvent(event("r1", "e2", "y"))).index).toBe(1);
  await second.close();
});
