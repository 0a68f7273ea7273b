// Runs against the real OpenAI Realtime API only when OPENAI_API_KEY is set; skipped otherwise, excluded from CI.
// Same flows as the fake tests: session.update accepted, text → audio + transcript, interrupt + truncate,
// a tool call answered, in-band reconfigure.
import { expect, test } from "bun:test";
import { silentLogger, VoiceSession, VoiceSessionState } from "@roomkit/spec";
import { waitFor as waitUntil } from "@roomkit/testing";
import { OpenAIRealtimeProvider } from "./openai-realtime-provider.ts";

const apiKey = process.env.OPENAI_API_KEY;

test.skipIf(!apiKey)(
  "live: connect, text → audio and transcript, interrupt + truncate, tool call, reconfigure",
  async () => {
    const provider = new OpenAIRealtimeProvider({ apiKey, logger: silentLogger });
    const session = new VoiceSession({ id: "live-1", roomId: "r", participantId: "p", channelId: "c" });
    let audioBytes = 0;
    let responseEnds = 0;
    const transcripts: string[] = [];
    const errors: string[] = [];
    const calls: Array<{ callId: string; name: string }> = [];
    provider.onAudio((_session, audio) => void (audioBytes += audio.byteLength));
    provider.onTranscription(
      (_session, text, role, isFinal) => void (isFinal && role === "assistant" && transcripts.push(text)),
    );
    provider.onResponseEnd(() => void responseEnds++);
    provider.onError((_session, error) => void errors.push(`${error.code}: ${error.message}`));
    provider.onToolCall((_session, callId, name) => void calls.push({ callId, name }));
    // Live replies take seconds: poll every 100 ms for up to 30 s; a timeout fails with what was awaited.
    const waitFor = (condition: () => boolean) => waitUntil(condition, { timeoutMs: 30_000, intervalMs: 100 });
    try {
      await provider.connect(session, {
        inputSampleRate: 24000,
        outputSampleRate: 24000,
        serverVad: true,
        systemPrompt: "Answer in one short sentence.",
        voice: "marin",
        tools: [{ name: "get_time", description: "Current time", parameters: { type: "object", properties: {} } }],
      });
      expect(session.state).toBe(VoiceSessionState.ACTIVE);
      await provider.injectText(session, "Say hello to the RoomKit test suite.");
      await waitFor(() => responseEnds >= 1);
      expect(audioBytes).toBeGreaterThan(0);
      expect(transcripts.length).toBeGreaterThan(0);

      await provider.injectText(session, "Count slowly from one to thirty.");
      await waitFor(() => audioBytes > 200_000 || responseEnds >= 2);
      await provider.interrupt(session);
      await provider.truncateAudio(session, 500);
      await waitFor(() => responseEnds >= 2);

      await provider.injectText(session, "What time is it? Use the get_time tool.");
      await waitFor(() => calls.length > 0);
      expect(calls[0]!.name).toBe("get_time");
      await waitFor(() => responseEnds >= 3);
      await provider.submitToolResult(session, calls[0]!.callId, JSON.stringify({ time: "12:00" }));
      await waitFor(() => responseEnds >= 4);

      await provider.reconfigure(session, {
        inputSampleRate: 24000,
        outputSampleRate: 24000,
        serverVad: true,
        systemPrompt: "You are a billing specialist. Answer in one short sentence.",
        voice: "marin",
      });
      expect(errors).toEqual([]);
      expect(session.state).toBe(VoiceSessionState.ACTIVE);
    } finally {
      await provider.disconnect(session);
    }
  },
  120_000,
);
