import { describe, expect, test } from "bun:test";
import { HookTrigger } from "../hooks/hook-trigger.ts";
import { DeliveryTimeoutError } from "./delivery-timeout-error.ts";
import { HookError } from "./hook-error.ts";
import { HookTimeoutError } from "./hook-timeout-error.ts";
import { InvalidArgumentError } from "./invalid-argument-error.ts";
import type { ProviderErrorEvent } from "../provider/provider-options.ts";
import { ProviderAuthenticationError } from "./provider-authentication-error.ts";
import { ProviderConnectionError } from "./provider-connection-error.ts";
import { ProviderError } from "./provider-error.ts";
import { ProviderProtocolError } from "./provider-protocol-error.ts";
import { ProviderRateLimitError } from "./provider-rate-limit-error.ts";
import { ProviderServerError } from "./provider-server-error.ts";
import { ProviderSessionExpiredError } from "./provider-session-expired-error.ts";
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

describe("ProviderError subclasses", () => {
  test("each kind is a ProviderError with its own default code and keeps the provider's code when given", () => {
    const kinds = [
      [ProviderConnectionError, "provider_connection_error"],
      [ProviderAuthenticationError, "provider_authentication_failed"],
      [ProviderRateLimitError, "provider_rate_limited"],
      [ProviderSessionExpiredError, "provider_session_expired"],
      [ProviderProtocolError, "provider_protocol_error"],
      [ProviderServerError, "provider_server_error"],
    ] as const;
    for (const [Kind, code] of kinds) {
      const error = new Kind({ message: "m" });
      expect(error).toBeInstanceOf(ProviderError);
      expect(error.code).toBe(code);
      expect(error.name).toBe(Kind.name);
      expect(new Kind({ message: "m", code: "ws_1011", recoverable: true }).code).toBe("ws_1011");
    }
  });

  test("ProviderErrorEvent is the class: a reader of code/message/recoverable gets them", () => {
    const event: ProviderErrorEvent = new ProviderRateLimitError({ message: "slow down", recoverable: true });
    expect([event.code, event.message, event.recoverable]).toEqual(["provider_rate_limited", "slow down", true]);
  });
});

describe("HookTimeoutError", () => {
  test("is a HookError with code hook_timeout, naming the hook, its trigger and its timeout", () => {
    const error = new HookTimeoutError({ hookName: "audit", trigger: HookTrigger.BEFORE_BROADCAST, timeoutMs: 250 });
    expect(error).toBeInstanceOf(HookError);
    expect(RoomKitError.isInstance(error)).toBe(true);
    expect(error.name).toBe("HookTimeoutError");
    expect(error.code).toBe("hook_timeout");
    expect(error.message).toBe("hook audit timed out after 250 ms");
    expect([error.hookName, error.trigger, error.timeoutMs]).toEqual(["audit", HookTrigger.BEFORE_BROADCAST, 250]);
    expect(new HookError("x").code).toBe("hook_error");
  });
});

describe("DeliveryTimeoutError", () => {
  test("names the channel and the limit; code delivery_timeout", () => {
    const error = new DeliveryTimeoutError({ channelId: "sms", timeoutMs: 30_000 });
    expect(error).toBeInstanceOf(RoomKitError);
    expect([error.name, error.code, error.channelId, error.timeoutMs]).toEqual([
      "DeliveryTimeoutError",
      "delivery_timeout",
      "sms",
      30_000,
    ]);
    expect(error.message).toBe("channel sms did not finish receiving within 30000 ms");
  });
});
