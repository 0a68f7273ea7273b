import { afterAll, describe, expect, test } from "bun:test";
import { EventAlreadyExistsError, RoomNotFoundError, StoreError } from "@roomkit/spec";
import postgres from "postgres";
import { SchemaVersionError } from "./postgres-errors.ts";
import { PostgresConversationStore } from "./postgres-store.ts";
import {
  binding,
  describeConversationStoreContract,
  event,
  openTestStore,
  room,
  uniqueSchema,
} from "./test-support/contract.ts";
import { freePort, startPostgresServer } from "./test-support/postgres-server.ts";

const server = await startPostgresServer();
afterAll(() => server.stop());

describeConversationStoreContract("postgres (batched appends)", () => openTestStore(server.url));
describeConversationStoreContract("postgres (one append per round trip)", () =>
  openTestStore(server.url, { batchAppends: false }),
);

describe("PostgresConversationStore", () => {
  test("a timeline survives close and reopen; the schema is migrated once", async () => {
    const schema = uniqueSchema();
    const first = await openTestStore(server.url, { schema });
    await first.createRoom(room("r1", { topic: "kept" }));
    await first.putBinding(binding("r1", "a"));
    await first.appendEvent(event("r1", "e1", "before restart"));
    await first.close();
    const second = await openTestStore(server.url, { schema });
    expect((await second.ready).applied).toEqual([]);
    expect((await second.getRoom("r1"))?.metadata).toEqual({ topic: "kept" });
    expect((await second.appendEvent(event("r1", "e2", "after restart"))).index).toBe(1);
    expect((await second.listEvents("r1")).map((e) => e.id)).toEqual(["e1", "e2"]);
    await second.close();
  });

  test("appends fired together keep each room's submission order, and a duplicate fails alone", async () => {
    const store = await openTestStore(server.url);
    for (const id of ["a", "b", "c"]) await store.createRoom(room(id));
    await store.appendEvent(event("b", "dup", "first"));
    const calls: Array<Promise<unknown>> = [];
    for (let i = 0; i < 30; i++) {
      for (const id of ["a", "b", "c"]) calls.push(store.appendEvent(event(id, `${id}-${i}`, `${i}`)));
      if (i === 10) calls.push(store.appendEvent(event("b", "dup", "again")).catch((error: unknown) => error));
      if (i === 20) calls.push(store.appendEvent(event("ghost", "g", "x")).catch((error: unknown) => error));
    }
    const results = await Promise.all(calls);
    expect(results.filter((result) => result instanceof EventAlreadyExistsError)).toHaveLength(1);
    expect(results.filter((result) => result instanceof RoomNotFoundError)).toHaveLength(1);
    for (const id of ["a", "c"]) {
      const timeline = await store.listEvents(id, { limit: 100 });
      expect(timeline.map((e) => e.id)).toEqual(Array.from({ length: 30 }, (_, i) => `${id}-${i}`));
      expect(timeline.map((e) => e.index)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    }
    expect((await store.listEvents("b", { limit: 100 })).map((e) => e.id)).toEqual([
      "dup",
      ...Array.from({ length: 30 }, (_, i) => `b-${i}`),
    ]);
    expect((await store.getRoom("b"))?.eventCount).toBe(31);
    await store.close();
  });

  test("two stores (two nodes) appending to one room never assign an index twice", async () => {
    const schema = uniqueSchema();
    const nodeA = await openTestStore(server.url, { schema });
    const nodeB = await openTestStore(server.url, { schema });
    await nodeA.createRoom(room("shared"));
    const appends = [];
    for (let i = 0; i < 40; i++) {
      appends.push(nodeA.appendEvent(event("shared", `a${i}`, "a")));
      appends.push(nodeB.appendEvent(event("shared", `b${i}`, "b")));
    }
    const stored = await Promise.all(appends);
    expect(new Set(stored.map((e) => e.index)).size).toBe(80);
    const timeline = await nodeB.listEvents("shared", { limit: 100 });
    expect(timeline.map((e) => e.index)).toEqual(Array.from({ length: 80 }, (_, i) => i));
    // Each node's own appends stay in its submission order.
    const order = (prefix: string) => timeline.filter((e) => e.id.startsWith(prefix)).map((e) => Number(e.id.slice(1)));
    expect(order("a")).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(order("b")).toEqual(Array.from({ length: 40 }, (_, i) => i));
    await Promise.all([nodeA.close(), nodeB.close()]);
  });

  test("close waits for queued appends", async () => {
    const store = await openTestStore(server.url);
    await store.createRoom(room("r1"));
    const pending = Array.from({ length: 20 }, (_, i) => store.appendEvent(event("r1", `e${i}`, "x")));
    await store.close();
    expect((await Promise.all(pending)).map((e) => e.index)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  test("wrong credentials: open rejects with store_authentication naming the URL without the password", async () => {
    const url = server.url.replace(server.password, "not-the-password");
    const error = await PostgresConversationStore.open({ url, schema: uniqueSchema() }).catch((caught) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe("store_authentication");
    expect((error as StoreError).recoverable).toBe(false);
    expect((error as Error).message).toContain(`postgres://roomkit@127.0.0.1:${server.port}/roomkit`);
    expect((error as Error).message).not.toContain("not-the-password");
  });

  test("unreachable server: open rejects with a recoverable store_unreachable naming the URL", async () => {
    const port = await freePort();
    const url = `postgres://roomkit:secret-value@127.0.0.1:${port}/roomkit`;
    const error = await PostgresConversationStore.open({ url, connectTimeoutSeconds: 2 }).catch((caught) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe("store_unreachable");
    expect((error as StoreError).recoverable).toBe(true);
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
    expect((error as Error).message).not.toContain("secret-value");
  });

  test("a schema from a newer version is refused, and operations reject with the same error", async () => {
    const schema = uniqueSchema();
    await (await openTestStore(server.url, { schema })).close();
    const sql = postgres(server.url, { max: 1, onnotice: () => {} });
    await sql.unsafe(`INSERT INTO "${schema}".schema_migrations (version, name) VALUES (99, 'from the future')`);
    await sql.end();
    const error = await openTestStore(server.url, { schema }).catch((caught) => caught);
    expect(error).toBeInstanceOf(SchemaVersionError);
    expect((error as SchemaVersionError).databaseVersion).toBe(99);
    expect((error as Error).message).toContain("upgrade");
    const store = new PostgresConversationStore({ url: server.url, schema });
    await expect(store.getRoom("r1")).rejects.toThrow(SchemaVersionError);
    await store.close();
  });

  test("nodes starting together on an empty schema apply each migration once", async () => {
    const schema = uniqueSchema();
    const stores = await Promise.all(Array.from({ length: 4 }, () => openTestStore(server.url, { schema })));
    const applied = await Promise.all(stores.map((store) => store.ready.then((result) => result.applied)));
    expect(applied.filter((versions) => versions.length > 0)).toEqual([[1]]);
    await Promise.all(stores.map((store) => store.close()));
  });

  test("bad options are RoomKitConfigError naming the field", () => {
    expect(() => new PostgresConversationStore({ url: "mysql://x" })).toThrow(/option "url"/);
    expect(() => new PostgresConversationStore({ url: server.url, schema: "Bad-Name" })).toThrow(/option "schema"/);
    expect(() => new PostgresConversationStore({ url: server.url, maxConnections: 0 })).toThrow(
      /option "maxConnections"/,
    );
  });
});
