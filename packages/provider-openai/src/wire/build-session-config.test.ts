import { describe, expect, test } from "bun:test";
import { InvalidArgumentError } from "@roomkit/spec";
import { parseProviderConfig } from "../provider-config.ts";
import { buildSessionConfig, buildSessionPatch, buildTurnDetection, formatTools } from "./build-session-config.ts";

const base = { inputSampleRate: 24000, outputSampleRate: 24000, serverVad: true };
const build = (providerConfig: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  buildSessionConfig({ ...base, ...extra, providerConfig: parseProviderConfig(providerConfig) });

describe("buildSessionConfig", () => {
  test("GA shape: type realtime, audio/pcm@24000 both ways, instructions, voice, transcription, noise reduction", () => {
    const built = build({}, { systemPrompt: "Be nice", voice: "marin" });
    expect(built.session).toEqual({
      type: "realtime",
      output_modalities: ["audio"],
      instructions: "Be nice",
      audio: {
        input: {
          format: { type: "audio/pcm", rate: 24000 },
          transcription: { model: "gpt-4o-transcribe" },
          noise_reduction: { type: "far_field" },
          turn_detection: { type: "server_vad" },
        },
        output: { format: { type: "audio/pcm", rate: 24000 }, voice: "marin" },
      },
    });
    expect(built.input.bytesPerMs).toBe(48);
  });

  test("8 kHz ⇒ audio/pcmu (8 bytes/ms); codec pcma ⇒ audio/pcma; 16 kHz ⇒ InvalidArgumentError", () => {
    const mulaw = build({}, { inputSampleRate: 8000, outputSampleRate: 8000 });
    expect((mulaw.session.audio as any).input.format).toEqual({ type: "audio/pcmu" });
    expect(mulaw.output.bytesPerMs).toBe(8);
    const alaw = build({ codec: "pcma" }, { inputSampleRate: 8000, outputSampleRate: 8000 });
    expect((alaw.session.audio as any).output.format).toEqual({ type: "audio/pcma" });
    expect(() => build({}, { inputSampleRate: 16000 })).toThrow(InvalidArgumentError);
    expect(() => build({ codec: "g722" })).toThrow(/providerConfig.codec/);
  });

  test("turn detection as the seed shows it: server_vad object, semantic_vad eagerness, null for manual", () => {
    const seedServer = {
      type: "server_vad",
      threshold: 0.5,
      silence_duration_ms: 800,
      prefix_padding_ms: 300,
      interrupt_response: true,
      create_response: true,
    };
    expect(buildTurnDetection(parseProviderConfig({ turn_detection: seedServer }), true)).toEqual(seedServer as any);
    expect(
      buildTurnDetection(parseProviderConfig({ turn_detection: { type: "semantic_vad", eagerness: "high" } }), true),
    ).toEqual({
      type: "semantic_vad",
      eagerness: "high",
    });
    expect(build({ turn_detection: null }).session).toMatchObject({ audio: { input: { turn_detection: null } } });
    expect(() => parseProviderConfig({ turn_detection: { type: "semantic_vad", eagerness: "sometimes" } })).toThrow(
      InvalidArgumentError,
    );
  });

  test("flat keys (the original's spelling) and serverVad false ⇒ explicit null", () => {
    const semantic = parseProviderConfig({
      turn_detection_type: "semantic_vad",
      eagerness: "low",
      interrupt_response: false,
      create_response: true,
    });
    expect(buildTurnDetection(semantic, true)).toEqual({
      type: "semantic_vad",
      eagerness: "low",
      interrupt_response: false,
      create_response: true,
    });
    const server = parseProviderConfig({
      threshold: 0.7,
      silence_duration_ms: 400,
      prefix_padding_ms: 200,
      idle_timeout_ms: 6000,
    });
    expect(buildTurnDetection(server, true)).toEqual({
      type: "server_vad",
      threshold: 0.7,
      silence_duration_ms: 400,
      prefix_padding_ms: 200,
      idle_timeout_ms: 6000,
    });
    expect(buildTurnDetection(server, false)).toBeNull();
    expect((build({}, { serverVad: false }).session.audio as any).input.turn_detection).toBeNull();
  });

  test("stt_model, language, prompt, noise_reduction, speed, reasoning_effort; temperature warns", () => {
    const built = build(
      {
        stt_model: "whisper-1",
        language: "fr",
        transcription_prompt: "names",
        noise_reduction: "near_field",
        speed: 1.2,
        reasoning_effort: "low",
      },
      { temperature: 0.7 },
    );
    expect((built.session.audio as any).input.transcription).toEqual({
      model: "whisper-1",
      language: "fr",
      prompt: "names",
    });
    expect((built.session.audio as any).input.noise_reduction).toEqual({ type: "near_field" });
    expect((built.session.audio as any).output.speed).toBe(1.2);
    expect(built.session.reasoning).toEqual({ effort: "low" });
    expect(built.warnings[0]).toContain("temperature");
    expect(build({ stt_model: null, noise_reduction: null }).session).toMatchObject({
      audio: { input: { transcription: null, noise_reduction: null } },
    });
    expect(build().session.reasoning).toBeUndefined();
    for (const bad of ["", "extreme", 3]) expect(() => build({ reasoning_effort: bad })).toThrow(InvalidArgumentError);
  });

  test("tools: unknown keys stripped, type defaults to function, native tools pass through", () => {
    const tools = formatTools([
      { name: "a", description: "A", parameters: { type: "object" }, tags: ["x"] } as any,
      { type: "mcp", server_label: "s" } as any,
    ]);
    expect(tools).toEqual([
      { type: "function", name: "a", description: "A", parameters: { type: "object" } },
      { type: "mcp", server_label: "s" },
    ]);
  });
});

describe("buildSessionPatch (in-band reconfigure)", () => {
  test("only what changed; cleared instructions and tools; formats never patched; nothing ⇒ undefined", () => {
    const before = build({}, { systemPrompt: "A", voice: "marin", tools: [{ name: "t" }] }).session;
    expect(buildSessionPatch(before, before)).toBeUndefined();
    const after = build({ reasoning_effort: "high" }, { systemPrompt: "B", voice: "cedar" }).session;
    expect(buildSessionPatch(before, after)).toEqual({
      type: "realtime",
      instructions: "B",
      tools: [],
      reasoning: { effort: "high" },
      audio: { output: { voice: "cedar" } },
    });
    const manual = build(
      { turn_detection: null },
      { systemPrompt: "A", voice: "marin", tools: [{ name: "t" }] },
    ).session;
    expect(buildSessionPatch(before, manual)).toEqual({ type: "realtime", audio: { input: { turn_detection: null } } });
    const noPrompt = build({}, { voice: "marin", tools: [{ name: "t" }] }).session;
    expect(buildSessionPatch(before, noPrompt)).toEqual({ type: "realtime", instructions: "" });
  });
});
