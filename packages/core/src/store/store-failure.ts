import { RoomKitError, StoreClosedError, StoreError } from "@roomkit/spec";

/** SQLite primary result codes (the low byte of an extended code such as 2067 SQLITE_CONSTRAINT_UNIQUE). */
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_CONSTRAINT = 19;

/** The rejection of a call on a closed store (both stores). */
export function storeClosed(store: string, operation: string): StoreClosedError {
  return new StoreClosedError(`${store}.${operation}: the store is closed`);
}

/**
 * The typed error for a failure inside a store operation. `RoomKitError`s (room not found, duplicates found by a
 * check) pass through; a constraint violation becomes `onConstraint()` when the operation has one (a duplicate id);
 * SQLITE_BUSY/LOCKED become a recoverable `StoreError` (retrying may succeed); anything else (I/O, a value that cannot
 * be serialised) a non-recoverable `StoreError`. The driver's error is the `cause`. Reads the result code the way
 * both bun:sqlite (`errno`) and node:sqlite (`errcode`) report it.
 */
export function toStoreError(
  store: string,
  operation: string,
  error: unknown,
  onConstraint?: () => RoomKitError,
): RoomKitError {
  if (RoomKitError.isInstance(error)) return error;
  const code = sqliteResultCode(error);
  if (code === SQLITE_CONSTRAINT && onConstraint) return onConstraint();
  const detail = error instanceof Error ? error.message : String(error);
  const busy = code === SQLITE_BUSY || code === SQLITE_LOCKED;
  return new StoreError({
    message: `${store}.${operation}: ${detail}`,
    code: busy ? "store_busy" : "store_error",
    recoverable: busy,
    cause: error,
  });
}

function sqliteResultCode(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { errcode, errno } = error as { errcode?: unknown; errno?: unknown };
  const extended = typeof errcode === "number" ? errcode : typeof errno === "number" ? errno : undefined;
  return extended === undefined ? undefined : extended & 0xff;
}
