import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Database } from "bun:sqlite";
import { InvalidArgumentError, StoreError } from "@roomkit/spec";
import { binding, describeConversationStoreContract, event, room } from "./conversation-store-contract.ts";
import { SqliteConversationStore } from "./sqlite-store.ts";

const directory = mkdtempSync(join(tmpdir(), "roomkit-sqlite-"));
let fileCounter = 0;
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describeConversationStoreContract("sqlite :memory:", () => new SqliteConversationStore({ path: ":memory:" }));
describeConversationStoreContract(
  "sqlite file",
  () => new SqliteConversationStore({ path: join(directory, `contract-${fileCounter++}.db`) }),
);

test("sqlite file store is durable across close and reopen (schema created once)", async () => {
  const path = join(directory, "durable.db");
  const first = new SqliteConversationStore({ path });
  await first.createRoom(room("r1", { topic: "kept" }));
  await first.putBinding(binding("r1", "a"));
  await first.appendEvent(event("r1", "e1", "before restart"));
  await first.close();

  const second = new SqliteConversationStore({ path });
  expect((await second.getRoom("r1"))?.metadata).toEqual({ topic: "kept" });
  expect((await second.getBinding("r1", "a"))?.channelId).toBe("a");
  const after = await second.appendEvent(event("r1", "e2", "after restart"));
  expect(after.index).toBe(1);
  const timeline = await second.listEvents("r1");
  expect(timeline.map((e) => (e.content.type === "text" ? e.content.body : ""))).toEqual([
    "before restart",
    "after restart",
  ]);
  await second.close();
});

test("sqlite store rejects a missing path with InvalidArgumentError", () => {
  expect(() => new SqliteConversationStore({ path: "" })).toThrow(InvalidArgumentError);
});

test("a file that cannot be opened, or is not a database, is a StoreError with the driver's error as cause", () => {
  const cases = [join(directory, "missing-dir", "x.db"), join(directory, "not-a-db.db")];
  writeFileSync(cases[1] as string, "this is not an SQLite file, just text ".repeat(40));
  for (const path of cases) {
    let caught: unknown;
    try {
      new SqliteConversationStore({ path });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StoreError);
    expect((caught as StoreError).message).toStartWith("SqliteConversationStore.open: ");
    expect((caught as StoreError).recoverable).toBe(false);
    expect((caught as StoreError).cause).toBeInstanceOf(Error);
  }
});

test("a value SQLite cannot store (BigInt metadata) is a StoreError and writes nothing", async () => {
  const store = new SqliteConversationStore({ path: ":memory:" });
  const error = await store.createRoom(room("r1", { big: 1n })).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(StoreError);
  expect((error as StoreError).message).toStartWith("SqliteConversationStore.createRoom: ");
  expect(await store.getRoom("r1")).toBeUndefined();
  await store.close();
});

test("another connection holding the write lock makes appendEvent fail with a recoverable StoreError", async () => {
  const path = join(directory, "busy.db");
  const store = new SqliteConversationStore({ path });
  await store.createRoom(room("r1"));
  // Fail at once instead of after the store's 5 s busy_timeout (the store's own connection, reached for the test).
  (store as unknown as { database: Database }).database.exec("PRAGMA busy_timeout = 0");
  const other = new Database(path);
  other.exec("BEGIN IMMEDIATE");
  const error = await store.appendEvent(event("r1", "e1", "x")).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(StoreError);
  expect((error as StoreError).recoverable).toBe(true);
  expect((error as StoreError).code).toBe("store_busy");
  other.exec("ROLLBACK");
  other.close();
  expect((await store.appendEvent(event("r1", "e1", "x"))).index).toBe(0);
  await store.close();
});

test("a failed append (duplicate id) leaves the counters unchanged (the transaction rolls back)", async () => {
  const store = new SqliteConversationStore({ path: ":memory:" });
  await store.createRoom(room("r1"));
  await store.appendEvent(event("r1", "e1", "x"));
  await expect(store.appendEvent(event("r1", "e1", "dup"))).rejects.toThrow();
  expect((await store.getRoom("r1"))?.eventCount).toBe(1);
  expect((await store.appendEvent(event("r1", "e2", "y"))).index).toBe(1);
  await store.close();
});

test("sqlite file store survives a process restart (written by a child process, read here)", async () => {
  const path = join(directory, "restart.db");
  const storeModule = join(import.meta.dir, "sqlite-store.ts");
  const script = join(directory, "writer.ts");
  await Bun.write(
    script,
    `import { SqliteConversationStore } from ${JSON.stringify(storeModule)};
const store = new SqliteConversationStore({ path: ${JSON.stringify(path)} });
const at = new Date(5000);
await store.createRoom({ id: "r1", status: "active", createdAt: at, updatedAt: at, metadata: {}, eventCount: 0, latestIndex: -1 });
for (let i = 0; i < 3; i++) {
  await store.appendEvent({ id: "e" + i, roomId: "r1", type: "message", source: { channelId: "a", channelType: "mock", direction: "inbound" },
    content: { type: "text", body: "from child " + i }, status: "delivered", visibility: "all", chainDepth: 0, createdAt: at, metadata: {} });
}
process.exit(0);
`,
  );
  const child = Bun.spawnSync({ cmd: [process.execPath, script], stdout: "pipe", stderr: "pipe" });
  expect(child.exitCode).toBe(0);
  const store = new SqliteConversationStore({ path });
  const events = await store.listEvents("r1");
  expect(events.map((e) => [e.index, e.content.type === "text" ? e.content.body : ""])).toEqual([
    [0, "from child 0"],
    [1, "from child 1"],
    [2, "from child 2"],
  ]);
  expect((await store.getRoom("r1"))?.eventCount).toBe(3);
  await store.close();
});

test("two processes appending to one SQLite file get distinct, contiguous indexes", async () => {
  const path = join(directory, "two-writers.db");
  const setup = new SqliteConversationStore({ path });
  await setup.createRoom(room("r1"));
  await setup.close();
  const storeModule = join(import.meta.dir, "sqlite-store.ts");
  const script = join(directory, "appender.ts");
  await Bun.write(
    script,
    `import { SqliteConversationStore } from ${JSON.stringify(storeModule)};
const [name] = process.argv.slice(2);
const store = new SqliteConversationStore({ path: ${JSON.stringify(path)} });
for (let i = 0; i < 200; i++) {
  await store.appendEvent({ id: name + "-" + i, roomId: "r1", type: "message", source: { channelId: name, channelType: "mock", direction: "inbound" },
    content: { type: "text", body: name + i }, status: "delivered", visibility: "all", chainDepth: 0, createdAt: new Date(), metadata: {} });
}
await store.close();
`,
  );
  const writers = ["a", "b"].map((name) =>
    Bun.spawn({ cmd: [process.execPath, script, name], stdout: "ignore", stderr: "pipe" }),
  );
  const codes = await Promise.all(writers.map((writer) => writer.exited));
  expect(codes).toEqual([0, 0]);
  const store = new SqliteConversationStore({ path });
  const events = await store.listEvents("r1", { limit: 1000 });
  expect(events.map((e) => e.index)).toEqual(Array.from({ length: 400 }, (_, i) => i));
  expect(new Set(events.map((e) => e.id)).size).toBe(400);
  expect((await store.getRoom("r1"))?.eventCount).toBe(400);
  await store.close();
});
