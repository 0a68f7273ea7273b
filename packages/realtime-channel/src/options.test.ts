import { describe, expect, test } from "bun:test";
import { InvalidArgumentError, RoomKitConfigError } from "@roomkit/spec";
import { MockRealtimeProvider, MockRealtimeTransport } from "@roomkit/testing";
import { RealtimeVoiceChannel } from "./index.ts";

const provider = new MockRealtimeProvider();
const transport = new MockRealtimeTransport();

function refusal(build: () => unknown): RoomKitConfigError {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(RoomKitConfigError);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return error as RoomKitConfigError;
  }
  throw new Error("expected a RoomKitConfigError");
}

describe("constructor options are validated one way (parseOptions + zod)", () => {
  test("a bad sample rate names the field and the accepted values", () => {
    const error = refusal(() => new RealtimeVoiceChannel("voice", { provider, transport, inputSampleRate: 200_000 }));
    expect(error.component).toBe("RealtimeVoiceChannel");
    expect(error.field).toBe("inputSampleRate");
    expect(error.accepted).toBe("a positive integer sample rate, at most 192000");
    expect(error.message).toContain('option "inputSampleRate"');
  });

  test.each([
    ["maxOutboundQueue", 0, "a positive integer"],
    ["levelIntervalMs", "100", "a positive integer"],
    ["temperature", Number.NaN, "a finite number"],
    ["muteOnToolCall", "yes", "true | false"],
    ["tools", [{ name: "" }], "a list of tool definitions, each with a non-empty name"],
  ])("%s = %p is refused with accepted %p", (field, value, accepted) => {
    const error = refusal(() => new RealtimeVoiceChannel("voice", { provider, transport, [field]: value }));
    expect(error.field.startsWith(field)).toBe(true);
    if (error.field === field) expect(error.accepted).toBe(accepted);
  });

  test("a missing transport, a non-function toolHandler and an empty channel id are config errors", () => {
    expect(refusal(() => new RealtimeVoiceChannel("voice", { provider } as never)).field).toBe("transport");
    const handler = refusal(() => new RealtimeVoiceChannel("voice", { provider, transport, toolHandler: 3 as never }));
    expect(handler.field).toBe("toolHandler");
    expect(refusal(() => new RealtimeVoiceChannel("", { provider, transport })).field).toBe("channelId");
  });

  test("valid options (null transportSampleRate included) construct a channel", () => {
    const channel = new RealtimeVoiceChannel("voice", { provider, transport, transportSampleRate: null as never });
    expect(channel.channelId).toBe("voice");
  });
});
