// The fake does what the service does where clients have been caught out (issue 13): 1011 faults by kind, refused
// handles, overlapping resumes, late input transcription, and what the service refuses with 1007.
import { afterEach, describe, expect, test } from "bun:test";
import type { LiveConnectConfig, LiveServerMessage } from "@google/genai";
import { closeCurrent, connect, current, start, speak } from "./sdk-test-harness.ts";

afterEach(closeCurrent);

describe("Gemini Live fake: fidelity to the service", () => {
  test("1011 server faults: a transient one (internal, unavailable, deadline) is survived by resuming with the latest handle", async () => {
    for (const kind of ["internal", "unavailable", "deadline"] as const) {
      const server = await start({ transcripts: ["remember the number seven"] });
      const config = { responseModalities: ["AUDIO" as never], sessionResumption: {} } as LiveConnectConfig;
      const first = await connect(server, config);
      speak(first.session);
      await first.waitFor((message) => message.serverContent?.turnComplete === true);
      const update = await first.waitFor(
        (message) => message.sessionResumptionUpdate?.resumable === true && first.messages.indexOf(message) > 2,
      );
      server.faults.serverError(kind);
      const closed = await first.closed;
      expect(closed.code).toBe(1011);
      expect(closed.reason).toMatch(/Internal error|unavailable|Deadline expired/);
      const handle = update.sessionResumptionUpdate!.newHandle!;
      const second = await connect(server, { ...config, sessionResumption: { handle } });
      expect(server.connections[1]!.resumedFrom).toBe(handle);
      expect(server.conversations[0]!.history[0]!.text).toBe("remember the number seven");
      second.session.close();
      await server.close();
      current.fake = undefined;
    }
  });

  test("a 1011 quota fault is not transient: every later setup, resumed or fresh, is refused with it", async () => {
    const server = await start();
    const config = { responseModalities: ["AUDIO" as never], sessionResumption: {} } as LiveConnectConfig;
    const first = await connect(server, config);
    const update = await first.waitFor((message) => message.sessionResumptionUpdate?.resumable === true);
    server.faults.serverError("quota");
    const quota = "You exceeded your current quota, please check your plan and billing details.";
    expect(await first.closed).toEqual({ code: 1011, reason: quota });
    const handle = update.sessionResumptionUpdate!.newHandle!;
    await expect(connect(server, { ...config, sessionResumption: { handle } })).rejects.toThrow(quota);
    await expect(connect(server, config)).rejects.toThrow(quota);
  });

  test("a resume while the session's earlier connection is still open closes 1011; after the old one closed it works", async () => {
    const server = await start();
    const config = { responseModalities: ["AUDIO" as never], sessionResumption: {} } as LiveConnectConfig;
    const first = await connect(server, config);
    const update = await first.waitFor((message) => message.sessionResumptionUpdate?.resumable === true);
    const resume = { ...config, sessionResumption: { handle: update.sessionResumptionUpdate!.newHandle! } };
    await expect(connect(server, resume)).rejects.toThrow("Internal error occurred.");
    expect(server.connections[1]!.closeCode).toBe(1011);
    first.session.close();
    await first.closed;
    const third = await connect(server, resume);
    expect(server.connections[2]!.resumedFrom).toBe(resume.sessionResumption.handle);
    third.session.close();
  });

  test("overlappingResume: accept lets a resume take over an open connection", async () => {
    const server = await start({ overlappingResume: "accept" });
    const config = { responseModalities: ["AUDIO" as never], sessionResumption: {} } as LiveConnectConfig;
    const first = await connect(server, config);
    const update = await first.waitFor((message) => message.sessionResumptionUpdate?.resumable === true);
    const handle = update.sessionResumptionUpdate!.newHandle!;
    const second = await connect(server, { ...config, sessionResumption: { handle } });
    expect(server.connections[1]!.resumedFrom).toBe(handle);
    first.session.close();
    second.session.close();
  });

  test("late input transcription: the rest of the caller's words after the reply's first audio (always; every 2nd turn by default)", async () => {
    const config = {
      responseModalities: ["AUDIO" as never],
      inputAudioTranscription: {},
      outputAudioTranscription: {},
    };
    const inputAfterFirstAudio = (messages: LiveServerMessage[], from = 0) => {
      const turn = messages.slice(from);
      const firstAudio = turn.findIndex((message) => message.data !== undefined);
      return turn.slice(firstAudio).filter((message) => message.serverContent?.inputTranscription).length;
    };
    const always = await connect(
      await start({ transcripts: ["one two three"], lateInputTranscription: "always" }),
      config,
    );
    speak(always.session);
    await always.waitFor((message) => message.serverContent?.turnComplete === true);
    expect(inputAfterFirstAudio(always.messages)).toBe(2); // " two", " three"
    const input = always.messages.map((message) => message.serverContent?.inputTranscription?.text ?? "").join("");
    expect(input).toBe("one two three");
    always.session.close();
    await current.fake!.close();

    const server = await start({ transcripts: ["first turn here", "second turn here"] });
    const client = await connect(server, config);
    speak(client.session);
    await client.waitFor((message) => message.serverContent?.turnComplete === true);
    expect(inputAfterFirstAudio(client.messages)).toBe(0);
    const secondStart = client.messages.length;
    speak(client.session);
    await client.waitFor(
      (message, index = client.messages.indexOf(message)) =>
        index >= secondStart && message.serverContent?.turnComplete === true,
    );
    expect(inputAfterFirstAudio(client.messages, secondStart)).toBe(2);
    client.session.close();
  });

  test("no queued transcript: the caller is still transcribed (`[N ms of audio]`, late on the 2nd turn) as the service transcribes any speech", async () => {
    const server = await start();
    const client = await connect(server, { responseModalities: ["AUDIO" as never], inputAudioTranscription: {} });
    const inputOf = (messages: LiveServerMessage[]) =>
      messages.map((message) => message.serverContent?.inputTranscription?.text ?? "").join("");
    speak(client.session);
    await client.waitFor((message) => message.serverContent?.turnComplete === true);
    expect(inputOf(client.messages)).toMatch(/^\[\d+ ms of audio\]$/);
    const secondStart = client.messages.length;
    speak(client.session);
    await client.waitFor(
      (message, index = client.messages.indexOf(message)) =>
        index >= secondStart && message.serverContent?.turnComplete === true,
    );
    const second = client.messages.slice(secondStart);
    expect(inputOf(second)).toMatch(/^\[\d+ ms of audio\]$/);
    const firstAudio = second.findIndex((message) => message.data !== undefined);
    expect(second.slice(firstAudio).some((message) => message.serverContent?.inputTranscription)).toBe(true);
    // The brain still sees no words: it answers with the duration, as before.
    expect(server.conversations[0]!.history.filter((entry) => entry.role === "model")[0]!.text).toMatch(
      /^I heard \d+ ms/,
    );
    client.session.close();
  });

  test("refused as the service refuses (1007): mediaChunks, clientContent after realtime input on 2.5, a first clientContent ending with the model", async () => {
    const server = await start();
    const audio = { data: Buffer.alloc(640).toString("base64"), mimeType: "audio/pcm;rate=16000" };
    const chunks = await connect(server, {});
    chunks.session.sendRealtimeInput({ media: audio } as never); // the SDK sends `media` as mediaChunks
    expect(await chunks.closed).toEqual({
      code: 1007,
      reason: `Invalid JSON payload received. Unknown name "mediaChunks" at 'realtime_input': Cannot find field.`,
    });
    const late = await connect(server, {});
    late.session.sendRealtimeInput({ audio });
    late.session.sendClientContent({ turns: [{ role: "user", parts: [{ text: "hi" }] }], turnComplete: true });
    expect((await late.closed).code).toBe(1007);
    const modelFirst = await connect(server, {});
    modelFirst.session.sendClientContent({
      turns: [{ role: "model", parts: [{ text: "Hello!" }] }],
      turnComplete: false,
    });
    expect((await modelFirst.closed).code).toBe(1007);
    const ok = await connect(server, {});
    ok.session.sendClientContent({
      turns: [
        { role: "user", parts: [{ text: "hi" }] },
        { role: "model", parts: [{ text: "Hello!" }] },
        { role: "user", parts: [{ text: "how are you" }] },
      ],
      turnComplete: false,
    });
    ok.session.sendRealtimeInput({ audio });
    await server.waitForClientMessage((message) => message.realtimeInput !== undefined, { includePast: true });
    expect(server.connections.at(-1)!.closed).toBe(false);
    ok.session.close();
  });

  test("an unknown or expired handle is refused with 1008, or 1007 when so configured", async () => {
    for (const code of [1008, 1007] as const) {
      const server = await start({ refusedHandleCloseCode: code });
      const config = { responseModalities: ["AUDIO" as never], sessionResumption: { handle: "h_gone" } };
      await expect(connect(server, config)).rejects.toThrow(
        code === 1008 ? "Requested entity was not found." : "Request contains an invalid argument.",
      );
      expect(server.connections[0]!.closeCode).toBe(code);
      await server.close();
      current.fake = undefined;
    }
  });
});
