import { describe, expect, test } from "bun:test";
import { createRecordingLogger, LOGGER_ACCEPTED, RoomKitConfigError, silentLogger } from "@roomkit/spec";
import { WebSocketRealtimeTransport, type WebSocketRealtimeTransportOptions } from "./websocket-realtime-transport.ts";

function configError(options: unknown): RoomKitConfigError {
  try {
    new WebSocketRealtimeTransport(options as WebSocketRealtimeTransportOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(RoomKitConfigError);
    return error as RoomKitConfigError;
  }
  throw new Error("expected the constructor to throw");
}

describe("WebSocketRealtimeTransport options", () => {
  test("valid options are taken", () => {
    const transport = new WebSocketRealtimeTransport({
      audioFormat: "binary",
      maxFrameBytes: 1024,
      maxBufferedBytes: 0,
      rejectCloseCode: 1008,
      authenticate: () => ({}),
      logger: createRecordingLogger(),
    });
    expect(transport.audioFormat).toBe("binary");
    expect(transport.maxFrameBytes).toBe(1024);
  });

  test("an unknown audioFormat names the field and the accepted values", () => {
    const error = configError({ audioFormat: "mp3" });
    expect(error.component).toBe("WebSocketRealtimeTransport");
    expect(error.field).toBe("audioFormat");
    expect(error.message).toContain('option "audioFormat"');
    expect(error.message).toContain('expected one of "base64_json"|"binary"');
  });

  test.each([
    ["maxFrameBytes", 0],
    ["maxFrameBytes", 1.5],
    ["maxBufferedBytes", -1],
    ["maxQueuedAudioBytes", "big"],
    ["rejectCloseCode", 999],
    ["rejectCloseCode", 5000],
    ["maxWarningsPerKind", -2],
    ["playbackReports", "yes"],
    ["authenticate", "token"],
    ["logger", console.log],
  ])("%s = %p is refused with RoomKitConfigError naming the field", (field, value) => {
    const error = configError({ [field]: value });
    expect(error.field).toBe(field);
    expect(error.accepted).toBeString();
    expect(error.message).toContain(`option "${field}"`);
  });

  test.each([
    ["a function", console.log],
    ["null", null],
    ["an object with warn only (the transport also calls debug)", { warn() {} }],
    ["a Logger whose error is not a function", { debug() {}, info() {}, warn() {}, error: "stderr" }],
  ])("logger = %s is refused with RoomKitConfigError naming the field and what a Logger is", (_, logger) => {
    const error = configError({ logger });
    expect(error.field).toBe("logger");
    expect(error.accepted).toBe(LOGGER_ACCEPTED);
    expect(error.accepted).toStartWith("a Logger ({ debug, info, warn, error })");
    expect(error.message).toContain('option "logger": expected a Logger');
  });

  test("console and spec's loggers are accepted as loggers", () => {
    expect(() => new WebSocketRealtimeTransport({ logger: console })).not.toThrow();
    expect(() => new WebSocketRealtimeTransport({ logger: silentLogger })).not.toThrow();
  });

  test("options that are not an object are refused", () => {
    expect(configError(42).field).toBe("");
  });
});
