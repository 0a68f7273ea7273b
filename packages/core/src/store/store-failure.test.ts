import { describe, expect, test } from "bun:test";
import { EventAlreadyExistsError, RoomNotFoundError, StoreClosedError, StoreError } from "@roomkit/spec";
import { storeClosed, toStoreError } from "./store-failure.ts";

/** Errors shaped as the two drivers report them: bun:sqlite sets `errno`, node:sqlite `errcode` (extended codes). */
const bunBusy = Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY", errno: 5 });
const nodeLocked = Object.assign(new Error("database table is locked"), { code: "ERR_SQLITE_ERROR", errcode: 262 });
const bunUnique = Object.assign(new Error("UNIQUE constraint failed: events.room_id, events.id"), { errno: 2067 });
const nodeUnique = Object.assign(new Error("UNIQUE constraint failed"), { code: "ERR_SQLITE_ERROR", errcode: 2067 });

describe("toStoreError", () => {
  test("busy or locked (either driver) is a recoverable StoreError keeping the cause", () => {
    for (const cause of [bunBusy, nodeLocked]) {
      const error = toStoreError("SqliteConversationStore", "appendEvent", cause);
      expect(error).toBeInstanceOf(StoreError);
      expect(error.recoverable).toBe(true);
      expect(error.code).toBe("store_busy");
      expect(error.cause).toBe(cause);
      expect(error.message).toStartWith("SqliteConversationStore.appendEvent: ");
    }
  });

  test("a constraint violation becomes the operation's duplicate error; without one, a StoreError", () => {
    const duplicate = () => new EventAlreadyExistsError("event e1 already stored");
    expect(toStoreError("S", "appendEvent", bunUnique, duplicate)).toBeInstanceOf(EventAlreadyExistsError);
    expect(toStoreError("S", "appendEvent", nodeUnique, duplicate)).toBeInstanceOf(EventAlreadyExistsError);
    const plain = toStoreError("S", "putBinding", bunUnique);
    expect(plain).toBeInstanceOf(StoreError);
    expect(plain.recoverable).toBe(false);
  });

  test("RoomKitErrors pass through; anything else is a non-recoverable StoreError", () => {
    const notFound = new RoomNotFoundError("room r1 not found");
    expect(toStoreError("S", "updateRoom", notFound)).toBe(notFound);
    const typeError = toStoreError("S", "createRoom", new TypeError("Do not know how to serialize a BigInt"));
    expect(typeError).toBeInstanceOf(StoreError);
    expect([typeError.code, typeError.recoverable]).toEqual(["store_error", false]);
    expect(toStoreError("S", "open", "weird").message).toBe("S.open: weird");
  });

  test("storeClosed names the store and the operation", () => {
    const error = storeClosed("MemoryConversationStore", "getRoom");
    expect(error).toBeInstanceOf(StoreClosedError);
    expect(error.message).toBe("MemoryConversationStore.getRoom: the store is closed");
  });
});
