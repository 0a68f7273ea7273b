// The Postgres store's contract suite under Node, run by postgres-store.node.test.ts through
// scripts/node-test/register.mjs against the private server that test started (its URL in ROOMKIT_TEST_POSTGRES_URL).
import { expect, test } from "bun:test";
import { describeConversationStoreContract, event, openTestStore, room, uniqueSchema } from "./contract.ts";

const url = process.env.ROOMKIT_TEST_POSTGRES_URL;
if (!url) throw new Error("ROOMKIT_TEST_POSTGRES_URL is not set");

test("the suite runs under Node", () => {
  expect(typeof (globalThis as { Bun?: unknown }).Bun).toBe("undefined");
});

describeConversationStoreContract("node postgres (batched)", () => openTestStore(url));
describeConversationStoreContract("node postgres (unbatched)", () => openTestStore(url, { batchAppends: false }));

test("node: two stores on one schema append to one room without assigning an index twice", async () => {
  const schema = uniqueSchema("node");
  const nodeA = await openTestStore(url, { schema });
  const nodeB = await openTestStore(url, { schema });
  await nodeA.createRoom(room("shared"));
  const appends = [];
  for (let i = 0; i < 20; i++) {
    appends.push(nodeA.appendEvent(event("shared", `a${i}`, "a")), nodeB.appendEvent(event("shared", `b${i}`, "b")));
  }
  const indexes = (await Promise.all(appends)).map((stored) => stored.index).sort((left, right) => left - right);
  expect(indexes).toEqual(Array.from({ length: 40 }, (_, i) => i));
  await nodeA.close();
  await nodeB.close();
});
