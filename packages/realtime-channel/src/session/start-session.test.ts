import { afterEach, describe, expect, test } from "bun:test";
import { InvalidArgumentError, VoiceSessionState } from "@roomkit/spec";
import { MockRealtimeProvider, MockRealtimeTransport, settle } from "@roomkit/testing";
import { RealtimeVoiceChannel } from "../index.ts";
import { createHarness, type Harness, pcmFrame } from "../test-support/harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const _calls = (harnessValue: Harness, method: string) => [
  ...harnessValue.provider.calls.filter((call) => call.method === method),
  ...harnessValue.transport.calls.filter((call) => call.method === method),
];

describe("constructor (§8.1)", () => {
  const provider = new MockRealtimeProvider();
  const transport = new MockRealtimeTransport();
  test.each([
    ["inputSampleRate", 0],
    ["outputSampleRate", -1],
    ["transportSampleRate", true],
    ["toolResultMaxLength", 0],
    ["toolTimeoutMs", 1.5],
  ])("rejects %s = %p with a positive-integer message", (key, value) => {
    expect(() => new RealtimeVoiceChannel("voice", { provider, transport, [key]: value })).toThrow(/positive integer/);
  });
  test("rejects a missing provider", () => {
    expect(() => new RealtimeVoiceChannel("voice", { provider: undefined as never, transport })).toThrow(
      InvalidArgumentError,
    );
  });
});

describe("startSession (§8.2–4, transaction)", () => {
  test("returns an ACTIVE session; connect once with the channel prompt and voice; accept once (§8.2)", async () => {
    harness = await createHarness({ channel: { systemPrompt: "Be kind.", voice: "alloy" } });
    const session = await harness.start("user-9");
    expect(session.state).toBe(VoiceSessionState.ACTIVE);
    expect(session.roomId).toBe(harness.roomId);
    expect(session.participantId).toBe("user-9");
    expect(session.channelId).toBe("rt-voice");
    expect(session.providerSessionId).toBe(`mock-${session.id}`);
    const connects = harness.provider.callsOf("connect");
    expect(connects).toHaveLength(1);
    expect(connects[0]!.args[1]).toMatchObject({
      systemPrompt: "Be kind.",
      voice: "alloy",
      inputSampleRate: 16000,
      outputSampleRate: 24000,
      serverVad: true,
    });
    expect(harness.transport.callsOf("accept")).toHaveLength(1);
    expect(harness.transport.callsOf("activate")).toHaveLength(1);
    expect(harness.transport.messagesOfType("session_started")).toHaveLength(1);
  });

  test("works without a RoomKit (§8.3)", async () => {
    harness = await createHarness({ withKit: false });
    const session = await harness.start();
    expect(session.state).toBe(VoiceSessionState.ACTIVE);
  });

  test("metadata overrides prompt, voice, temperature, tools, providerConfig — camelCase and snake_case (§8.4)", async () => {
    harness = await createHarness({ channel: { systemPrompt: "default", voice: "alloy", temperature: 0.7 } });
    await harness.start("a", {
      system_prompt: "Override prompt",
      voice: "echo",
      temperature: 0.2,
      provider_config: { x: 1 },
    });
    await harness.start("b", { systemPrompt: "camel", providerConfig: { y: 2 }, tools: [{ name: "t1" }] });
    const [first, second] = harness.provider.callsOf("connect").map((call) => call.args[1]);
    expect(first).toMatchObject({
      systemPrompt: "Override prompt",
      voice: "echo",
      temperature: 0.2,
      providerConfig: { x: 1 },
    });
    expect(second).toMatchObject({ systemPrompt: "camel", voice: "alloy", temperature: 0.7, providerConfig: { y: 2 } });
    expect(second!.tools).toEqual([{ name: "t1" }]);
  });

  test("metadata is copied, and auth metadata written by accept can override the prompt", async () => {
    harness = await createHarness();
    harness.transport.beforeAccept = (session) => {
      session.metadata.system_prompt = "from auth";
    };
    const metadata = { voice: "sage" };
    const session = await harness.start("u", metadata);
    expect(session.metadata).not.toBe(metadata);
    expect(harness.provider.callsOf("connect")[0]!.args[1]).toMatchObject({ systemPrompt: "from auth", voice: "sage" });
  });

  test("transport rate from accept() beats metadata and option; provider rate from its capabilities", async () => {
    harness = await createHarness({
      provider: { capabilities: { inputSampleRates: [24000], outputSampleRates: [24000] } },
      transport: { acceptResult: { sampleRate: 8000 } },
      channel: { transportSampleRate: 16000 },
    });
    const session = await harness.start("u", { transport_sample_rate: 48000 });
    expect(harness.provider.callsOf("connect")[0]!.args[1]).toMatchObject({
      inputSampleRate: 24000,
      outputSampleRate: 24000,
    });
    await harness.transport.simulateClientAudio(session, pcmFrame(160));
    const sent = harness.provider.sentAudio.reduce((sum, entry) => sum + entry.audio.byteLength, 0);
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThanOrEqual(960);
  });

  test("pre-connect audio is buffered in order and flushed after connect; buffer gone afterwards (§8.17)", async () => {
    harness = await createHarness();
    const frames = [pcmFrame(160, 1), pcmFrame(160, 2), pcmFrame(160, 3)];
    let release!: () => void;
    harness.provider.beforeConnect = (session) => {
      for (const frame of frames) void harness!.transport.simulateClientAudio(session, frame);
      return new Promise<void>((resolve) => (release = resolve));
    };
    const starting = harness.start();
    await settle(5);
    expect(harness.provider.sentAudio).toHaveLength(0);
    release();
    const session = await starting;
    expect(harness.provider.sentAudio.map((entry) => entry.audio)).toEqual(frames);
    await harness.transport.simulateClientAudio(session, pcmFrame(160, 4));
    expect(harness.provider.sentAudio).toHaveLength(4);
  });

  test("pre-connect audio beyond the byte cap is dropped, never forwarded (§8.20)", async () => {
    harness = await createHarness({ channel: { maxPreConnectBytes: 640 } });
    harness.provider.beforeConnect = async (session) => {
      for (let index = 0; index < 4; index++)
        await harness!.transport.simulateClientAudio(session, pcmFrame(160, index));
    };
    await harness.start();
    expect(harness.provider.sentAudio).toHaveLength(2);
    expect(harness.logger.entries.some((entry) => entry.message.includes("Pre-connect audio buffer full"))).toBe(true);
  });
});

describe("rollback (§8.7–12)", () => {
  test("session_started failing rolls back; provider and transport disconnected once (§8.7)", async () => {
    harness = await createHarness();
    harness.transport.beforeSendMessage = (_session, message) => {
      if (message.type === "session_started") throw new Error("socket gone");
    };
    await expect(harness.start()).rejects.toThrow("socket gone");
    expect(harness.channel.sessionCount).toBe(0);
    expect(harness.provider.callsOf("disconnect")).toHaveLength(1);
    expect(harness.transport.callsOf("disconnect")).toHaveLength(1);
  });

  test("aborting during provider.connect rejects, disconnects each side once, logs INFO not ERROR (§8.8)", async () => {
    harness = await createHarness();
    harness.provider.beforeConnect = () => new Promise(() => {});
    const controller = new AbortController();
    const starting = harness.channel.startSession(harness.roomId, "u", { signal: controller.signal });
    await settle(5);
    controller.abort(new Error("caller hung up"));
    await expect(starting).rejects.toThrow("caller hung up");
    expect(harness.transport.callsOf("disconnect")).toHaveLength(1);
    expect(harness.provider.callsOf("disconnect")).toHaveLength(1);
    expect(harness.channel.sessionCount).toBe(0);
    expect(harness.logger.entries.some((entry) => entry.level === "info" && entry.message.includes("cancelled"))).toBe(
      true,
    );
    expect(harness.logger.entries.some((entry) => entry.level === "error")).toBe(false);
  });

  test("provider.connect throwing propagates, one ERROR, transport disconnected once (§8.9)", async () => {
    harness = await createHarness();
    harness.provider.beforeConnect = () => {
      throw new Error("401 bad key");
    };
    await expect(harness.start()).rejects.toThrow("401 bad key");
    expect(
      harness.logger.entries.filter(
        (entry) => entry.level === "error" && entry.message.includes("startSession failed"),
      ),
    ).toHaveLength(1);
    expect(harness.transport.callsOf("disconnect")).toHaveLength(1);
    expect(harness.channel.sessionCount).toBe(0);
  });

  test("transport.accept throwing leaves nothing behind; transport disconnect attempted once; connect never called (§8.10)", async () => {
    harness = await createHarness();
    harness.transport.beforeAccept = () => {
      throw new Error("Authentication rejected");
    };
    await expect(harness.start()).rejects.toThrow("Authentication rejected");
    expect(harness.channel.sessionCount).toBe(0);
    expect(harness.transport.callsOf("disconnect")).toHaveLength(1);
    expect(harness.provider.callsOf("connect")).toHaveLength(0);
    expect(harness.provider.callsOf("disconnect")).toHaveLength(0);
  });

  test('a non-integer negotiated transport_sample_rate ("8000") is rejected before connect (§8.12)', async () => {
    harness = await createHarness();
    await expect(harness.start("u", { transport_sample_rate: "8000" })).rejects.toThrow(InvalidArgumentError);
    expect(harness.provider.callsOf("connect")).toHaveLength(0);
    expect(harness.transport.callsOf("disconnect")).toHaveLength(1);
  });

  test("endSession during the handshake aborts the start exactly once", async () => {
    harness = await createHarness();
    harness.provider.beforeConnect = () => new Promise(() => {});
    const starting = harness.start();
    await settle(5);
    const [state] = harness.channel.getRoomSessions(harness.roomId);
    await harness.channel.endSession(state!);
    await expect(starting).rejects.toThrow(/ended while starting/);
    expect(harness.transport.callsOf("disconnect")).toHaveLength(1);
    expect(harness.provider.callsOf("disconnect")).toHaveLength(1);
  });
});

describe("teardown (§8.5, 6, 13, 14)", () => {
  test("endSession → ENDED; each side disconnected exactly once; idempotent (§8.5)", async () => {
    harness = await createHarness();
    const session = await harness.start();
    await Promise.all([harness.channel.endSession(session), harness.channel.endSession(session.id)]);
    await harness.channel.endSession(session);
    expect(session.state).toBe(VoiceSessionState.ENDED);
    expect(harness.provider.callsOf("disconnect")).toHaveLength(1);
    expect(harness.transport.callsOf("disconnect")).toHaveLength(1);
    expect(harness.transport.messagesOfType("session_ended")).toHaveLength(1);
    expect(harness.channel.sessionCount).toBe(0);
  });

  test("endSession completes even if session_ended throws (§8.6)", async () => {
    harness = await createHarness();
    const session = await harness.start();
    harness.transport.beforeSendMessage = () => {
      throw new Error("dead socket");
    };
    await harness.channel.endSession(session);
    expect(session.state).toBe(VoiceSessionState.ENDED);
    expect(harness.transport.callsOf("disconnect")).toHaveLength(1);
  });

  test("close() ends sessions and closes provider and transport once each (§8.13)", async () => {
    harness = await createHarness();
    const first = await harness.start("a");
    const second = await harness.start("b");
    await Promise.all([harness.channel.close(), harness.channel.close()]);
    expect(first.state).toBe(VoiceSessionState.ENDED);
    expect(second.state).toBe(VoiceSessionState.ENDED);
    expect(harness.provider.callsOf("close")).toHaveLength(1);
    expect(harness.transport.callsOf("close")).toHaveLength(1);
    await expect(harness.start()).rejects.toThrow(/closed/);
  });

  test("deliver() returns an empty output (§8.14)", async () => {
    harness = await createHarness();
    const output = await harness.channel.deliver({} as never, {} as never, {} as never);
    expect(output).toEqual({ responded: false, events: [] });
  });

  test("client disconnect ends the session", async () => {
    harness = await createHarness();
    const session = await harness.start();
    await harness.transport.simulateClientDisconnect(session);
    await settle(5);
    expect(session.state).toBe(VoiceSessionState.ENDED);
    expect(harness.provider.callsOf("disconnect")).toHaveLength(1);
  });

  test("kit.join / kit.leave drive the channel", async () => {
    harness = await createHarness();
    const session = (await harness.kit.join(harness.roomId, "rt-voice", { participantId: "p1", connection: "c" })) as {
      id: string;
      channelId: string;
      state: string;
    };
    expect(session.state).toBe(VoiceSessionState.ACTIVE);
    await harness.kit.leave(session);
    expect(session.state).toBe(VoiceSessionState.ENDED);
  });
});

describe("reconfigureSession", () => {
  test("passes the complete effective config; omitted fields are kept", async () => {
    harness = await createHarness({
      channel: { systemPrompt: "p0", voice: "alloy", tools: [{ name: "a" }], temperature: 0.7 },
    });
    const session = await harness.start();
    await harness.channel.reconfigureSession(session.id, { systemPrompt: "New prompt", voice: "shimmer" });
    const options = harness.provider.callsOf("reconfigure")[0]!.args[1];
    expect(options).toMatchObject({
      systemPrompt: "New prompt",
      voice: "shimmer",
      tools: [{ name: "a" }],
      temperature: 0.7,
      inputSampleRate: 16000,
    });
    expect(session.state).toBe(VoiceSessionState.ACTIVE);
  });
});

describe("teardown never hangs", () => {
  test("a transport.disconnect that never settles is abandoned after disconnectTimeoutMs", async () => {
    harness = await createHarness({ channel: { disconnectTimeoutMs: 20 } });
    const session = await harness.start();
    harness.transport.disconnect = () => new Promise(() => {});
    await harness.channel.endSession(session);
    expect(session.state).toBe(VoiceSessionState.ENDED);
    expect(harness.channel.sessionCount).toBe(0);
    expect(
      harness.logger.entries.some((entry) => entry.message.includes("transport.disconnect did not finish in time")),
    ).toBe(true);
  });
});
