import { afterEach, describe, expect, test } from "bun:test";
import { WebSocket } from "ws";
import { cleanUp, current, open, speak, start, userText } from "./raw-test-client.ts";

afterEach(cleanUp);

describe("robustness", () => {
  test("a throwing brain or malformed overrides become server_error / defaults; the server keeps serving", async () => {
    let calls = 0;
    await start({
      brain: (turn) => {
        calls++;
        if (calls === 1) throw new Error("brain bug");
        return { say: `tools: ${turn.tools.length}` };
      },
    });
    const client = await open();
    client.send({ type: "response.create" });
    expect((await client.next("error")).error.type).toBe("server_error");
    client.send({ type: "response.create", response: { tools: "nope", input: 42, conversation: null } });
    expect((await client.next("response.output_audio_transcript.done")).transcript).toBe("tools: 0");
    client.audio(new Uint8Array(3));
    client.send({ type: "conversation.item.truncate" });
    expect((await client.next("error")).error.code).toBe("item_not_found");
  });
});

describe("lifetime and faults", () => {
  test("maxSessionMs elapses ⇒ session_expired, close 1001; expires_at announced; recordings stay bounded", async () => {
    await start({ maxSessionMs: 150, maxRecordedEvents: 10 });
    const client = await open();
    const created = await client.next("session.created");
    expect(created.session.expires_at).toBeGreaterThan(Date.now() / 1000 - 5);
    for (let index = 0; index < 30; index++) client.send({ type: "input_audio_buffer.clear" });
    expect((await client.next("error", 5_000)).error.code).toBe("session_expired");
    expect(await client.closed()).toBe(1001);
    expect(current.fake!.connections[0]!.received.length).toBeLessThanOrEqual(10);
    expect(current.fake!.connections[0]!.sent.length).toBeLessThanOrEqual(10);
  });

  test("session expiry ⇒ session_expired then close 1001 (going away), as the service does", async () => {
    await start({ maxSessionMs: 60_000 });
    const client = await open();
    current.fake!.faults.expireSession();
    expect((await client.next("error")).error.message).toBe("Your session hit the maximum duration of 1 minutes.");
    expect(await client.closed()).toBe(1001);
  });

  test("an error of type server_error leaves the session open: the conversation goes on over the same socket", async () => {
    await start();
    const client = await open();
    await client.next("session.created");
    current.fake!.faults.sendError({ type: "server_error", code: "server_error", message: "The server had an error" });
    expect((await client.next("error")).error.type).toBe("server_error");
    await userText(client, "still there?");
    client.send({ type: "response.create" });
    await client.next("response.done");
    expect(current.fake!.connections[0]!.closed).toBe(false);
  });

  test("a dropped or closed socket mid-response sends nothing more (no response.done), as a real server", async () => {
    await start({ speed: 1 });
    for (const end of ["drop", "close"] as const) {
      const client = await open();
      await userText(client, "a long answer please, with a lot of words in it");
      client.send({ type: "response.create" });
      await client.next("response.output_audio.delta");
      if (end === "drop") current.fake!.faults.dropSocket();
      else current.fake!.faults.close(1011, "internal error");
      await client.closed();
      expect(client.types()).not.toContain("response.done");
    }
  });

  test("drop, close with code, duplicate, delay, reorder, send error, failed transcription, upgrade rejection", async () => {
    await start({ transcripts: ["x"] });
    const client = await open();
    current.fake!.faults.duplicateEvent("response.output_audio_transcript.done");
    current.fake!.faults.delayEvent("response.content_part.added", 30);
    current.fake!.faults.reorderEvent("response.output_item.done");
    await userText(client, "hi");
    client.send({ type: "response.create" });
    await client.next("response.done");
    await client.next("response.content_part.added");
    expect(client.types().filter((type) => type === "response.output_audio_transcript.done")).toHaveLength(2);
    expect(client.types().indexOf("response.content_part.added")).toBeGreaterThan(
      client.types().indexOf("response.output_audio.delta"),
    );
    current.fake!.faults.sendError({ type: "server_error", code: "server_error", message: "boom" });
    expect((await client.next("error")).error.type).toBe("server_error");
    current.fake!.faults.failTranscriptions();
    client.send({
      type: "session.update",
      session: { type: "realtime", audio: { input: { transcription: { model: "whisper-1" } } } },
    });
    speak(client, 200, 600);
    expect((await client.next("conversation.item.input_audio_transcription.failed")).error.code).toBe(
      "audio_unintelligible",
    );
    current.fake!.faults.close(4001, "custom");
    expect(await client.closed()).toBe(4001);
    const second = await open();
    current.fake!.faults.dropSocket();
    expect(await second.closed()).toBe(1006);
    current.fake!.faults.rejectUpgrades(1, 500);
    const rejected = new WebSocket(`${current.fake!.url}?model=m`, { headers: { Authorization: "Bearer k" } });
    current.sockets.push(rejected);
    expect(await new Promise<string>((resolve) => rejected.once("error", (error) => resolve(error.message)))).toContain(
      "500",
    );
  });
});
