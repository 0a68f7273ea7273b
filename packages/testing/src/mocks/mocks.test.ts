import { expect, test } from "bun:test";
import { VoiceSession, VoiceSessionState } from "@roomkit/spec";
import { MockRealtimeProvider } from "./mock-realtime-provider.ts";
import { MockRealtimeTransport, MockVoiceBackend } from "./mock-realtime-transport.ts";
import { callsOf } from "./recorded-call.ts";

const session = () => new VoiceSession({ id: "s1", roomId: "r", participantId: "p", channelId: "c" });

test("MockRealtimeProvider records typed calls and plays the model's side in order", async () => {
  const provider = new MockRealtimeProvider({ model: "mock-model" });
  const events: string[] = [];
  provider.onTranscription((_s, text, role, isFinal) => void events.push(`${role}:${text}:${isFinal}`));
  provider.onToolCall((_s, callId, name, args) => void events.push(`${callId}:${name}:${JSON.stringify(args)}`));
  provider.onError((_s, error) => void events.push(`${error.code}:${error.recoverable}`));
  const voice = session();
  await provider.connect(voice, {
    inputSampleRate: 16000,
    outputSampleRate: 24000,
    serverVad: true,
    systemPrompt: "p",
  });
  expect(voice.state).toBe(VoiceSessionState.ACTIVE);
  expect(voice.providerSessionId).toBe("mock-s1");
  provider.sendAudio(voice, new Uint8Array(4));
  await provider.injectText(voice, "hi", { role: "system", silent: true });
  await provider.submitToolResult(voice, "c1", "{}");
  await provider.simulateTranscription(voice, "Hello");
  await provider.simulateToolCall(voice, "c2", "get_weather");
  await provider.simulateError(voice, "boom", "bad", { recoverable: false });
  expect(events).toEqual(["assistant:Hello:true", "c2:get_weather:{}", "boom:false"]);
  expect(provider.modelName).toBe("mock-model");
  expect(provider.sentAudio).toHaveLength(1);
  expect(provider.injectedTexts).toEqual([{ sessionId: "s1", text: "hi", role: "system", silent: true }]);
  expect(provider.toolResults).toEqual([{ sessionId: "s1", callId: "c1", result: "{}" }]);
  const connect = provider.callsOf("connect")[0]!;
  expect(connect.args[1].systemPrompt).toBe("p");
  expect(callsOf(provider.calls, "sendAudio")).toHaveLength(1);
  provider.clearRecordings();
  expect(provider.calls).toHaveLength(0);
});

test("MockRealtimeTransport records sent audio/messages/mutes; MockVoiceBackend keeps the seed's spellings", async () => {
  const transport = new MockVoiceBackend({ acceptResult: { sampleRate: 8000 } });
  expect(transport).toBeInstanceOf(MockRealtimeTransport);
  expect(transport.name).toBe("MockVoiceBackend");
  const voice = session();
  expect(await transport.accept(voice, "conn")).toEqual({ sampleRate: 8000 });
  const heard: number[] = [];
  transport.onAudioReceived((_s, audio) => void heard.push((audio as Uint8Array).byteLength));
  await transport.simulateAudioReceived(voice, new Uint8Array(6));
  transport.sendAudio(voice, new Uint8Array(2));
  transport.sendMessage(voice, { type: "clear_audio" });
  transport.setInputMuted(voice, true);
  expect(heard).toEqual([6]);
  expect(transport.sentAudio).toHaveLength(1);
  expect(transport.messagesOfType("clear_audio")).toHaveLength(1);
  expect(transport.inputMuted).toEqual([{ sessionId: "s1", muted: true }]);
  expect(transport.acceptedSessionIds).toEqual(["s1"]);
  await transport.disconnect(voice);
  expect(transport.acceptedSessionIds).toEqual([]);
});
