import { describe, expect, test } from "bun:test";
import { InvalidArgumentError, type ProviderConnectOptions } from "@roomkit/spec";
import { buildSessionConfig, mapSensitivity } from "./build-session-config.ts";

const base: ProviderConnectOptions = { inputSampleRate: 16000, outputSampleRate: 24000, serverVad: true };

describe("buildSessionConfig (§8 item 74)", () => {
  test("defaults: AUDIO, both transcriptions, resumption enabled, sliding window, automatic VAD", () => {
    const { config, needsV1alpha, warnings } = buildSessionConfig({ options: base });
    expect(config).toEqual({
      responseModalities: ["AUDIO"] as never,
      inputAudioTranscription: {},
      outputAudioTranscription: {},
      sessionResumption: {},
      contextWindowCompression: { slidingWindow: {} },
      realtimeInputConfig: { automaticActivityDetection: { disabled: false } },
    });
    expect(needsV1alpha).toBe(false);
    expect(warnings).toEqual([]);
  });

  test("prompt, voice, temperature, tools and every providerConfig key of the seed", () => {
    const { config, needsV1alpha } = buildSessionConfig({
      options: {
        ...base,
        systemPrompt: "be brief",
        voice: "Aoede",
        temperature: 0.7,
        tools: [
          {
            name: "lookup",
            description: "find",
            parameters: { type: "object", title: "x", properties: { q: { type: ["string", "null"] } } },
          },
        ],
        providerConfig: {
          start_of_speech_sensitivity: "HIGH",
          end_of_speech_sensitivity: "END_SENSITIVITY_LOW",
          silence_duration_ms: 500,
          prefix_padding_ms: 40,
          proactive_audio: true,
          enable_affective_dialog: true,
          thinking_budget: 1024,
          top_p: 0.8,
          top_k: 40,
          max_output_tokens: 2048,
          seed: 7,
          activity_handling: "NO_INTERRUPTION",
          language_code: "en-US",
          response_modalities: ["audio"],
        },
      },
      resumptionHandle: "h_1",
    });
    expect(config.systemInstruction).toBe("be brief");
    expect(config.temperature).toBe(0.7);
    expect(config.speechConfig).toEqual({
      voiceConfig: { prebuiltVoiceConfig: { voiceName: "Aoede" } },
      languageCode: "en-US",
    });
    expect(config.topP).toBe(0.8);
    expect(config.topK).toBe(40);
    expect(Number.isInteger(config.topK)).toBe(true);
    expect(config.maxOutputTokens).toBe(2048);
    expect(config.seed).toBe(7);
    expect(config.thinkingConfig).toEqual({ thinkingBudget: 1024 });
    expect(config.enableAffectiveDialog).toBe(true);
    expect(config.proactivity).toEqual({ proactiveAudio: true });
    expect(config.responseModalities).toEqual(["AUDIO"] as never);
    expect(config.sessionResumption).toEqual({ handle: "h_1" });
    expect(config.realtimeInputConfig).toEqual({
      automaticActivityDetection: {
        disabled: false,
        startOfSpeechSensitivity: "START_SENSITIVITY_HIGH" as never,
        endOfSpeechSensitivity: "END_SENSITIVITY_LOW" as never,
        silenceDurationMs: 500,
        prefixPaddingMs: 40,
      },
      activityHandling: "NO_INTERRUPTION" as never,
    });
    expect(config.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: "lookup",
            description: "find",
            parameters: { type: "OBJECT", properties: { q: { type: "STRING", nullable: true } } } as never,
          },
        ],
      },
    ]);
    expect(needsV1alpha).toBe(true);
  });

  test("the original's keys: language, seed, no_interruption", () => {
    const { config } = buildSessionConfig({
      options: { ...base, providerConfig: { language: "fr-FR", seed: 3, no_interruption: true } },
    });
    expect(config.speechConfig).toEqual({ languageCode: "fr-FR" });
    expect(config.seed).toBe(3);
    expect(config.realtimeInputConfig?.activityHandling).toBe("NO_INTERRUPTION" as never);
  });

  test("serverVad false disables automatic detection and drops the VAD settings", () => {
    const { config } = buildSessionConfig({
      options: { ...base, serverVad: false, providerConfig: { silence_duration_ms: 300 } },
    });
    expect(config.realtimeInputConfig).toEqual({ automaticActivityDetection: { disabled: true } });
  });

  test("MEDIUM sensitivity (not a Gemini value) is dropped with a warning instead of a 1007 close", () => {
    const { config, warnings } = buildSessionConfig({
      options: { ...base, providerConfig: { end_of_speech_sensitivity: "MEDIUM" } },
    });
    expect(config.realtimeInputConfig?.automaticActivityDetection?.endOfSpeechSensitivity).toBeUndefined();
    expect(warnings[0]).toContain("MEDIUM");
  });

  test("sensitivity names: short and full, any case", () => {
    expect(mapSensitivity("low", "START")).toBe("START_SENSITIVITY_LOW");
    expect(mapSensitivity("HIGH", "END")).toBe("END_SENSITIVITY_HIGH");
    expect(mapSensitivity("start_sensitivity_high", "START")).toBe("START_SENSITIVITY_HIGH");
    expect(mapSensitivity("END_SENSITIVITY_LOW", "START")).toBeUndefined();
  });

  test("bad providerConfig values raise InvalidArgumentError naming the key", () => {
    expect(() => buildSessionConfig({ options: { ...base, providerConfig: { top_k: "forty" } } })).toThrow(
      InvalidArgumentError,
    );
    expect(() => buildSessionConfig({ options: { ...base, providerConfig: { top_k: "forty" } } })).toThrow(/top_k/);
  });

  test("a fresh object each call (the SDK mutates tools in place)", () => {
    const options = { ...base, tools: [{ name: "t", parameters: { type: "object" } }] };
    const first = buildSessionConfig({ options }).config;
    const second = buildSessionConfig({ options }).config;
    expect(first.tools).not.toBe(second.tools);
    expect(options.tools[0]!.parameters).toEqual({ type: "object" });
  });
});
