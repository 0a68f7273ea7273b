import type { GeminiApiVersion, GeminiModelProfile, GeminiSetup } from "./types.ts";

/** Why the fake refuses a `setup`: the close code and the reason string the real server uses. */
export interface SetupRejection {
  code: 1007 | 1008;
  reason: string;
}

export const DEFAULT_FAKE_MODELS: readonly string[] = [
  "gemini-2.5-flash-native-audio-preview-12-2025",
  "gemini-2.5-flash-native-audio-preview-09-2025",
  "gemini-2.5-flash-native-audio-latest",
  "gemini-3.1-flash-live-preview",
  "gemini-3.8-live",
  "gemini-3.8-live-extended-thinking",
];

const SETUP_FIELDS = [
  "model",
  "generationConfig",
  "systemInstruction",
  "tools",
  "realtimeInputConfig",
  "sessionResumption",
  "contextWindowCompression",
  "inputAudioTranscription",
  "outputAudioTranscription",
  "historyConfig",
  "safetySettings",
];
const GENERATION_FIELDS = [
  "responseModalities",
  "temperature",
  "topP",
  "topK",
  "maxOutputTokens",
  "seed",
  "speechConfig",
  "thinkingConfig",
  "mediaResolution",
  "candidateCount",
  "presencePenalty",
  "frequencyPenalty",
];
const SCHEMA_FIELDS = [
  "type",
  "format",
  "title",
  "description",
  "nullable",
  "enum",
  "maxItems",
  "minItems",
  "properties",
  "required",
  "minProperties",
  "maxProperties",
  "minLength",
  "maxLength",
  "pattern",
  "example",
  "anyOf",
  "propertyOrdering",
  "default",
  "items",
  "minimum",
  "maximum",
];
const SCHEMA_TYPES = ["TYPE_UNSPECIFIED", "STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY", "OBJECT", "NULL"];
const MODALITIES = ["TEXT", "AUDIO", "IMAGE"];
const START_SENSITIVITY = ["START_SENSITIVITY_UNSPECIFIED", "START_SENSITIVITY_HIGH", "START_SENSITIVITY_LOW"];
const END_SENSITIVITY = ["END_SENSITIVITY_UNSPECIFIED", "END_SENSITIVITY_HIGH", "END_SENSITIVITY_LOW"];
const ACTIVITY_HANDLING = ["ACTIVITY_HANDLING_UNSPECIFIED", "START_OF_ACTIVITY_INTERRUPTS", "NO_INTERRUPTION"];
const TURN_COVERAGE = [
  "TURN_COVERAGE_UNSPECIFIED",
  "TURN_INCLUDES_ONLY_ACTIVITY",
  "TURN_INCLUDES_ALL_INPUT",
  "TURN_INCLUDES_AUDIO_ACTIVITY_AND_ALL_VIDEO",
];

class Rejected extends Error {
  constructor(readonly rejection: SetupRejection) {
    super(rejection.reason);
  }
}

function snake(path: string): string {
  return path.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function unknownField(name: string, path: string): never {
  throw new Rejected({
    code: 1007,
    reason: `Invalid JSON payload received. Unknown name "${name}" at '${snake(path)}': Cannot find field.`,
  });
}

function invalidValue(path: string, typeName: string, value: unknown, version: GeminiApiVersion): never {
  throw new Rejected({
    code: 1007,
    reason: `Invalid value at '${snake(path)}' (type.googleapis.com/google.ai.generativelanguage.${version}.${typeName}), ${JSON.stringify(value)}`,
  });
}

function invalidArgument(): never {
  throw new Rejected({ code: 1007, reason: "Request contains an invalid argument." });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkKnown(value: unknown, known: readonly string[], path: string): Record<string, unknown> {
  if (!isObject(value)) invalidArgument();
  for (const key of Object.keys(value)) if (!known.includes(key)) unknownField(key, path);
  return value;
}

function checkEnum(
  value: unknown,
  allowed: readonly string[],
  path: string,
  typeName: string,
  version: GeminiApiVersion,
): void {
  if (value !== undefined && (typeof value !== "string" || !allowed.includes(value))) {
    invalidValue(path, typeName, value, version);
  }
}

function checkSchema(schema: unknown, path: string, version: GeminiApiVersion): void {
  const object = checkKnown(schema, SCHEMA_FIELDS, path);
  checkEnum(object.type, SCHEMA_TYPES, `${path}.type`, "Type", version);
  if (object.properties !== undefined) {
    if (!isObject(object.properties)) invalidArgument();
    for (const [name, child] of Object.entries(object.properties))
      checkSchema(child, `${path}.properties[${name}].value`, version);
  }
  if (object.items !== undefined) checkSchema(object.items, `${path}.items`, version);
  if (object.anyOf !== undefined) {
    if (!Array.isArray(object.anyOf)) invalidArgument();
    for (const [index, child] of object.anyOf.entries()) checkSchema(child, `${path}.anyOf[${index}]`, version);
  }
}

function checkTools(tools: unknown, version: GeminiApiVersion): void {
  if (!Array.isArray(tools)) invalidArgument();
  tools.forEach((tool, toolIndex) => {
    const path = `setup.tools[${toolIndex}]`;
    const object = checkKnown(tool, ["functionDeclarations", "googleSearch", "codeExecution", "urlContext"], path);
    const declarations = object.functionDeclarations;
    if (declarations === undefined) return;
    if (!Array.isArray(declarations)) invalidArgument();
    declarations.forEach((declaration, index) => {
      const declarationPath = `${path}.functionDeclarations[${index}]`;
      const fields = [
        "name",
        "description",
        "parameters",
        "parametersJsonSchema",
        "behavior",
        "response",
        "responseJsonSchema",
      ];
      const fd = checkKnown(declaration, fields, declarationPath);
      if (typeof fd.name !== "string" || !/^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/.test(fd.name)) invalidArgument();
      checkEnum(
        fd.behavior,
        ["UNSPECIFIED", "BLOCKING", "NON_BLOCKING"],
        `${declarationPath}.behavior`,
        "Behavior",
        version,
      );
      if (fd.parameters !== undefined) checkSchema(fd.parameters, `${declarationPath}.parameters`, version);
    });
  });
}

function checkGenerationConfig(value: unknown, version: GeminiApiVersion): void {
  const fields = version === "v1alpha" ? [...GENERATION_FIELDS, "enableAffectiveDialog"] : GENERATION_FIELDS;
  const config = checkKnown(value, fields, "setup.generationConfig");
  const modalities = config.responseModalities;
  if (modalities !== undefined) {
    if (!Array.isArray(modalities) || modalities.length > 1) invalidArgument();
    for (const [index, modality] of modalities.entries()) {
      checkEnum(modality, MODALITIES, `setup.generationConfig.responseModalities[${index}]`, "Modality", version);
    }
  }
  if (config.speechConfig !== undefined) {
    const speech = checkKnown(
      config.speechConfig,
      ["voiceConfig", "languageCode"],
      "setup.generationConfig.speechConfig",
    );
    if (speech.voiceConfig !== undefined) {
      const voice = checkKnown(
        speech.voiceConfig,
        ["prebuiltVoiceConfig"],
        "setup.generationConfig.speechConfig.voiceConfig",
      );
      if (voice.prebuiltVoiceConfig !== undefined) {
        checkKnown(
          voice.prebuiltVoiceConfig,
          ["voiceName"],
          "setup.generationConfig.speechConfig.voiceConfig.prebuiltVoiceConfig",
        );
      }
    }
  }
  if (config.thinkingConfig !== undefined) {
    checkKnown(
      config.thinkingConfig,
      ["thinkingBudget", "includeThoughts", "thinkingLevel"],
      "setup.generationConfig.thinkingConfig",
    );
  }
}

function checkRealtimeInputConfig(value: unknown, version: GeminiApiVersion): void {
  const path = "setup.realtimeInputConfig";
  const config = checkKnown(value, ["automaticActivityDetection", "activityHandling", "turnCoverage"], path);
  checkEnum(config.activityHandling, ACTIVITY_HANDLING, `${path}.activityHandling`, "ActivityHandling", version);
  checkEnum(config.turnCoverage, TURN_COVERAGE, `${path}.turnCoverage`, "TurnCoverage", version);
  if (config.automaticActivityDetection !== undefined) {
    const vadPath = `${path}.automaticActivityDetection`;
    const vad = checkKnown(
      config.automaticActivityDetection,
      ["disabled", "startOfSpeechSensitivity", "endOfSpeechSensitivity", "prefixPaddingMs", "silenceDurationMs"],
      vadPath,
    );
    checkEnum(
      vad.startOfSpeechSensitivity,
      START_SENSITIVITY,
      `${vadPath}.startOfSpeechSensitivity`,
      "StartSensitivity",
      version,
    );
    checkEnum(
      vad.endOfSpeechSensitivity,
      END_SENSITIVITY,
      `${vadPath}.endOfSpeechSensitivity`,
      "EndSensitivity",
      version,
    );
  }
}

/** Validates a `setup` the way the real server does; returns the close code and reason to use, or undefined. */
export function validateSetup(
  setup: unknown,
  version: GeminiApiVersion,
  models: readonly string[],
): SetupRejection | undefined {
  try {
    const fields = version === "v1alpha" ? [...SETUP_FIELDS, "proactivity"] : SETUP_FIELDS;
    const object = checkKnown(setup, fields, "setup");
    const model = object.model;
    const id = typeof model === "string" && model.startsWith("models/") ? model.slice("models/".length) : undefined;
    if (id === undefined || !models.includes(id)) {
      return {
        code: 1008,
        reason: `${String(model)} is not found for API version ${version}, or is not supported for bidiGenerateContent. Call ListModels to see the list of available models and their supported methods.`,
      };
    }
    if (object.generationConfig !== undefined) checkGenerationConfig(object.generationConfig, version);
    // Native-audio models speak: they refuse a TEXT response modality (AUDIO only).
    const modalities = (object.generationConfig as { responseModalities?: unknown[] } | undefined)?.responseModalities;
    if (id.includes("native-audio") && modalities?.[0] === "TEXT") invalidArgument();
    if (object.realtimeInputConfig !== undefined) checkRealtimeInputConfig(object.realtimeInputConfig, version);
    if (object.tools !== undefined) checkTools(object.tools, version);
    if (object.sessionResumption !== undefined)
      checkKnown(object.sessionResumption, ["handle"], "setup.sessionResumption");
    if (object.contextWindowCompression !== undefined) {
      checkKnown(object.contextWindowCompression, ["triggerTokens", "slidingWindow"], "setup.contextWindowCompression");
    }
    if (object.proactivity !== undefined) checkKnown(object.proactivity, ["proactiveAudio"], "setup.proactivity");
    if (object.historyConfig !== undefined) {
      checkKnown(object.historyConfig, ["initialHistoryInClientContent"], "setup.historyConfig");
    }
    return undefined;
  } catch (error) {
    if (error instanceof Rejected) return error.rejection;
    throw error;
  }
}

/** The function tools a setup declares, with their behaviour. */
export function declaredFunctions(setup: GeminiSetup | undefined): Array<{ name: string; behavior?: string }> {
  const names: Array<{ name: string; behavior?: string }> = [];
  const tools = (setup?.tools ?? []) as Array<{ functionDeclarations?: Array<{ name?: string; behavior?: string }> }>;
  for (const tool of tools) {
    for (const declaration of tool.functionDeclarations ?? []) {
      if (declaration.name) names.push({ name: declaration.name, behavior: declaration.behavior });
    }
  }
  return names;
}

/**
 * Whether the service refuses a `clientContent` (close 1007): on 2.5 once realtime input has started
 * (pipecat-ai/pipecat#4403); a session's first content ending with a model turn; on 3.1 outside initial-history
 * seeding.
 */
export function clientContentRefused(state: {
  profile: GeminiModelProfile;
  realtimeInputSeen: boolean;
  first: boolean;
  lastRole: string | undefined;
  seeding: boolean;
}): boolean {
  if (state.profile === "2.5" && state.realtimeInputSeen) return true;
  if (state.first && state.lastRole === "model") return true;
  return state.profile === "3.1" && !state.seeding;
}

/** The model profile of a `models/<id>` name: `gemini-3.8*` → 3.8, other `gemini-3*` → 3.1, else 2.5. */
export function modelProfileOf(model: string, override: GeminiModelProfile | undefined): GeminiModelProfile {
  if (override) return override;
  const id = model.slice("models/".length);
  return id.startsWith("gemini-3.8") ? "3.8" : id.startsWith("gemini-3") ? "3.1" : "2.5";
}
