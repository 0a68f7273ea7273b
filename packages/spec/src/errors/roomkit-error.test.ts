import { describe, expect, test } from "bun:test";
import { InvalidArgumentError } from "./invalid-argument-error.ts";
import { ProviderError } from "./provider-error.ts";
import { RoomKitError } from "./roomkit-error.ts";

describe("RoomKitError", () => {
  test("subclasses carry name, code, recoverable and cause", () => {
    const cause = new Error("socket reset");
    const error = new ProviderError({ message: "lost", recoverable: true, cause, code: "socket_closed" });
    expect(error.name).toBe("ProviderError");
    expect(error.code).toBe("socket_closed");
    expect(error.recoverable).toBe(true);
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(RoomKitError);
  });

  test("defaults: not recoverable, class code", () => {
    const error = new InvalidArgumentError("inputSampleRate must be a positive integer");
    expect(error.recoverable).toBe(false);
    expect(error.code).toBe("invalid_argument");
    expect(error.message).toContain("inputSampleRate");
  });

  test("isInstance works across copies through the global symbol marker", () => {
    const foreign = Object.assign(new Error("x"), { [Symbol.for("roomkit.error")]: true });
    expect(RoomKitError.isInstance(foreign)).toBe(true);
    expect(RoomKitError.isInstance(new Error("plain"))).toBe(false);
    expect(RoomKitError.isInstance(null)).toBe(false);
  });
});
