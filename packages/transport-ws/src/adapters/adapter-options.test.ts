import { describe, expect, test } from "bun:test";
import { LOGGER_ACCEPTED, RoomKitConfigError } from "@roomkit/spec";
import { createBunWebSocketAdapter } from "./bun-adapter.ts";
import { attachWsServer, type WsLikeServer } from "./ws-adapter.ts";

const server: WsLikeServer = { on: () => undefined };

function refused(run: () => unknown): RoomKitConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RoomKitConfigError);
    return error as RoomKitConfigError;
  }
  throw new Error("expected RoomKitConfigError");
}

describe("adapter options", () => {
  test("valid options are taken", () => {
    expect(
      createBunWebSocketAdapter({ onConnection: () => {}, maxPayloadBytes: 1024 }).websocket.maxPayloadLength,
    ).toBe(1024);
    expect(typeof attachWsServer(server, { onConnection: () => {} })).toBe("function");
  });

  test("createBunWebSocketAdapter names a bad field", () => {
    const error = refused(() => createBunWebSocketAdapter({ maxPayloadBytes: -1 }));
    expect(error.component).toBe("createBunWebSocketAdapter");
    expect(error.field).toBe("maxPayloadBytes");
    expect(refused(() => createBunWebSocketAdapter({ onConnection: "start" as never })).field).toBe("onConnection");
  });

  test("attachWsServer requires onConnection and names bad fields", () => {
    const missing = refused(() => attachWsServer(server, {} as never));
    expect(missing.field).toBe("onConnection");
    expect(missing.accepted).toContain("(connection) =>");
    expect(refused(() => attachWsServer(server, { onConnection: () => {}, maxPendingMessages: 0 })).field).toBe(
      "maxPendingMessages",
    );
  });

  test("a logger without every Logger method is refused by both adapters", () => {
    const warnOnly = { warn() {} } as never;
    const bun = refused(() => createBunWebSocketAdapter({ logger: warnOnly }));
    expect([bun.field, bun.accepted]).toEqual(["logger", LOGGER_ACCEPTED]);
    expect(refused(() => attachWsServer(server, { onConnection: () => {}, logger: warnOnly })).field).toBe("logger");
    expect(() => attachWsServer(server, { onConnection: () => {}, logger: console })).not.toThrow();
  });
});
