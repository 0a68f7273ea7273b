import { afterEach, describe, expect, test } from "bun:test";
import { VoiceSessionState } from "@roomkit/spec";
import { OpenAIRealtimeProvider } from "./openai-realtime-provider.ts";
import { CallbackRecorder, clientEvents, connectToFake, type Harness, speak } from "./test-harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("fixes over the original (§9.1 items 1, 2, 7)", () => {
  test("parallel tool results: response.create is sequenced, no conversation_already_has_active_response", async () => {
    harness = await connectToFake({ fake: { speed: 4 } });
    const { fake, provider, session, recorder } = harness;
    await provider.injectText(session, "start");
    await recorder.waitFor("response-start");
    await Promise.all([
      provider.submitToolResult(session, "call_a", "1"),
      provider.submitToolResult(session, "call_b", "2"),
      provider.submitToolResult(session, "call_c", "3"),
    ]);
    await recorder.waitFor("response-end", () => true, 2);
    await Bun.sleep(20);
    expect(fake.connections[0]!.sent.filter((entry) => entry.event.type === "error")).toEqual([]);
    expect(clientEvents(fake, "response.create")).toHaveLength(2);
    expect(clientEvents(fake, "conversation.item.create")).toHaveLength(4);
  });

  test("conversation_already_has_active_response from a server-started response is non-fatal and retried", async () => {
    harness = await connectToFake({ fake: { speed: 2, transcripts: ["hi"] } });
    const { fake, provider, session, recorder } = harness;
    fake.faults.delayEvent("response.created", 150);
    speak(provider, session, 300, 600);
    await fake.waitForServerEvent((event) => event.type === "input_audio_buffer.committed", { includePast: true });
    await provider.submitToolResult(session, "call_z", "ok");
    await recorder.waitFor("response-end", () => true, 2);
    const errors = fake.connections[0]!.sent.filter((entry) => entry.event.type === "error");
    expect(errors.map((entry) => (entry.event as any).error.code)).toEqual([
      "conversation_already_has_active_response",
    ]);
    expect(recorder.of("error")).toHaveLength(0);
    expect(session.state).toBe(VoiceSessionState.ACTIVE);
  });

  test("the seed's Quick Start rates: 16 kHz is not accepted, the channel resamples to 24 kHz", () => {
    const provider = new OpenAIRealtimeProvider({ apiKey: "k" });
    expect(provider.capabilities.inputSampleRates).not.toContain(16000);
    expect(provider.capabilities.inputSampleRates).toContain(24000);
    expect(new CallbackRecorder(provider).events).toEqual([]);
  });
});
