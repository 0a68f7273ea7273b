// TypeScript twins of the seed's snippets ("RealtimeVoiceChannel Configuration", "Tool Calling", "Session
// Lifecycle", "Hooks", "Access Control"); each runs against the real RoomKit and the mocks.
import { afterEach, expect, test } from "bun:test";
import { RoomKit } from "@roomkit/core";
import {
  HookTrigger,
  type RealtimeTranscriptionEvent,
  silentLogger,
  type ToolCallEvent,
  type VoiceSession,
  VoiceSessionState,
} from "@roomkit/spec";
import { MockRealtimeProvider, MockRealtimeTransport, MockVoiceBackend, settle, waitFor } from "@roomkit/testing";
import { RealtimeVoiceChannel } from "../index.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A mock-backed "voice" channel registered with `kit`, attached to a new room, with one started session. */
async function startVoiceSession(kit: RoomKit) {
  const provider = new MockRealtimeProvider();
  const transport = new MockRealtimeTransport();
  const channel = new RealtimeVoiceChannel("voice", { provider, transport, logger: silentLogger });
  kit.registerChannel(channel);
  const room = await kit.createRoom();
  await kit.attachChannel(room.id, "voice");
  const session = await channel.startSession(room.id, "user-1");
  return { provider, transport, channel, room, session };
}

async function myToolHandler(_session: VoiceSession, name: string, args: Record<string, unknown>) {
  return { name, args };
}

test("seed: Quick Start and RealtimeVoiceChannel Configuration", async () => {
  const provider = new MockRealtimeProvider();
  const transport = new MockVoiceBackend();
  const channel = new RealtimeVoiceChannel("voice-realtime", {
    provider, // RealtimeVoiceProvider
    transport, // VoiceBackend
    systemPrompt: "...", // AI instructions
    voice: "alloy", // Provider voice preset
    tools: [{ type: "function", name: "t", parameters: { type: "object" } }], // Tool definitions (JSON schema)
    temperature: 0.7, // Generation temperature
    inputSampleRate: 16000, // Audio from client
    outputSampleRate: 24000, // Audio to provider
    transportSampleRate: undefined, // Transport rate (auto-resamples if different)
    emitTranscriptionEvents: true, // Emit transcriptions as RoomEvents
    toolHandler: myToolHandler, // Tool execution callback
    muteOnToolCall: false, // Mute mic during tool execution
    toolResultMaxLength: 16384, // Truncate large tool results
    logger: silentLogger,
  });
  const kit = new RoomKit({ logger: silentLogger });
  kit.registerChannel(channel);
  cleanups.push(() => kit.close());
  const room = await kit.createRoom({ roomId: "room-1" });
  await kit.attachChannel(room.id, "voice-realtime");
  const session = await channel.startSession(room.id, "user-1");
  expect(provider.callsOf("connect")[0]!.args[1]).toMatchObject({
    systemPrompt: "...",
    voice: "alloy",
    temperature: 0.7,
    inputSampleRate: 16000,
    outputSampleRate: 24000,
  });
  expect(session.state).toBe(VoiceSessionState.ACTIVE);
});

test("seed: Tool Calling via toolHandler, with muteOnToolCall", async () => {
  const provider = new MockRealtimeProvider();
  const transport = new MockRealtimeTransport();
  async function handleTool(_session: VoiceSession, name: string, args: Record<string, unknown>) {
    if (name === "get_weather") {
      const city = (args.city as string | undefined) ?? "Unknown";
      return { temperature: 72, condition: "sunny", city };
    } else if (name === "search_knowledge") {
      return { results: ["Article 1", "Article 2"] };
    }
    return { error: `Unknown tool: ${name}` };
  }
  const channel = new RealtimeVoiceChannel("voice", {
    provider,
    transport,
    tools: [
      {
        type: "function",
        name: "get_weather",
        description: "Get current weather for a city",
        parameters: {
          type: "object",
          properties: { city: { type: "string", description: "City name" } },
          required: ["city"],
        },
      },
    ],
    toolHandler: handleTool,
    muteOnToolCall: true, // Prevent barge-in during tool execution
    logger: silentLogger,
  });
  cleanups.push(() => channel.close());
  const session = await channel.startSession("room-1", "user-1");
  await provider.simulateToolCall(session, "call-1", "get_weather", { city: "NYC" });
  await waitFor(() => provider.toolResults.length === 1);
  expect(JSON.parse(provider.toolResults[0]!.result)).toEqual({ temperature: 72, condition: "sunny", city: "NYC" });
  expect(transport.inputMuted.map((entry) => entry.muted)).toEqual([true, false]);
});

test("seed: Tool Calling via hooks (ON_REALTIME_TOOL_CALL sets event.metadata.result)", async () => {
  const fetchWeather = async (city: string) => ({ city, temperature: 18 });
  const kit = new RoomKit({ logger: silentLogger });
  cleanups.push(() => kit.close());

  kit.hook(HookTrigger.ON_REALTIME_TOOL_CALL, async (event: ToolCallEvent) => {
    if (event.metadata.name === "get_weather") {
      const result = await fetchWeather((event.metadata.arguments as { city: string }).city);
      event.metadata.result = result;
    }
  });

  const { provider, session } = await startVoiceSession(kit);
  await provider.simulateToolCall(session, "call-1", "get_weather", { city: "Lyon" });
  await waitFor(() => provider.toolResults.length === 1);
  expect(JSON.parse(provider.toolResults[0]!.result)).toEqual({ city: "Lyon", temperature: 18 });
});

test("seed: Session Lifecycle", async () => {
  const provider = new MockRealtimeProvider();
  const transport = new MockRealtimeTransport();
  const channel = new RealtimeVoiceChannel("voice", { provider, transport, logger: silentLogger });
  cleanups.push(() => channel.close());
  const webrtcId = "webrtc-123";
  const newTools = [{ name: "lookup_order" }];

  // Start a session
  const session = await channel.startSession("room-1", "user-1", {
    connection: webrtcId, // Transport-specific connection handle
    metadata: {
      system_prompt: "Override prompt", // Per-session override
      voice: "echo", // Per-session voice
    },
  });
  expect(session.state).toBe(VoiceSessionState.ACTIVE);
  expect(transport.callsOf("accept")[0]!.args[1]).toBe(webrtcId);
  expect(provider.callsOf("connect")[0]!.args[1]).toMatchObject({ systemPrompt: "Override prompt", voice: "echo" });

  // Reconfigure mid-conversation
  await channel.reconfigureSession(session.id, {
    systemPrompt: "New prompt",
    voice: "shimmer",
    tools: newTools,
    temperature: 0.5,
  });
  expect(provider.callsOf("reconfigure")[0]!.args[1]).toMatchObject({
    systemPrompt: "New prompt",
    voice: "shimmer",
    tools: newTools,
    temperature: 0.5,
  });

  // End session
  await channel.endSession(session.id);
  expect(session.state).toBe(VoiceSessionState.ENDED);
});

test("seed: Hooks (ON_TRANSCRIPTION, ON_SPEECH_START)", async () => {
  const kit = new RoomKit({ logger: silentLogger });
  cleanups.push(() => kit.close());
  const printed: string[] = [];

  kit.hook(HookTrigger.ON_TRANSCRIPTION, async (event: RealtimeTranscriptionEvent) => {
    // The seed prints f"[{event.metadata['role']}] {event.content.body}"; the TypeScript twin reads the same.
    printed.push(`[${event.metadata.role}] ${event.content.body}`);
  });
  kit.hook(
    HookTrigger.ON_SPEECH_START,
    async () => {
      printed.push("User started speaking");
    },
    { execution: "async" },
  );

  const { provider, session } = await startVoiceSession(kit);
  await provider.simulateSpeechStart(session);
  await waitFor(() => printed.length === 1);
  await provider.simulateTranscription(session, "Hello", { role: "user", isFinal: true });
  await waitFor(() => printed.length === 2);
  expect(printed).toEqual(["User started speaking", "[user] Hello"]);
});

test("seed: Access Control (revoked or muted ⇒ dropped; active ⇒ flows; checked every frame)", async () => {
  const kit = new RoomKit({ logger: silentLogger });
  cleanups.push(() => kit.close());
  const { provider, transport, room, session } = await startVoiceSession(kit);
  const frame = new Uint8Array(640).fill(3);
  await kit.setAccess(room.id, "voice", "none"); // Access revoked
  await transport.simulateClientAudio(session, frame);
  await kit.setAccess(room.id, "voice", "read_write");
  await kit.mute(room.id, "voice"); // Muted
  await transport.simulateClientAudio(session, frame);
  await kit.unmute(room.id, "voice"); // Active
  await transport.simulateClientAudio(session, frame);
  await settle(5);
  expect(provider.sentAudio).toHaveLength(1);
});
