import { describe, expect, test } from "bun:test";
import {
  ChannelType,
  createRecordingLogger,
  InvalidArgumentError,
  LOGGER_ACCEPTED,
  RoomKitConfigError,
  silentLogger,
  systemClock,
} from "@roomkit/spec";
import { Channel } from "../channels/channel.ts";
import { HookEngine } from "../hooks/hook-engine.ts";
import { HookRegistry } from "../hooks/hook-registry.ts";
import { KeyedAsyncLock } from "../locks/keyed-async-lock.ts";
import { RoomKit } from "../room-kit.ts";
import { MemoryConversationStore } from "../store/memory-store.ts";
import { SqliteConversationStore } from "../store/sqlite-store.ts";

const bad = <T>(value: unknown) => value as T;

/** The RoomKitConfigError `construct` throws (fails the test on any other outcome). */
function configError(construct: () => unknown): RoomKitConfigError {
  try {
    construct();
  } catch (error) {
    if (error instanceof RoomKitConfigError) return error;
    throw new Error(`expected RoomKitConfigError, got ${String(error)}`);
  }
  throw new Error("expected the constructor to throw");
}

class NamedChannel extends Channel {
  readonly channelType = ChannelType.WEBSOCKET;
}

describe("every public constructor validates its options through parseOptions (RoomKitConfigError)", () => {
  test("RoomKit: names the field, the problem and the accepted values", () => {
    const error = configError(() => new RoomKit({ recentEventsLimit: -1 }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.code).toBe("invalid_config");
    expect([error.component, error.field]).toEqual(["RoomKit", "recentEventsLimit"]);
    expect(error.message).toBe(
      'RoomKit: option "recentEventsLimit": Too small: expected number to be >=0 (accepted: an integer in [0, 10000])',
    );
    expect(configError(() => new RoomKit(bad({ store: {} }))).message).toStartWith(
      'RoomKit: option "store": expected a ConversationStore (accepted: a MemoryConversationStore',
    );
    expect(configError(() => new RoomKit(bad({ clock: 5 }))).field).toBe("clock");
    expect(configError(() => new RoomKit(bad({ logger: console.log }))).field).toBe("logger");
    expect(configError(() => new RoomKit({ deliveryTimeoutMs: 0 })).field).toBe("deliveryTimeoutMs");
    expect(configError(() => new RoomKit(bad("memory"))).field).toBe("");
    expect(() => new RoomKit({ logger: silentLogger, store: new MemoryConversationStore() })).not.toThrow();
  });

  test("RoomKit logger: spec's one check (all four methods); warn-only is refused, console is accepted", () => {
    const noop = () => {};
    for (const partial of [{ warn: noop }, { warn: noop, error: noop }, { debug: noop, info: noop, warn: noop }]) {
      const error = configError(() => new RoomKit(bad({ logger: partial })));
      expect([error.component, error.field, error.accepted]).toEqual(["RoomKit", "logger", LOGGER_ACCEPTED]);
      expect(error.message).toContain('option "logger": expected a Logger');
    }
    for (const logger of [console, silentLogger, createRecordingLogger()]) {
      expect(() => new RoomKit({ logger })).not.toThrow();
    }
  });

  test("SqliteConversationStore: path", () => {
    const error = configError(() => new SqliteConversationStore({ path: "" }));
    expect([error.component, error.field, error.accepted]).toEqual([
      "SqliteConversationStore",
      "path",
      'a file path or ":memory:"',
    ]);
    expect(error.message).toBe(
      'SqliteConversationStore: option "path": Too small: expected string to have >=1 characters (accepted: a file path or ":memory:")',
    );
    expect(configError(() => new SqliteConversationStore(bad({ path: 7 }))).field).toBe("path");
    const missing = configError(() => new SqliteConversationStore(bad(undefined)));
    expect(missing.field).toBe("");
    expect(missing.message).toStartWith("SqliteConversationStore: options: ");
  });

  test("KeyedAsyncLock: reentrant.maxDepth", () => {
    const error = configError(() => new KeyedAsyncLock({ reentrant: { maxDepth: 0 } }));
    expect([error.component, error.field]).toEqual(["KeyedAsyncLock", "reentrant.maxDepth"]);
    expect(error.message).toContain("(accepted: an integer ≥ 1)");
    expect(() => new KeyedAsyncLock({ reentrant: { maxDepth: 5 } })).not.toThrow();
    expect(() => new KeyedAsyncLock()).not.toThrow();
  });

  test("HookEngine: each collaborator is checked", () => {
    const valid = {
      registry: new HookRegistry(),
      clock: systemClock,
      logger: silentLogger,
      buildContext: () => Promise.reject(new Error("unused")),
      emit: () => undefined,
    };
    expect(() => new HookEngine(valid)).not.toThrow();
    const registry = configError(() => new HookEngine(bad({ ...valid, registry: {} })));
    expect([registry.component, registry.field]).toEqual(["HookEngine", "registry"]);
    expect(registry.message).toBe('HookEngine: option "registry": expected a HookRegistry');
    expect(configError(() => new HookEngine(bad({ ...valid, emit: "x" }))).field).toBe("emit");
  });

  test("Channel subclasses: channelId, reported under the subclass's name", () => {
    const error = configError(() => new NamedChannel(""));
    expect([error.component, error.field]).toEqual(["NamedChannel", "channelId"]);
    expect(error.message).toContain("(accepted: a non-empty string)");
    expect(configError(() => new NamedChannel(bad(42))).field).toBe("channelId");
    expect(new NamedChannel("ok").channelId).toBe("ok");
  });
});
