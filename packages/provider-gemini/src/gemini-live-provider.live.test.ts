// Runs against the real Gemini Live API only when GEMINI_API_KEY is set (`bun run test:live`); excluded from CI.
import { expect, test } from "bun:test";
import { silentLogger, VoiceSession, VoiceSessionState } from "@roomkit/spec";
import { waitFor } from "@roomkit/testing";
import { GeminiLiveProvider } from "./gemini-live-provider.ts";

const apiKey = process.env.GEMINI_API_KEY;

test.skipIf(!apiKey)(
  "live: connect, ask by text, receive audio and a transcript, resume after reconfigure",
  async () => {
    const provider = new GeminiLiveProvider({ apiKey, logger: silentLogger });
    const session = new VoiceSession({ id: "live-1", roomId: "r", participantId: "p", channelId: "c" });
    let audioBytes = 0;
    const transcripts: string[] = [];
    let responseEnds = 0;
    provider.onAudio((_s, audio) => void (audioBytes += audio.byteLength));
    provider.onTranscription(
      (_s, text, role, isFinal) => void (isFinal && role === "assistant" && transcripts.push(text)),
    );
    provider.onResponseEnd(() => void responseEnds++);
    try {
      await provider.connect(session, {
        inputSampleRate: 16000,
        outputSampleRate: 24000,
        serverVad: true,
        systemPrompt: "Answer in one short sentence.",
        voice: "Kore",
      });
      expect(session.state).toBe(VoiceSessionState.ACTIVE);
      await provider.injectText(session, "Say hello to the RoomKit test suite.");
      await waitFor(() => responseEnds > 0, { timeoutMs: 30_000, intervalMs: 100, label: "the first live reply" });
      expect(audioBytes).toBeGreaterThan(0);
      expect(transcripts.length).toBeGreaterThan(0);
      await provider.reconfigure(session, {
        inputSampleRate: 16000,
        outputSampleRate: 24000,
        serverVad: true,
        systemPrompt: "You are a billing specialist. Answer in one short sentence.",
        voice: "Puck",
      });
      expect(provider.sessionStats(session.id)?.reconnects).toBe(1);
      expect(session.state).toBe(VoiceSessionState.ACTIVE);
    } finally {
      await provider.disconnect(session);
    }
  },
  60_000,
);
