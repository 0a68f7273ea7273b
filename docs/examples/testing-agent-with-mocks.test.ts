import { afterEach, expect, test } from "bun:test";
import { RoomKit } from "@roomkit/core";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { HookResult, HookTrigger, type RealtimeTranscriptionEvent, silentLogger } from "@roomkit/spec";
import { MockRealtimeProvider, MockRealtimeTransport, waitFor } from "@roomkit/testing";

// The agent under test: what your application builds.
function createAgent() {
  const kit = new RoomKit({ logger: silentLogger });
  const provider = new MockRealtimeProvider();
  // Declare what your real transport does: a WebSocket client reports how much it played (playbackPosition).
  const transport = new MockRealtimeTransport({ capabilities: { playbackPosition: true, interrupt: true } });
  const channel = new RealtimeVoiceChannel("voice", {
    provider,
    transport,
    systemPrompt: "You are a booking assistant.",
    tools: [
      {
        name: "book_table",
        parameters: { type: "object", properties: { people: { type: "integer" } }, required: ["people"] },
      },
    ],
    toolHandler: async (_session, name, args) => ({ booked: name === "book_table", people: args.people }),
    logger: silentLogger,
  });
  kit.registerChannel(channel);
  // Redact card numbers from what is stored and shown.
  kit.hook(HookTrigger.ON_TRANSCRIPTION, (event: RealtimeTranscriptionEvent) =>
    HookResult.modify({ ...event, text: event.text.replace(/\d{12,19}/g, "[card]") }),
  );
  return { kit, provider, transport, channel };
}

let agent: ReturnType<typeof createAgent>;
afterEach(() => agent.kit.close()); // closes the channel, its sessions, the provider and the transport

test("the agent configures the provider, answers tools and redacts transcripts", async () => {
  agent = createAgent();
  const { kit, provider, transport, channel } = agent;
  await kit.createRoom({ roomId: "room-1" });
  await kit.attachChannel("room-1", "voice");
  const session = await channel.startSession("room-1", "caller", { connection: "test-connection" });

  // What the provider was asked for.
  const [connect] = provider.callsOf("connect");
  expect(connect!.args[1]).toMatchObject({ systemPrompt: "You are a booking assistant.", inputSampleRate: 16000 });

  // The caller speaks: audio reaches the provider.
  await transport.simulateClientAudio(session, new Uint8Array(640));
  expect(provider.sentAudio).toHaveLength(1);

  // The model transcribes and calls a tool; the handler's result is submitted for that call id. Tool results, hooks
  // and stored events happen beside the audio path: waitFor polls for them and fails with a timeout error.
  await provider.simulateTranscription(session, "my card is 4111111111111111", { role: "user" });
  await provider.simulateToolCall(session, "call-1", "book_table", { people: 4 });
  await waitFor(() => provider.toolResults.length === 1);
  expect(JSON.parse(provider.toolResults[0]!.result)).toEqual({ booked: true, people: 4 });

  // Invalid arguments never reach the handler: the model gets an error result instead.
  await provider.simulateToolCall(session, "call-2", "book_table", { people: "four" });
  await waitFor(() => provider.toolResults.length === 2);
  expect(provider.toolResults[1]!.result).toContain("Invalid arguments");

  // The client saw the redacted transcript, and the room stored it.
  expect(transport.messagesOfType("transcription").map((message) => message.text)).toEqual(["my card is [card]"]);
  const texts = async () =>
    (await kit.getTimeline("room-1")).filter((event) => event.content.type === "text").map((event) => event.content);
  await waitFor(async () => (await texts()).length > 0);
  expect(await texts()).toEqual([{ type: "text", body: "my card is [card]" }]);
});

test("barge-in: the reply stops at once and the provider truncates what was not heard", async () => {
  agent = createAgent();
  const { provider, transport, channel } = agent;
  const session = await channel.startSession("room-1", "caller");

  await provider.simulateResponseStart(session);
  await provider.simulateAudio(session, new Uint8Array(24_000 * 2)); // one second of reply at 24 kHz
  await transport.simulatePlaybackPosition(session, { playedMs: 400, source: "client" }); // the caller heard 400 ms
  await provider.simulateSpeechStart(session); // ...and talks over the rest

  expect(transport.messagesOfType("clear_audio")).toHaveLength(1);
  expect(provider.callsOf("truncateAudio").map((call) => call.args[1])).toEqual([400]);
  expect(session.metrics.bargeIns).toBe(1);
});

test("a provider that fails for good ends the session", async () => {
  agent = createAgent();
  const { provider, transport, channel } = agent;
  const session = await channel.startSession("room-1", "caller");

  await provider.simulateError(session, "connection_lost", "socket closed", { recoverable: false });
  await waitFor(() => session.isEnded);
  expect(transport.messagesOfType("session_ended")[0]).toMatchObject({ reason: "provider_error" });
});
