import { describe, expect, test } from "bun:test";
import { UnsupportedOperationError } from "../errors/unsupported-operation-error.ts";
import { VoiceSession } from "../session/voice-session.ts";
import { VoiceSessionState } from "../session/voice-session-state.ts";
import { silentLogger } from "../util/logger.ts";
import type { ProviderConnectOptions } from "./provider-options.ts";
import { RealtimeVoiceProvider } from "./realtime-voice-provider.ts";

class RecordingProvider extends RealtimeVoiceProvider {
  readonly name = "RecordingProvider";
  readonly calls: Array<{ method: string; options?: ProviderConnectOptions }> = [];
  constructor() {
    super({ logger: silentLogger });
  }
  async connect(session: VoiceSession, options: ProviderConnectOptions) {
    this.calls.push({ method: "connect", options });
    session.state = VoiceSessionState.ACTIVE;
  }
  sendAudio() {}
  async injectText() {}
  async submitToolResult() {}
  async interrupt() {}
  async disconnect(session: VoiceSession) {
    this.calls.push({ method: "disconnect" });
    session.state = VoiceSessionState.ENDED;
  }
  emitAudio(session: VoiceSession, audio: Uint8Array) {
    return this.fireAudio(session, audio);
  }
}

const session = () => new VoiceSession({ id: "s", roomId: "r", participantId: "p", channelId: "c" });

describe("RealtimeVoiceProvider base", () => {
  test("default reconfigure disconnects, renegotiates and reconnects with the complete options", async () => {
    const provider = new RecordingProvider();
    const voiceSession = session();
    const options: ProviderConnectOptions = {
      systemPrompt: "a",
      inputSampleRate: 24000,
      outputSampleRate: 24000,
      serverVad: false,
    };
    await provider.connect(voiceSession, options);
    await provider.reconfigure(voiceSession, { ...options, systemPrompt: "b" });
    expect(provider.calls.map((call) => call.method)).toEqual(["connect", "disconnect", "connect"]);
    expect(provider.calls[2]!.options).toMatchObject({ systemPrompt: "b", inputSampleRate: 24000, serverVad: false });
    expect(voiceSession.isActive).toBe(true);
  });

  test("callbacks registered with onAudio receive fired audio, and unsubscribe works", () => {
    const provider = new RecordingProvider();
    const received: number[] = [];
    const off = provider.onAudio((_session, audio) => {
      received.push(audio.length);
    });
    provider.emitAudio(session(), new Uint8Array(4));
    off();
    provider.emitAudio(session(), new Uint8Array(8));
    expect(received).toEqual([4]);
  });

  test("optional operations have safe defaults", async () => {
    const provider = new RecordingProvider();
    await expect(provider.injectImage(session(), new Uint8Array(1))).rejects.toBeInstanceOf(UnsupportedOperationError);
    await expect(provider.sendEvent(session(), {})).rejects.toBeInstanceOf(UnsupportedOperationError);
    await provider.truncateAudio(session(), 100);
    expect(provider.isResponding("s")).toBe(false);
    expect(provider.supportsMidSessionReconfigure).toBe(true);
    expect(provider.modelName).toBe("RecordingProvider");
  });
});
