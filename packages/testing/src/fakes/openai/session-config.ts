/** The fake's session state: GA defaults, `session.update` validation with the real error codes, deep merge. */

export type SessionObject = Record<string, any>;

export interface SessionError {
  code: string;
  message: string;
  param?: string;
}

export function defaultSession(options: { id: string; model: string; expiresAt: number }): SessionObject {
  return {
    type: "realtime",
    object: "realtime.session",
    id: options.id,
    model: options.model,
    expires_at: options.expiresAt,
    output_modalities: ["audio"],
    instructions: "",
    tools: [],
    tool_choice: "auto",
    max_output_tokens: "inf",
    tracing: null,
    prompt: null,
    truncation: "auto",
    include: null,
    audio: {
      input: {
        format: { type: "audio/pcm", rate: 24000 },
        transcription: null,
        noise_reduction: null,
        turn_detection: {
          type: "server_vad",
          threshold: 0.5,
          prefix_padding_ms: 300,
          silence_duration_ms: 500,
          idle_timeout_ms: null,
          create_response: true,
          interrupt_response: true,
        },
      },
      output: { format: { type: "audio/pcm", rate: 24000 }, voice: "marin", speed: 1 },
    },
  };
}

const TOP_LEVEL = new Set([
  "type",
  "model",
  "instructions",
  "output_modalities",
  "audio",
  "tools",
  "tool_choice",
  "max_output_tokens",
  "parallel_tool_calls",
  "prompt",
  "reasoning",
  "tracing",
  "truncation",
  "include",
]);
const AUDIO_INPUT = new Set(["format", "transcription", "noise_reduction", "turn_detection"]);
const AUDIO_OUTPUT = new Set(["format", "voice", "speed"]);
const SERVER_VAD = new Set([
  "type",
  "threshold",
  "prefix_padding_ms",
  "silence_duration_ms",
  "idle_timeout_ms",
  "create_response",
  "interrupt_response",
]);
const SEMANTIC_VAD = new Set(["type", "eagerness", "create_response", "interrupt_response"]);
const FUNCTION_TOOL = new Set(["type", "name", "description", "parameters"]);
const FORMATS = new Set(["audio/pcm", "audio/pcmu", "audio/pcma"]);

const unknown = (param: string): SessionError => ({
  code: "unknown_parameter",
  message: `Unknown parameter: '${param}'.`,
  param,
});
const invalid = (param: string, message: string): SessionError => ({ code: "invalid_value", message, param });

function isObject(value: unknown): value is SessionObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Validates a GA `session.update` payload; returns the first error, as the real API does. */
export function validateSessionUpdate(session: unknown, current: SessionObject): SessionError | undefined {
  if (!isObject(session)) return invalid("session", "Invalid type for 'session': expected an object.");
  if (session.type === undefined) {
    return {
      code: "missing_required_parameter",
      message: "Missing required parameter: 'session.type'.",
      param: "session.type",
    };
  }
  if (session.type !== "realtime") {
    return invalid("session.type", `Invalid value: '${session.type}'. Supported values are: 'realtime'.`);
  }
  for (const key of Object.keys(session)) if (!TOP_LEVEL.has(key)) return unknown(`session.${key}`);
  if (session.model !== undefined && session.model !== current.model) {
    return invalid("session.model", "The model of an existing session cannot be changed.");
  }
  if (session.output_modalities !== undefined) {
    const modalities = session.output_modalities;
    if (!Array.isArray(modalities) || modalities.length !== 1 || !["audio", "text"].includes(modalities[0])) {
      return invalid("session.output_modalities", "output_modalities must be ['audio'] or ['text'].");
    }
  }
  if (session.instructions !== undefined && typeof session.instructions !== "string") {
    return invalid("session.instructions", "Invalid type for 'session.instructions': expected a string.");
  }
  const toolError = validateTools(session.tools);
  if (toolError) return toolError;
  if (session.reasoning !== undefined && session.reasoning !== null) {
    const effort = session.reasoning?.effort;
    if (!["minimal", "low", "medium", "high", "xhigh"].includes(effort)) {
      return invalid("session.reasoning.effort", `Invalid value: '${effort}'.`);
    }
  }
  if (session.audio !== undefined) return validateAudio(session.audio);
  return undefined;
}

function validateTools(tools: unknown): SessionError | undefined {
  if (tools === undefined) return undefined;
  if (!Array.isArray(tools)) return invalid("session.tools", "Invalid type for 'session.tools': expected an array.");
  for (const [index, tool] of tools.entries()) {
    if (!isObject(tool)) return invalid(`session.tools[${index}]`, "Invalid tool.");
    if (tool.type === "function") {
      for (const key of Object.keys(tool))
        if (!FUNCTION_TOOL.has(key)) return unknown(`session.tools[${index}].${key}`);
      if (typeof tool.name !== "string" || tool.name === "") {
        return {
          code: "missing_required_parameter",
          message: `Missing required parameter: 'session.tools[${index}].name'.`,
          param: `session.tools[${index}].name`,
        };
      }
    } else if (tool.type !== "mcp") {
      return invalid(`session.tools[${index}].type`, `Invalid value: '${tool.type}'.`);
    }
  }
  return undefined;
}

function validateFormat(format: unknown, param: string): SessionError | undefined {
  if (!isObject(format) || !FORMATS.has(format.type)) {
    return invalid(`${param}.type`, `Invalid value: '${isObject(format) ? format.type : format}'.`);
  }
  if (format.type === "audio/pcm" && format.rate !== undefined && format.rate !== 24000) {
    return invalid(`${param}.rate`, `Invalid value: ${format.rate}. Supported values are: 24000.`);
  }
  return undefined;
}

function validateAudio(audio: unknown): SessionError | undefined {
  if (!isObject(audio)) return invalid("session.audio", "Invalid type for 'session.audio'.");
  for (const key of Object.keys(audio)) if (key !== "input" && key !== "output") return unknown(`session.audio.${key}`);
  const input = audio.input;
  if (input !== undefined) {
    if (!isObject(input)) return invalid("session.audio.input", "Invalid type.");
    for (const key of Object.keys(input)) if (!AUDIO_INPUT.has(key)) return unknown(`session.audio.input.${key}`);
    if (input.format !== undefined) {
      const error = validateFormat(input.format, "session.audio.input.format");
      if (error) return error;
    }
    const noise = input.noise_reduction;
    if (noise !== undefined && noise !== null && !["near_field", "far_field"].includes(noise?.type)) {
      return invalid("session.audio.input.noise_reduction.type", `Invalid value: '${noise?.type}'.`);
    }
    const detection = input.turn_detection;
    if (detection !== undefined && detection !== null) {
      const allowed =
        detection?.type === "server_vad" ? SERVER_VAD : detection?.type === "semantic_vad" ? SEMANTIC_VAD : undefined;
      if (!allowed) return invalid("session.audio.input.turn_detection.type", `Invalid value: '${detection?.type}'.`);
      for (const key of Object.keys(detection)) {
        if (!allowed.has(key)) return unknown(`session.audio.input.turn_detection.${key}`);
      }
      if (detection.threshold !== undefined && !(detection.threshold >= 0 && detection.threshold <= 1)) {
        return invalid("session.audio.input.turn_detection.threshold", "threshold must be between 0 and 1.");
      }
      if (detection.eagerness !== undefined && !["low", "medium", "high", "auto"].includes(detection.eagerness)) {
        return invalid("session.audio.input.turn_detection.eagerness", `Invalid value: '${detection.eagerness}'.`);
      }
    }
  }
  const output = audio.output;
  if (output !== undefined) {
    if (!isObject(output)) return invalid("session.audio.output", "Invalid type.");
    for (const key of Object.keys(output)) if (!AUDIO_OUTPUT.has(key)) return unknown(`session.audio.output.${key}`);
    if (output.format !== undefined) {
      const error = validateFormat(output.format, "session.audio.output.format");
      if (error) return error;
    }
    if (output.speed !== undefined && !(output.speed >= 0.25 && output.speed <= 1.5)) {
      return invalid("session.audio.output.speed", "speed must be between 0.25 and 1.5.");
    }
  }
  return undefined;
}

const SERVER_VAD_DEFAULTS = {
  threshold: 0.5,
  prefix_padding_ms: 300,
  silence_duration_ms: 500,
  idle_timeout_ms: null,
  create_response: true,
  interrupt_response: true,
};
const SEMANTIC_VAD_DEFAULTS = { eagerness: "auto", create_response: true, interrupt_response: true };

/** Deep-merges an update into the session: objects merge, arrays and `null` replace. */
export function mergeSession(current: SessionObject, update: SessionObject): SessionObject {
  const { type: _type, ...rest } = update;
  const merged = deepMerge(current, rest);
  const detection = update.audio?.input?.turn_detection;
  if (isObject(detection)) {
    // A partial turn_detection object is completed with the defaults of its type.
    const defaults = detection.type === "semantic_vad" ? SEMANTIC_VAD_DEFAULTS : SERVER_VAD_DEFAULTS;
    merged.audio.input.turn_detection = { type: detection.type, ...defaults, ...detection };
  }
  return merged;
}

function deepMerge(target: SessionObject, source: SessionObject): SessionObject {
  const result: SessionObject = { ...target };
  for (const [key, value] of Object.entries(source)) {
    if (key === "turn_detection" || key === "format") result[key] = value;
    else if (isObject(value) && isObject(result[key])) result[key] = deepMerge(result[key], value);
    else result[key] = value;
  }
  return result;
}

export function formatOf(format: SessionObject | undefined): { encoding: "pcm" | "pcmu" | "pcma"; sampleRate: number } {
  if (format?.type === "audio/pcmu") return { encoding: "pcmu", sampleRate: 8000 };
  if (format?.type === "audio/pcma") return { encoding: "pcma", sampleRate: 8000 };
  return { encoding: "pcm", sampleRate: 24000 };
}
