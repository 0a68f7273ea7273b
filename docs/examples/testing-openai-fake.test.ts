import { afterEach, expect, test } from "bun:test";
import { RoomKit } from "@roomkit/core";
import { OpenAIRealtimeProvider } from "@roomkit/provider-openai";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { silentLogger, type VoiceSession } from "@roomkit/spec";
import { callerAudioFrames, createOpenAIRealtimeFake, MockRealtimeTransport, waitFor } from "@roomkit/testing";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

test("a spoken turn end to end: real provider, fake OpenAI server, mock caller", async () => {
  // The fake speaks the GA Realtime protocol on 127.0.0.1: server VAD on the audio's energy, transcripts you queue,
  // replies from a "brain" (default: "You said: <text>", or a tool call when the text names a declared tool).
  const fake = await createOpenAIRealtimeFake({ speed: "instant" });
  cleanups.push(() => fake.close());

  const kit = new RoomKit({ logger: silentLogger });
  cleanups.push(() => kit.close());
  const provider = new OpenAIRealtimeProvider({ apiKey: "sk-test", baseUrl: fake.baseUrl, logger: silentLogger });
  const transport = new MockRealtimeTransport();
  const toolCalls: string[] = [];
  const channel = new RealtimeVoiceChannel("voice", {
    provider,
    transport,
    tools: [{ name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } }],
    toolHandler: (_session, name, args) => {
      toolCalls.push(`${name}(${JSON.stringify(args)})`);
      return { forecast: "sunny" };
    },
    logger: silentLogger,
  });
  kit.registerChannel(channel);
  await kit.createRoom({ roomId: "room-1" });
  await kit.attachChannel("room-1", "voice");
  const session = await channel.startSession("room-1", "caller");

  const speak = async (session: VoiceSession, transcript: string) => {
    fake.queueTranscripts(transcript); // what the fake "hears" in the next audio turn
    for (const frame of callerAudioFrames({ durationMs: 400, sampleRate: 16000 })) {
      await transport.simulateClientAudio(session, frame);
    }
    for (const frame of callerAudioFrames({ durationMs: 800, sampleRate: 16000, silent: true })) {
      await transport.simulateClientAudio(session, frame);
    }
  };
  const finals = (role: "user" | "assistant") =>
    transport
      .messagesOfType("transcription")
      .filter((message) => message.is_final && message.role === role)
      .map((message) => message.text);

  // 1. Speech in, transcript and reply out; the caller gets the assistant's audio.
  await speak(session, "hello there");
  // (The user's transcript may arrive after the reply's, as with the real API.)
  await waitFor(() => finals("assistant").includes("You said: hello there") && finals("user").length === 1);
  expect(finals("user")).toEqual(["hello there"]);
  expect(transport.sentAudio.length).toBeGreaterThan(0);

  // The session as the server sees it: the channel resampled the 16 kHz caller to the 24 kHz OpenAI takes.
  expect(fake.session()?.audio.input.format).toEqual({ type: "audio/pcm", rate: 24000 });

  // 2. A marker in the transcript makes the fake call the tool with these arguments.
  await waitFor(() => !fake.isResponding());
  await speak(session, '[[call:get_weather {"city":"Paris"}]]');
  await waitFor(() => toolCalls.length === 1);
  expect(toolCalls).toEqual(['get_weather({"city":"Paris"})']);
  const output = await fake.waitForClientEvent((event) => event.type === "conversation.item.create", {
    includePast: true,
  });
  expect(JSON.stringify(output.event)).toContain("sunny");
});
