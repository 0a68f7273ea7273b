import { afterEach, describe, expect, test } from "bun:test";
import { encodeMulaw } from "@roomkit/audio";
import { WebSocket } from "ws";
import { cleanUp, current, open, silence, speak, start, tone, userText } from "./raw-test-client.ts";

afterEach(cleanUp);

describe("handshake and auth", () => {
  test("no key ⇒ HTTP 401; subprotocol key accepted and `realtime` selected", async () => {
    await start();
    const rejected = new WebSocket(`${current.fake!.url}?model=gpt-realtime`);
    current.sockets.push(rejected);
    const message = await new Promise<string>((resolve) => rejected.once("error", (error) => resolve(error.message)));
    expect(message).toContain("401");
    const client = await open("?model=gpt-realtime", { protocols: ["realtime", "openai-insecure-api-key.sk-x"] });
    expect(client.socket.protocol).toBe("realtime");
    const created = await client.next("session.created");
    expect(created.session).toMatchObject({ object: "realtime.session", type: "realtime", model: "gpt-realtime" });
    expect(created.session.audio.input.turn_detection.type).toBe("server_vad");
    expect(current.fake!.connections[0]!.apiKey).toBe("sk-x");
  });

  test("no model/call_id/intent ⇒ error then close 1008; beta shape ⇒ beta_api_shape_disabled", async () => {
    await start();
    const client = await open("");
    expect((await client.next("error")).error.type).toBe("invalid_request_error");
    expect(await client.closed()).toBe(1008);
    const beta = await open("?model=gpt-realtime", {
      headers: { Authorization: "Bearer k", "OpenAI-Beta": "realtime=v1" },
    });
    expect((await beta.next("error")).error.code).toBe("beta_api_shape_disabled");
  });

  test("betaRetired:false speaks the beta names", async () => {
    await start({ betaRetired: false });
    const beta = await open("?model=gpt-realtime", {
      headers: { Authorization: "Bearer k", "OpenAI-Beta": "realtime=v1" },
    });
    await beta.next("session.created");
    await beta.next("conversation.created");
    beta.send({
      type: "conversation.item.create",
      item: { type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] },
    });
    await beta.next("conversation.item.created");
    beta.send({ type: "response.create" });
    await beta.next("response.audio.delta");
    await beta.next("response.audio_transcript.done");
  });
});

describe("session.update validation", () => {
  test("real error codes with dotted params and echoed event_id; valid updates deep-merge", async () => {
    await start();
    const client = await open();
    await client.next("session.created");
    client.send({ type: "session.update", event_id: "e1", session: { instructions: "x" } });
    expect((await client.next("error")).error).toMatchObject({
      code: "missing_required_parameter",
      param: "session.type",
      event_id: "e1",
    });
    client.send({ type: "session.update", session: { type: "realtime", modalities: ["audio"] } });
    expect((await client.next("error")).error).toMatchObject({
      code: "unknown_parameter",
      param: "session.modalities",
    });
    client.send({
      type: "session.update",
      session: { type: "realtime", tools: [{ type: "function", name: "f", meta: 1 }] },
    });
    expect((await client.next("error")).error).toMatchObject({
      code: "unknown_parameter",
      param: "session.tools[0].meta",
    });
    client.send({
      type: "session.update",
      session: { type: "realtime", audio: { input: { turn_detection: { type: "semantic_vad", eagerness: "x" } } } },
    });
    expect((await client.next("error")).error.code).toBe("invalid_value");
    client.send({
      type: "session.update",
      session: { type: "realtime", audio: { input: { format: { type: "audio/pcm", rate: 16000 } } } },
    });
    expect((await client.next("error")).error).toMatchObject({
      code: "invalid_value",
      param: "session.audio.input.format.rate",
    });
    client.send({
      type: "session.update",
      session: {
        type: "realtime",
        instructions: "Be brief",
        audio: { input: { turn_detection: { type: "server_vad", silence_duration_ms: 300 } } },
      },
    });
    const updated = await client.next("session.updated");
    expect(updated.session.instructions).toBe("Be brief");
    expect(updated.session.audio.output.voice).toBe("marin");
    expect(updated.session.audio.input.turn_detection).toMatchObject({
      silence_duration_ms: 300,
      threshold: 0.5,
      create_response: true,
    });
  });

  test("voice cannot change once the model produced audio", async () => {
    await start();
    const client = await open();
    client.send({
      type: "conversation.item.create",
      item: { type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] },
    });
    client.send({ type: "response.create" });
    await client.next("response.done");
    client.send({ type: "session.update", session: { type: "realtime", audio: { output: { voice: "cedar" } } } });
    expect((await client.next("error")).error.code).toBe("cannot_update_voice");
  });
});

describe("input audio", () => {
  test("server_vad: speech_started → speech_stopped → committed → items → transcription → response", async () => {
    await start({ transcripts: ["hello fake"] });
    const client = await open();
    client.send({
      type: "session.update",
      session: { type: "realtime", audio: { input: { transcription: { model: "whisper-1" } } } },
    });
    await client.next("session.updated");
    speak(client, 400, 600);
    const started = await client.next("input_audio_buffer.speech_started");
    expect(started.audio_start_ms).toBe(0);
    const stopped = await client.next("input_audio_buffer.speech_stopped");
    expect(stopped.item_id).toBe(started.item_id);
    expect(stopped.audio_end_ms).toBeGreaterThanOrEqual(900);
    const committed = await client.next("input_audio_buffer.committed");
    expect(committed.item_id).toBe(started.item_id);
    const added = await client.next("conversation.item.added");
    expect(added.item.content[0]).toEqual({ type: "input_audio", transcript: null });
    expect((await client.next("conversation.item.input_audio_transcription.completed")).transcript).toBe("hello fake");
    expect((await client.next("response.output_audio_transcript.done")).transcript).toBe("You said: hello fake");
    const done = await client.next("response.done");
    expect(done.response.usage.output_token_details.audio_tokens).toBeGreaterThan(0);
    // protocols.md A8 §4, exactly (transcription events are asynchronous and may interleave anywhere).
    const types = client.types();
    const order = types
      .slice(types.indexOf("response.created"))
      .filter((type) => !type.includes("delta") && !type.includes("input_audio_transcription"));
    expect(order).toEqual([
      "response.created",
      "rate_limits.updated",
      "response.output_item.added",
      "conversation.item.added",
      "response.content_part.added",
      "response.output_audio.done",
      "response.output_audio_transcript.done",
      "response.content_part.done",
      "response.output_item.done",
      "conversation.item.done",
      "response.done",
    ]);
    const firstAudio = types.indexOf("response.output_audio.delta");
    expect(firstAudio).toBeGreaterThan(types.indexOf("response.content_part.added"));
    expect(firstAudio).toBeLessThan(types.indexOf("response.output_audio.done"));
  });

  test("semantic_vad eagerness picks the silence window; G.711 μ-law input is decoded for VAD", async () => {
    await start({ semanticSilenceMs: { high: 200, low: 2000 } });
    const client = await open();
    client.send({
      type: "session.update",
      session: {
        type: "realtime",
        audio: {
          input: { format: { type: "audio/pcmu" }, turn_detection: { type: "semantic_vad", eagerness: "high" } },
          output: { format: { type: "audio/pcmu" } },
        },
      },
    });
    await client.next("session.updated");
    speak(client, 300, 300, 8000, encodeMulaw);
    await client.next("input_audio_buffer.speech_stopped");
    const delta = await client.next("response.output_audio.delta");
    expect(Buffer.from(delta.delta, "base64").byteLength).toBe(800);
  });

  test("manual turns: commit needs 100 ms; commit then response.create answers", async () => {
    await start();
    const client = await open();
    client.send({ type: "session.update", session: { type: "realtime", audio: { input: { turn_detection: null } } } });
    await client.next("session.updated");
    client.audio(tone(60));
    client.send({ type: "input_audio_buffer.commit", event_id: "c1" });
    const error = await client.next("error");
    expect(error.error.code).toBe("input_audio_buffer_commit_empty");
    expect(error.error.message).toContain("Expected at least 100ms of audio, but buffer only has 60.00ms");
    client.audio(tone(100));
    client.send({ type: "input_audio_buffer.commit" });
    await client.next("input_audio_buffer.committed");
    expect(client.types()).not.toContain("response.created");
    client.send({ type: "response.create" });
    expect((await client.next("response.output_audio_transcript.done")).transcript).toBe("I heard 160 ms of audio");
  });

  test("echo brain replays the utterance; idle_timeout_ms triggers a turn", async () => {
    await start({ brain: "echo" });
    const client = await open();
    speak(client, 400, 600);
    const transcript = await client.next("response.output_audio_transcript.done");
    expect(transcript.transcript).toMatch(/^\d+ ms$/);
    const audioMs = Number.parseInt(transcript.transcript, 10);
    expect(audioMs).toBeGreaterThanOrEqual(400);
    expect(audioMs).toBeLessThanOrEqual(720);
    await client.next("response.done");
    client.send({
      type: "session.update",
      session: {
        type: "realtime",
        audio: { input: { turn_detection: { type: "server_vad", idle_timeout_ms: 1000 } } },
      },
    });
    await client.next("session.updated");
    for (let ms = 0; ms < 1200; ms += 20) client.audio(silence(20));
    await client.next("input_audio_buffer.timeout_triggered");
    await client.next("response.created");
  });
});

describe("responses, cancellation and truncation", () => {
  test("second response.create while active ⇒ conversation_already_has_active_response; cancel rules", async () => {
    await start({ speed: 1 });
    const client = await open();
    client.send({ type: "response.cancel", event_id: "x" });
    expect((await client.next("error")).error).toMatchObject({ code: "response_cancel_not_active", event_id: "x" });
    await userText(client, "tell me a long story please about many things");
    client.send({ type: "response.create" });
    await client.next("response.output_audio.delta");
    client.send({ type: "response.create", event_id: "r2" });
    expect((await client.next("error")).error).toMatchObject({
      code: "conversation_already_has_active_response",
      event_id: "r2",
    });
    client.send({ type: "response.cancel" });
    const done = await client.next("response.done");
    expect(done.response.status).toBe("cancelled");
    expect(done.response.status_details).toEqual({ type: "cancelled", reason: "client_cancelled" });
    const item = (await client.next("response.output_item.done")).item;
    expect(item.status).toBe("incomplete");
  });

  test("truncate rules: not audio ⇒ unsupported_content_type; past the end ⇒ error; valid ⇒ truncated", async () => {
    await start();
    const client = await open();
    await userText(client, "hi");
    const userItem = client.events.find((event) => event.type === "conversation.item.done")!.item;
    client.send({ type: "response.create" });
    const done = await client.next("response.done");
    const assistant = done.response.output[0];
    client.send({ type: "conversation.item.truncate", item_id: userItem.id, content_index: 0, audio_end_ms: 0 });
    expect((await client.next("error")).error.code).toBe("unsupported_content_type");
    client.send({ type: "conversation.item.truncate", item_id: assistant.id, content_index: 0, audio_end_ms: 99_999 });
    expect((await client.next("error")).error.message).toMatch(
      /^Audio content of \d+ms is already shorter than 99999ms$/,
    );
    // The item holds ~85 ms less than was streamed: a truncate at the end of the received audio is refused.
    const streamedMs = client.events
      .filter((event) => event.type === "response.output_audio.delta")
      .reduce((sum, event) => sum + Buffer.from(event.delta, "base64").byteLength / 48, 0);
    client.send({
      type: "conversation.item.truncate",
      item_id: assistant.id,
      content_index: 0,
      audio_end_ms: streamedMs,
    });
    expect((await client.next("error")).error.message).toBe(
      `Audio content of ${streamedMs - 85}ms is already shorter than ${streamedMs}ms`,
    );
    client.send({ type: "conversation.item.truncate", item_id: assistant.id, content_index: 0, audio_end_ms: 150 });
    expect(await client.next("conversation.item.truncated")).toMatchObject({
      item_id: assistant.id,
      audio_end_ms: 150,
    });
    client.send({ type: "conversation.item.retrieve", item_id: assistant.id });
    const retrieved = await client.next("conversation.item.retrieved");
    expect(Buffer.from(retrieved.item.content[0].audio, "base64").byteLength).toBe(150 * 48);
    expect(retrieved.item.content[0].transcript).toBe("");
  });

  test("speech during a response cancels it (turn_detected); text modality; out-of-band concurrency", async () => {
    await start({ speed: 1 });
    const client = await open();
    await userText(client, "a long answer please with many words in it to keep talking");
    client.send({ type: "response.create" });
    await client.next("response.output_audio.delta");
    speak(client, 200, 0);
    await client.next("input_audio_buffer.speech_started");
    const done = await client.next("response.done");
    expect(done.response.status_details.reason).toBe("turn_detected");
    client.send({ type: "input_audio_buffer.clear" });
    await client.next("input_audio_buffer.cleared");
    client.send({ type: "response.create", response: { output_modalities: ["text"], conversation: "none" } });
    client.send({ type: "response.create", response: { output_modalities: ["text"], conversation: "none" } });
    expect((await client.next("response.output_text.done")).text).toContain("You said:");
    await client.next("response.output_text.done");
    expect(client.types()).not.toContain("error");
  });

  test("items: assistant audio cannot be injected; previous_item_id root; delete unknown ⇒ error; output_audio_buffer.clear ⇒ error", async () => {
    await start();
    const client = await open();
    client.send({
      type: "conversation.item.create",
      item: { type: "message", role: "assistant", content: [{ type: "output_audio", transcript: "x" }] },
    });
    expect((await client.next("error")).error.code).toBe("invalid_value");
    await userText(client, "first");
    client.send({
      type: "conversation.item.create",
      previous_item_id: "root",
      item: { type: "message", role: "system", content: [{ type: "input_text", text: "context" }] },
    });
    expect((await client.next("conversation.item.added")).previous_item_id).toBeNull();
    expect((current.fake!.conversation()[0] as any).role).toBe("system");
    client.send({ type: "conversation.item.delete", item_id: "nope" });
    expect((await client.next("error")).error.code).toBe("item_not_found");
    client.send({ type: "output_audio_buffer.clear" });
    expect((await client.next("error")).error.param).toBe("type");
    client.send({ type: "made.up" });
    client.socket.send("{not json");
    expect((await client.next("error")).error.param).toBe("type");
    expect((await client.next("error")).error.code).toBe("invalid_json");
  });

  test("function call: event order and streamed arguments", async () => {
    await start();
    const client = await open();
    client.send({
      type: "session.update",
      session: { type: "realtime", tools: [{ type: "function", name: "lookup" }] },
    });
    await client.next("session.updated");
    await userText(client, "please lookup the order");
    client.send({ type: "response.create" });
    const done = await client.next("response.done");
    expect(done.response.output[0]).toMatchObject({ type: "function_call", name: "lookup", arguments: "{}" });
    const order = client
      .types()
      .slice(client.types().indexOf("response.created"))
      .filter((type, index, all) => type !== all[index - 1]);
    expect(order).toEqual([
      "response.created",
      "rate_limits.updated",
      "response.output_item.added",
      "conversation.item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "conversation.item.done",
      "response.done",
    ]);
  });
});
