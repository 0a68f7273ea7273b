/**
 * Second official client: the `openai` SDK's `OpenAIRealtimeWS` (GA). It forces `wss://`, so the fake runs in TLS
 * mode with a throw-away self-signed certificate made by `openssl` (local, offline) and passed as `options.ca`.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { OpenAIRealtimeWS as BetaRealtimeWS } from "openai/beta/realtime/ws";
import { OpenAIRealtimeWS } from "openai/realtime/ws";
import { createOpenAIRealtimeFake, type OpenAIRealtimeFake } from "./index.ts";

let fake: OpenAIRealtimeFake;
let cert = "";
const directory = mkdtempSync(join(tmpdir(), "roomkit-openai-fake-"));

beforeAll(async () => {
  const result = Bun.spawnSync([
    "openssl",
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    join(directory, "key.pem"),
    "-out",
    join(directory, "cert.pem"),
    "-days",
    "1",
    "-subj",
    "/CN=127.0.0.1",
    "-addext",
    "subjectAltName=IP:127.0.0.1",
  ]);
  if (result.exitCode !== 0) throw new Error(`openssl failed: ${result.stderr.toString()}`);
  cert = readFileSync(join(directory, "cert.pem"), "utf8");
  fake = await createOpenAIRealtimeFake({
    speed: "instant",
    tls: { cert, key: readFileSync(join(directory, "key.pem"), "utf8") },
  });
});

afterAll(async () => {
  await fake?.close();
  rmSync(directory, { recursive: true, force: true });
});

test("openai OpenAIRealtimeWS over wss: session.update, text turn → audio, transcript, response.done", async () => {
  const client = new OpenAI({ apiKey: "sk-test", baseURL: fake.httpBaseUrl });
  const realtime = await OpenAIRealtimeWS.create(client, { model: "gpt-realtime", options: { ca: cert } });
  const types: string[] = [];
  const errors: unknown[] = [];
  realtime.on("error", (error) => errors.push(error));
  const done = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out; got ${types.join(",")}`)), 10_000);
    realtime.on("event", (event) => {
      types.push(event.type);
      if (event.type === "response.output_audio_transcript.done") {
        clearTimeout(timer);
        resolve(event.transcript);
      }
    });
  });
  await new Promise<void>((resolve) => realtime.socket.once("open", () => resolve()));
  realtime.send({ type: "session.update", session: { type: "realtime", instructions: "Be brief." } });
  realtime.send({
    type: "conversation.item.create",
    item: { type: "message", role: "user", content: [{ type: "input_text", text: "hello sdk" }] },
  });
  realtime.send({ type: "response.create" });
  expect(await done).toBe("You said: hello sdk");
  expect(types).toContain("session.updated");
  expect(types).toContain("response.output_audio.delta");
  expect(fake.connections[0]!.headers.authorization).toBe("Bearer sk-test");
  expect(fake.connections[0]!.headers["openai-beta"]).toBeUndefined();
  expect(errors).toEqual([]);
  realtime.close();
});

test("openai beta OpenAIRealtimeWS (OpenAI-Beta header) ⇒ beta_api_shape_disabled, as the real API since May 2026", async () => {
  const client = new OpenAI({ apiKey: "sk-test", baseURL: fake.httpBaseUrl });
  const beta = await BetaRealtimeWS.create(client, { model: "gpt-realtime", options: { ca: cert } });
  const code = await new Promise<string | null | undefined>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no error event")), 10_000);
    beta.on("error", (error) => {
      clearTimeout(timer);
      resolve(error.error?.code);
    });
  });
  expect(code).toBe("beta_api_shape_disabled");
  expect(fake.connections.at(-1)!.shape).toBe("beta");
  beta.close();
});
