import { RoomKitError, StoreClosedError, StoreError } from "@roomkit/spec";

/**
 * The schema in the database was written by a newer version of this package (its highest applied migration is
 * above the ones this version knows). Not recoverable: upgrade the package instead of letting an old node write.
 */
export class SchemaVersionError extends StoreError {
  readonly databaseVersion: number;
  readonly supportedVersion: number;

  constructor(options: { message: string; databaseVersion: number; supportedVersion: number }) {
    super({ message: options.message, code: "store_schema_too_new", recoverable: false });
    this.databaseVersion = options.databaseVersion;
    this.supportedVersion = options.supportedVersion;
  }
}

const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ETIMEDOUT",
  "EPIPE",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);
/** SQLSTATEs after which a retry may succeed: serialization failure, deadlock, lock timeout, too many connections, shutdown. */
const BUSY = new Set(["40001", "40P01", "55P03", "53300", "57P01", "57P02", "57P03"]);
const AUTHENTICATION = new Set(["28P01", "28000"]);
const UNIQUE_VIOLATION = "23505";

/** `postgres://user@host:port/db`: the URL with its password removed, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = "";
    return parsed.toString();
  } catch {
    return "(an unparseable connection URL)";
  }
}

/** The rejection of a call on a closed store. */
export function storeClosed(store: string, operation: string): StoreClosedError {
  return new StoreClosedError(`${store}.${operation}: the store is closed`);
}

/**
 * The typed error for a failure inside a store operation. `RoomKitError`s pass through; a unique violation becomes
 * `onUnique()` when the operation has one; a server that cannot be reached, refused the credentials or is busy
 * becomes a `StoreError` with a code saying which (`store_unreachable` and `store_busy` are recoverable,
 * `store_authentication` is not). Messages name the URL without its password; the driver's error is the `cause`.
 */
export function toStoreError(
  context: { store: string; operation: string; url: string },
  error: unknown,
  onUnique?: () => RoomKitError,
): RoomKitError {
  if (RoomKitError.isInstance(error)) return error;
  const code = errorCode(error);
  if (code === UNIQUE_VIOLATION && onUnique) return onUnique();
  const detail = (error instanceof Error ? error.message : String(error)).replaceAll(passwordOf(context.url), "***");
  const where = `${context.store}.${context.operation} (${redactUrl(context.url)})`;
  if (code !== undefined && AUTHENTICATION.has(code)) {
    return new StoreError({
      message: `${where}: authentication failed: ${detail}`,
      code: "store_authentication",
      cause: error,
    });
  }
  if (code !== undefined && UNREACHABLE.has(code)) {
    return new StoreError({
      message: `${where}: cannot reach the server: ${detail}`,
      code: "store_unreachable",
      recoverable: true,
      cause: error,
    });
  }
  const busy = code !== undefined && BUSY.has(code);
  return new StoreError({
    message: `${where}: ${detail}`,
    code: busy ? "store_busy" : "store_error",
    recoverable: busy,
    cause: error,
  });
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

function passwordOf(url: string): string {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password === "" ? "\u0000no-password" : password;
  } catch {
    return "\u0000no-password";
  }
}
