// Issue 13 (provider fidelity) against the stricter Gemini fake: late input transcription, what the service refuses
// with 1007 (a first clientContent ending with the model, TEXT on native audio), manual VAD inside activities only.
import { afterEach, describe, expect, test } from "bun:test";
import { InvalidArgumentError } from "@roomkit/spec";
import { waitFor } from "@roomkit/testing";
import { CONNECT_DEFAULTS, createHarness, type Harness } from "./test-harness.ts";

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function open(options: Parameters<typeof createHarness>[0] = {}): Promise<Harness> {
  harness = await createHarness(options);
  return harness;
}

describe("fidelity to the service (issue 13)", () => {
  test("items 84, 86: speech → partial chunks (some after ACTIVITY_END), one user final at the turn's end before the assistant's; one response start/end; usage", async () => {
    const h = await open({
      fake: { transcripts: ["hello there"], voiceActivityEvents: true, lateInputTranscription: "never" },
    });
    h.speak();
    await h.waitFor("response_end");
    const kinds = h.events
      .filter((event) => event.type !== "audio")
      .map((event) =>
        event.type === "transcription"
          ? `${event.role}:${event.isFinal ? "final" : "partial"}:${event.text}`
          : event.type,
      );
    expect(kinds).toEqual([
      "speech_start",
      "user:partial:hello",
      "speech_end",
      "user:partial: there",
      "response_start",
      "assistant:partial:You",
      "assistant:partial: said:",
      "assistant:partial: hello",
      "assistant:partial: there",
      "user:final:hello there",
      "assistant:final:You said: hello there",
      "response_end",
    ]);
    expect(h.count("audio")).toBeGreaterThan(2);
    expect(h.provider.sessionStats("s1")!.turns).toBe(1);
    expect(h.session.lastUsage?.outputTokens).toBeGreaterThan(0);
    expect(h.provider.isResponding("s1")).toBe(false);
  });

  test("issue 13.4: late input transcription (after the reply began) ⇒ one user final per turn, before the assistant's", async () => {
    const h = await open({
      fake: { transcripts: ["one two three", "four five six"], lateInputTranscription: "always", pace: 4 },
    });
    for (let turn = 1; turn <= 2; turn++) {
      h.speak();
      await waitFor(() => h.events.filter((event) => event.type === "response_end").length === turn, {
        timeoutMs: 10_000,
      });
    }
    const finals = h.events
      .filter((event) => event.type === "transcription" && event.isFinal)
      .map((event) => (event.type === "transcription" ? `${event.role}: ${event.text}` : ""));
    expect(finals).toEqual([
      "user: one two three",
      "assistant: You said: one two three",
      "user: four five six",
      "assistant: You said: four five six",
    ]);
  });

  test("a disconnect mid-reply emits what was heard as finals, caller first (nothing held is dropped with the socket)", async () => {
    const h = await open({
      fake: { transcripts: ["please call me back tomorrow"], lateInputTranscription: "always", pace: 1 },
    });
    h.speak();
    await waitFor(() => h.events.some((event) => event.type === "transcription" && event.role === "assistant"), {
      timeoutMs: 10_000,
    });
    expect(h.events.some((event) => event.type === "transcription" && event.isFinal)).toBe(false);
    await h.provider.disconnect(h.session);
    const finals = h.events
      .filter((event) => event.type === "transcription" && event.isFinal)
      .map((event) => (event.type === "transcription" ? event.role : ""));
    expect(finals).toEqual(["user", "assistant"]);
    const userFinal = h.events.find(
      (event) => event.type === "transcription" && event.isFinal && event.role === "user",
    );
    expect(userFinal?.type === "transcription" && userFinal.text.length).toBeGreaterThan(0);
  });

  test("issue 13.5: an assistant injection first (a greeting) is not a first clientContent ending with a model turn", async () => {
    const h = await open();
    await h.provider.injectText(h.session, "Hello, how can I help?", { role: "assistant", silent: true });
    await h.provider.injectText(h.session, "the caller is Ada", { role: "system", silent: true });
    h.speak();
    await h.waitFor("response_end");
    expect(h.fake.connections[0]!.closed).toBe(false);
    const first = h.fake.received.find((entry) => entry.message.clientContent)!.message.clientContent!;
    expect(first.turns!.at(-1)!.role).toBe("user");
    expect(first.turns!.at(-1)!.parts![0]!.text).toBe("[Assistant previously said] Hello, how can I help?");
    expect(h.count("error")).toBe(0);
  });

  test("issue 13.5: TEXT responses on a native-audio model are refused at connect, naming the setting", async () => {
    const h = await open({ skipConnect: true });
    const error = await h.provider
      .connect(h.session, { ...CONNECT_DEFAULTS, providerConfig: { response_modalities: ["TEXT"] } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toContain("response_modalities");
    expect(h.fake.connections.length).toBe(0);
  });

  test("issue 13.6: manual VAD ⇒ audio goes out only inside activityStart…activityEnd, with a short pre-roll kept before", async () => {
    const h = await open({ connect: { serverVad: false } });
    await h.provider.startAudioStream(h.session); // the 20 ms of silence is not sent outside an activity
    const tagged = (id: number) => {
      const frame = new Uint8Array(640);
      new DataView(frame.buffer).setInt16(0, id, true);
      return frame;
    };
    for (let id = 1; id <= 30; id++) h.provider.sendAudio(h.session, tagged(id)); // 600 ms before the caller speaks
    await h.provider.sendActivityStart(h.session);
    for (let id = 31; id <= 40; id++) h.provider.sendAudio(h.session, tagged(id));
    await h.provider.sendActivityEnd(h.session);
    for (let id = 41; id <= 45; id++) h.provider.sendAudio(h.session, tagged(id)); // after the turn: held again
    await h.waitFor("response_end");
    const info = h.fake.connections[0]!;
    expect(info.audioOutsideActivity).toBe(0);
    const sent = h.fake.received
      .map((entry) => entry.message.realtimeInput?.audio?.data)
      .filter((data): data is string => data !== undefined)
      .map((data) => Buffer.from(data, "base64").readInt16LE(0));
    // The last 300 ms before activityStart (frames 16-30) open the turn, then the caller's frames.
    expect(sent).toEqual(Array.from({ length: 25 }, (_, index) => index + 16));
  });
});
