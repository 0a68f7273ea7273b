import { describe, expect, test } from "bun:test";
import { EventAlreadyExistsError } from "./event-already-exists-error.ts";
import { RoomAlreadyExistsError } from "./room-already-exists-error.ts";
import { RoomKitError } from "./roomkit-error.ts";
import { StoreClosedError } from "./store-closed-error.ts";
import { StoreError } from "./store-error.ts";

describe("store errors", () => {
  test("StoreError keeps recoverable and cause; its code defaults to store_error", () => {
    const cause = Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
    const busy = new StoreError({ message: "appendEvent: database is locked", recoverable: true, cause });
    expect(busy).toBeInstanceOf(RoomKitError);
    expect(busy.name).toBe("StoreError");
    expect(busy.code).toBe("store_error");
    expect(busy.recoverable).toBe(true);
    expect(busy.cause).toBe(cause);
    expect(new StoreError("disk full").recoverable).toBe(false);
  });

  test("StoreClosedError is a StoreError that is never recoverable", () => {
    const closed = new StoreClosedError({ message: "store is closed", recoverable: true });
    expect(closed).toBeInstanceOf(StoreError);
    expect(closed.name).toBe("StoreClosedError");
    expect(closed.code).toBe("store_closed");
    expect(closed.recoverable).toBe(false);
  });

  test("duplicates have their own codes and are not StoreErrors (the caller's input, not a failure)", () => {
    const room = new RoomAlreadyExistsError("room r1 already exists");
    const event = new EventAlreadyExistsError("event e1 already stored");
    expect([room.code, event.code]).toEqual(["room_already_exists", "event_already_exists"]);
    expect(room).not.toBeInstanceOf(StoreError);
    expect(event).not.toBeInstanceOf(StoreError);
    expect(RoomKitError.isInstance(event)).toBe(true);
  });
});
