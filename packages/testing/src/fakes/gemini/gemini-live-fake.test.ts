import { afterEach, describe, expect, test } from "bun:test";
import type { LiveConnectConfig } from "@google/genai";
import { WebSocket } from "ws";
import { ManualClock, settle } from "@roomkit/test-support";
import { closeCurrent, connect, MODEL, sendFrames, speak, start } from "./sdk-test-harness.ts";
import { callerAudioFrames } from "./synthetic-speech.ts";

afterEach(closeCurrent);

const TOOLS = [
  {
    functionDeclarations: [
      {
        name: "get_weather",
        description: "Weather for a city",
        parameters: { type: "object", properties: { city: { type: "string" } } } as never,
      },
    ],
  },
];

for (const apiVersion of ["v1beta", "v1alpha"] as const) {
  describe(`Gemini Live fake through @google/genai (${apiVersion})`, () => {
    test("setup round trip: the SDK's setup reaches the fake field by field", async () => {
      const server = await start({ sessionIdInSetupComplete: true });
      const client = await connect(
        server,
        {
          responseModalities: ["AUDIO" as never],
          systemInstruction: "be brief",
          speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: "Puck" } }, languageCode: "en-US" },
          temperature: 0.5,
          inputAudioTranscription: {},
          outputAudioTranscription: {},
          sessionResumption: {},
          realtimeInputConfig: { automaticActivityDetection: { disabled: false, silenceDurationMs: 300 } },
          tools: TOOLS,
        },
        apiVersion,
      );
      const info = server.connections[0]!;
      expect(info.apiVersion).toBe(apiVersion);
      expect(info.path.startsWith("//ws/")).toBe(true);
      expect(info.setup?.model).toBe(`models/${MODEL}`);
      expect(info.setup?.generationConfig?.speechConfig?.voiceConfig?.prebuiltVoiceConfig?.voiceName).toBe("Puck");
      expect(info.setup?.generationConfig?.temperature).toBe(0.5);
      expect(info.setup?.systemInstruction).toEqual({ parts: [{ text: "be brief" }], role: "user" });
      const setupComplete = await client.waitFor((message) => message.setupComplete !== undefined);
      expect(setupComplete.setupComplete?.sessionId).toBe("session_1");
      const update = await client.waitFor((message) => message.sessionResumptionUpdate !== undefined);
      expect(update.sessionResumptionUpdate?.resumable).toBe(true);
      client.session.close();
    });

    test("audio → VAD → input transcription, 40 ms audio chunks, generationComplete, turnComplete with usage", async () => {
      const server = await start({ transcripts: ["hello there fake"] });
      const client = await connect(
        server,
        {
          responseModalities: ["AUDIO" as never],
          inputAudioTranscription: {},
          outputAudioTranscription: {},
          sessionResumption: {},
        },
        apiVersion,
      );
      speak(client.session);
      const done = await client.waitFor((message) => message.serverContent?.turnComplete === true);
      const input = client.messages.map((message) => message.serverContent?.inputTranscription?.text ?? "").join("");
      expect(input).toBe("hello there fake");
      const audio = client.messages.filter((message) => message.data !== undefined);
      expect(audio.length).toBeGreaterThan(1);
      expect(Buffer.from(audio[0]!.data!, "base64").length).toBe(1920);
      const output = client.messages.map((message) => message.serverContent?.outputTranscription?.text ?? "").join("");
      expect(output).toBe("You said: hello there fake");
      const order = client.messages.findIndex((message) => message.serverContent?.generationComplete);
      expect(order).toBeGreaterThan(0);
      expect(order).toBeLessThan(client.messages.indexOf(done));
      expect(done.usageMetadata?.responseTokenCount).toBeGreaterThan(0);
      expect(server.conversations[0]!.history.map((entry) => entry.role)).toEqual(["user", "model"]);
      client.session.close();
    });

    test("tool call with id, tool response, then a reply mentioning the result", async () => {
      const server = await start({ transcripts: ['weather please [[call:get_weather {"city":"Paris"}]]'] });
      const client = await connect(
        server,
        { responseModalities: ["AUDIO" as never], tools: TOOLS, outputAudioTranscription: {} },
        apiVersion,
      );
      speak(client.session);
      const call = await client.waitFor((message) => message.toolCall !== undefined);
      const functionCall = call.toolCall!.functionCalls![0]!;
      expect(functionCall.name).toBe("get_weather");
      expect(functionCall.args).toEqual({ city: "Paris" });
      expect(server.connectionState()?.pendingToolCalls).toEqual([functionCall.id!]);
      client.session.sendToolResponse({
        functionResponses: [{ id: functionCall.id, name: "get_weather", response: { temp: 21 } }],
      });
      await client.waitFor((message) => message.serverContent?.turnComplete === true);
      const output = client.messages.map((message) => message.serverContent?.outputTranscription?.text ?? "").join("");
      expect(output).toBe('The result is {"temp":21}');
      client.session.close();
    });

    test("barge-in: speech during generation → interrupted → turnComplete, no generationComplete", async () => {
      const server = await start({ pace: 1, transcripts: ["tell me a long story about the sea and ships"] });
      const client = await connect(server, { responseModalities: ["AUDIO" as never] }, apiVersion);
      speak(client.session, 300, 600);
      await client.waitFor((message) => message.data !== undefined);
      sendFrames(client.session, callerAudioFrames({ durationMs: 100 }));
      const interrupted = await client.waitFor((message) => message.serverContent?.interrupted === true);
      const complete = await client.waitFor(
        (message) =>
          message.serverContent?.turnComplete === true &&
          client.messages.indexOf(message) > client.messages.indexOf(interrupted),
      );
      expect(complete.usageMetadata).toBeUndefined();
      expect(client.messages.some((message) => message.serverContent?.generationComplete)).toBe(false);
      client.session.close();
    });

    test("goAway, then resume with the handle: history restored on a new connection", async () => {
      const server = await start({ transcripts: ["remember the number seven"], goAwayLeadMs: 5000 });
      const config = { responseModalities: ["AUDIO" as never], sessionResumption: {} } as LiveConnectConfig;
      const first = await connect(server, config, apiVersion);
      speak(first.session);
      await first.waitFor((message) => message.serverContent?.turnComplete === true);
      const update = await first.waitFor(
        (message) => message.sessionResumptionUpdate?.resumable === true && first.messages.indexOf(message) > 2,
      );
      server.faults.goAway(5000);
      const goAway = await first.waitFor((message) => message.goAway !== undefined);
      expect(goAway.goAway?.timeLeft).toBe("5s");
      first.session.close(); // the service refuses a resume that overlaps an open connection of the session
      await first.closed;
      const second = await connect(
        server,
        { ...config, sessionResumption: { handle: update.sessionResumptionUpdate!.newHandle } },
        apiVersion,
      );
      expect(server.connections[1]!.resumedFrom).toBe(update.sessionResumptionUpdate!.newHandle);
      expect(server.conversations.length).toBe(1);
      expect(server.conversations[0]!.history[0]!.text).toBe("remember the number seven");
      second.session.close();
    });
  });
}

describe("Gemini Live fake: rejections with the real close codes", () => {
  test("v1beta rejects proactivity with 1007; v1alpha accepts it", async () => {
    const server = await start();
    const config = { responseModalities: ["AUDIO" as never], proactivity: { proactiveAudio: true } };
    await expect(connect(server, config, "v1beta")).rejects.toThrow(
      `Unknown name "proactivity" at 'setup': Cannot find field.`,
    );
    expect(server.connections[0]!.closeCode).toBe(1007);
    const alpha = await connect(server, config, "v1alpha");
    alpha.session.close();
  });

  test("v1beta rejects enableAffectiveDialog at setup.generation_config", async () => {
    const server = await start();
    await expect(connect(server, { enableAffectiveDialog: true }, "v1beta")).rejects.toThrow(
      `Unknown name "enableAffectiveDialog" at 'setup.generation_config'`,
    );
  });

  test("an unknown model closes 1008 with the ListModels reason, truncated to 123 bytes", async () => {
    const server = await start();
    await expect(connect(server, {}, "v1beta", "gemini-2.0-flash-live-001")).rejects.toThrow(/code 1008/);
    const reason = server.connections[0]!.closeReason!;
    expect(reason.startsWith("models/gemini-2.0-flash-live-001 is not found for API version v1beta")).toBe(true);
    expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(123);
  });

  test("a missing key closes 1008; a bad path is refused with 404", async () => {
    const server = await start();
    const socket = new WebSocket(
      `ws://127.0.0.1:${server.port}//ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent`,
    );
    const code = await new Promise<number>((resolve) => socket.on("close", (closeCode: number) => resolve(closeCode)));
    expect(code).toBe(1008);
    const bad = new WebSocket(`ws://127.0.0.1:${server.port}/ws/other?key=x`);
    const failed = await new Promise<boolean>((resolve) => {
      bad.on("error", () => resolve(true));
      bad.on("open", () => resolve(false));
    });
    expect(failed).toBe(true);
  });

  test("an invalid enum (MEDIUM sensitivity) closes 1007", async () => {
    const server = await start();
    const config = {
      realtimeInputConfig: { automaticActivityDetection: { startOfSpeechSensitivity: "MEDIUM" as never } },
    };
    await expect(connect(server, config)).rejects.toThrow(/code 1007/);
  });

  test("a tool response with an unknown id closes 1008 'Requested entity was not found.'", async () => {
    const server = await start();
    const client = await connect(server, { tools: TOOLS });
    client.session.sendToolResponse({ functionResponses: [{ id: "fc_999", name: "get_weather", response: {} }] });
    const closed = await client.closed;
    expect(closed).toEqual({ code: 1008, reason: "Requested entity was not found." });
  });

  test("activityStart with automatic VAD closes 1007; manual VAD delimits a turn", async () => {
    const server = await start();
    const auto = await connect(server, {});
    auto.session.sendRealtimeInput({ activityStart: {} });
    expect((await auto.closed).code).toBe(1007);
    const manual = await connect(server, { realtimeInputConfig: { automaticActivityDetection: { disabled: true } } });
    sendFrames(manual.session, callerAudioFrames({ durationMs: 60, silent: true })); // outside: no turn's audio
    manual.session.sendRealtimeInput({ activityStart: {} });
    sendFrames(manual.session, callerAudioFrames({ durationMs: 200, silent: true }));
    manual.session.sendRealtimeInput({ activityEnd: {} });
    await manual.waitFor((message) => message.serverContent?.turnComplete === true);
    expect(server.conversations[1]!.history[1]!.text).toBe("I heard 200 ms of audio");
    expect(server.connections[1]!.audioOutsideActivity).toBe(3);
    manual.session.close();
  });

  test("barge-in while a tool call is pending sends toolCallCancellation with its id", async () => {
    const server = await start({ transcripts: ["[[call:get_weather]]"] });
    const client = await connect(server, { tools: TOOLS });
    speak(client.session);
    const call = await client.waitFor((message) => message.toolCall !== undefined);
    sendFrames(client.session, callerAudioFrames({ durationMs: 100 }));
    const cancel = await client.waitFor((message) => message.toolCallCancellation !== undefined);
    expect(cancel.toolCallCancellation?.ids).toEqual([call.toolCall!.functionCalls![0]!.id!]);
    client.session.close();
  });

  test("connection lifetime: goAway at lifetime − lead, then close; expired handles refuse resumption", async () => {
    const server = await start({ connectionLifetimeMs: 300, goAwayLeadMs: 200 });
    const client = await connect(server, { sessionResumption: {} });
    const goAway = await client.waitFor((message) => message.goAway !== undefined);
    expect(goAway.goAway?.timeLeft).toBe("0s");
    expect((await client.closed).code).toBe(1000);
    server.faults.expireHandles();
    const handle = client.messages.find((message) => message.sessionResumptionUpdate)!.sessionResumptionUpdate!
      .newHandle!;
    await expect(connect(server, { sessionResumption: { handle } })).rejects.toThrow(/code 1008/);
  });

  test("faults: duplicate and drop", async () => {
    const server = await start({ transcripts: ["one two"] });
    const client = await connect(server, { inputAudioTranscription: {} });
    server.faults.duplicate("serverContent.inputTranscription", 1);
    speak(client.session);
    await client.waitFor((message) => message.serverContent?.turnComplete === true);
    const chunks = client.messages.filter((message) => message.serverContent?.inputTranscription);
    expect(chunks.map((message) => message.serverContent!.inputTranscription!.text)).toEqual(["one", "one", " two"]);
    server.faults.dropSocket();
    expect((await client.closed).code).toBe(1006);
  });
});

describe("Gemini Live fake: model profiles, modalities, tools, limits, faults", () => {
  test("3.1 profile: clientContent only while seeding history; afterwards it closes 1007", async () => {
    // Raw socket: @google/genai 3.3.0 does not forward `historyConfig` in setup (liveConnectConfigToMldev drops it).
    const server = await start();
    const socket = new WebSocket(
      `ws://127.0.0.1:${server.port}/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent?key=k`,
    );
    await new Promise((resolve) => socket.on("open", resolve));
    const closed = new Promise<number>((resolve) => socket.on("close", (code: number) => resolve(code)));
    const send = (message: unknown) => socket.send(JSON.stringify(message));
    send({
      setup: { model: "models/gemini-3.1-flash-live-preview", historyConfig: { initialHistoryInClientContent: true } },
    });
    send({ clientContent: { turns: [{ role: "user", parts: [{ text: "earlier" }] }], turnComplete: false } });
    send({
      realtimeInput: { audio: { data: Buffer.alloc(640).toString("base64"), mimeType: "audio/pcm;rate=16000" } },
    });
    send({ clientContent: { turns: [{ role: "user", parts: [{ text: "too late" }] }], turnComplete: true } });
    expect(await closed).toBe(1007);
    expect(server.conversations[0]!.history).toEqual([{ role: "user", text: "earlier" }]);
    const sdk = await connect(server, {}, "v1beta", "gemini-3.1-flash-live-preview");
    sdk.session.sendClientContent({ turns: "no seeding configured", turnComplete: true });
    expect((await sdk.closed).code).toBe(1007);
  });

  test("TEXT modality streams text parts (on a model that writes; native-audio models refuse TEXT with 1007)", async () => {
    const server = await start();
    await expect(connect(server, { responseModalities: ["TEXT" as never] })).rejects.toThrow("(code 1007)");
    const client = await connect(
      server,
      { responseModalities: ["TEXT" as never] },
      "v1beta",
      "gemini-3.1-flash-live-preview",
    );
    client.session.sendRealtimeInput({ text: "ping" });
    await client.waitFor((message) => message.serverContent?.turnComplete === true);
    const parts = client.messages.flatMap((message) => message.serverContent?.modelTurn?.parts ?? []);
    expect(parts.map((part) => part.text ?? "").join("")).toBe("You said: ping");
    expect(parts.some((part) => part.inlineData)).toBe(false);
  });

  test("NON_BLOCKING tools: the model keeps talking, then speaks the result", async () => {
    const server = await start();
    const tools = [{ functionDeclarations: [{ name: "lookup", behavior: "NON_BLOCKING" as never }] }];
    const client = await connect(server, { tools, outputAudioTranscription: {} });
    client.session.sendRealtimeInput({ text: "[[call:lookup]]" });
    const call = await client.waitFor((message) => message.toolCall !== undefined);
    await client.waitFor((message) => message.serverContent?.turnComplete === true);
    client.session.sendToolResponse({
      functionResponses: [{ id: call.toolCall!.functionCalls![0]!.id, name: "lookup", response: { ok: 1 } }],
    });
    await client.waitFor((message) => message.serverContent?.outputTranscription?.text?.includes("result") === true);
    await client.waitFor(
      (message) =>
        message.serverContent?.turnComplete === true &&
        client.messages.indexOf(message) >
          client.messages.findIndex((m) => m.serverContent?.outputTranscription?.text?.includes("result")),
    );
    const spoken = client.messages.map((message) => message.serverContent?.outputTranscription?.text ?? "").join("");
    expect(spoken).toBe('Let me check that.The result is {"ok":1}');
  });

  test("audioStreamEnd ends an open turn at once", async () => {
    const server = await start({ transcripts: ["quick"] });
    const client = await connect(server, {});
    sendFrames(client.session, callerAudioFrames({ durationMs: 200 }));
    client.session.sendRealtimeInput({ audioStreamEnd: true });
    await client.waitFor((message) => message.serverContent?.turnComplete === true);
    expect(server.conversations[0]!.history[0]).toEqual({ role: "user", text: "quick" });
  });

  test("session limit without context-window compression ⇒ 1011; with compression none", async () => {
    const server = await start({ sessionLimitMs: 150 });
    const plain = await connect(server, {});
    const compressed = await connect(server, { contextWindowCompression: { slidingWindow: {} } });
    expect(await plain.closed).toEqual({ code: 1011, reason: "Deadline expired before operation could complete." });
    expect(server.connections[1]!.closed).toBe(false);
    compressed.session.close();
  });

  test("faults: delay and reorder", async () => {
    const server = await start({ transcripts: ["a b c"] });
    const client = await connect(server, { inputAudioTranscription: {} });
    server.faults.reorder("serverContent.inputTranscription");
    server.faults.delay("serverContent.turnComplete", 100);
    const started = performance.now();
    speak(client.session);
    await client.waitFor((message) => message.serverContent?.turnComplete === true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    const chunks = client.messages
      .filter((message) => message.serverContent?.inputTranscription)
      .map((message) => message.serverContent!.inputTranscription!.text);
    expect(chunks).toEqual([" b", "a", " c"]);
  });

  test("raw protocol: a first message other than setup, a second setup, a non-PCM mime type all close 1007", async () => {
    const server = await start();
    const url = `ws://127.0.0.1:${server.port}/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent?key=k`;
    const closeCodeAfter = async (messages: unknown[]) => {
      const socket = new WebSocket(url);
      await new Promise((resolve) => socket.on("open", resolve));
      const closed = new Promise<number>((resolve) => socket.on("close", (code: number) => resolve(code)));
      for (const message of messages) socket.send(JSON.stringify(message));
      return closed;
    };
    const setup = { setup: { model: `models/${MODEL}` } };
    expect(await closeCodeAfter([{ realtimeInput: { text: "hi" } }])).toBe(1007);
    expect(await closeCodeAfter([setup, setup])).toBe(1007);
    expect(await closeCodeAfter([setup, { realtimeInput: { audio: { data: "AAAA", mimeType: "audio/wav" } } }])).toBe(
      1007,
    );
    expect(await closeCodeAfter([setup, { unknownMessage: {} }])).toBe(1007);
  });

  test("expireConnection sends goAway 0s then closes; expireSession closes 1011", async () => {
    const server = await start();
    const first = await connect(server, {});
    server.faults.expireConnection();
    expect((await first.closed).code).toBe(1000);
    expect(first.messages.some((message) => message.goAway?.timeLeft === "0s")).toBe(true);
    const second = await connect(server, {});
    server.faults.expireSession();
    expect(await second.closed).toEqual({ code: 1011, reason: "Deadline expired before operation could complete." });
  });

  test("an injected clock paces audio deterministically (one 40 ms chunk per 40 ms at pace 1)", async () => {
    const clock = new ManualClock();
    const server = await start({ pace: 1, clock });
    const client = await connect(server, {});
    client.session.sendRealtimeInput({ text: "abcd" });
    await client.waitFor((message) => message.serverContent?.modelTurn !== undefined);
    const chunks = () =>
      server.connections[0]!.sentMessages.filter((message) => message.serverContent?.modelTurn).length;
    expect(chunks()).toBe(1);
    for (let step = 2; step <= 5; step++) {
      clock.advance(40);
      await settle();
      expect(chunks()).toBe(step);
    }
    client.session.close();
  });

  test("ephemeral tokens use BidiGenerateContentConstrained with access_token", async () => {
    const server = await start();
    const socket = new WebSocket(
      `ws://127.0.0.1:${server.port}//ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContentConstrained?access_token=auth_tokens/abc`,
    );
    await new Promise((resolve) => socket.on("open", resolve));
    socket.send(JSON.stringify({ setup: { model: `models/${MODEL}` } }));
    const first = await new Promise<string>((resolve) =>
      socket.on("message", (data: Buffer) => resolve(data.toString())),
    );
    expect(JSON.parse(first)).toEqual({ setupComplete: {} });
    expect(server.connections[0]!.method).toBe("BidiGenerateContentConstrained");
    expect(server.connections[0]!.key).toBe("auth_tokens/abc");
    socket.close();
  });
});
