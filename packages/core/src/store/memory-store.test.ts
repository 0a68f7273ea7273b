import { expect, test } from "bun:test";
import { describeConversationStoreContract, event, room } from "./conversation-store-contract.ts";
import { MemoryConversationStore } from "./memory-store.ts";

describeConversationStoreContract("memory", () => new MemoryConversationStore());

test("memory store: a returned room is a copy (mutating it does not change the store)", async () => {
  const store = new MemoryConversationStore();
  await store.createRoom(room("r1"));
  const fetched = await store.getRoom("r1");
  if (!fetched) throw new Error("room missing");
  fetched.status = "closed";
  expect((await store.getRoom("r1"))?.status).toBe("active");
  await store.appendEvent(event("r1", "e1", "x"));
  await expect(store.appendEvent(event("r1", "e1", "again"))).rejects.toThrow(/already stored/);
});
