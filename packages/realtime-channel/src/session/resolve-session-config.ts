import {
  chooseSampleRate,
  InvalidArgumentError,
  type RealtimeProviderCapabilities,
  type ToolDefinition,
  type TransportAcceptResult,
} from "@roomkit/spec";
import { requireSampleRate, type ResolvedChannelOptions } from "../options.ts";
import type { SessionConfig, SessionRates } from "./session-config.ts";

/**
 * Per-session overrides from `session.metadata` (after the transport's auth had its say), in camelCase or the
 * seed's snake_case: systemPrompt/system_prompt, voice, tools, temperature, providerConfig/provider_config.
 */
export function resolveSessionConfig(defaults: SessionConfig, metadata: Record<string, unknown>): SessionConfig {
  const systemPrompt = pick(metadata, "systemPrompt", "system_prompt");
  const voice = pick(metadata, "voice");
  const tools = pick(metadata, "tools");
  const temperature = pick(metadata, "temperature");
  const providerConfig = pick(metadata, "providerConfig", "provider_config");
  if (systemPrompt !== undefined && typeof systemPrompt !== "string") throw invalid("system_prompt", "a string");
  if (voice !== undefined && typeof voice !== "string") throw invalid("voice", "a string");
  if (tools !== undefined && !isToolList(tools)) throw invalid("tools", "a list of tool definitions with names");
  if (temperature !== undefined && (typeof temperature !== "number" || !Number.isFinite(temperature))) {
    throw invalid("temperature", "a finite number");
  }
  if (providerConfig !== undefined && !isRecord(providerConfig)) throw invalid("provider_config", "an object");
  const overridden =
    systemPrompt !== undefined ||
    voice !== undefined ||
    tools !== undefined ||
    temperature !== undefined ||
    providerConfig !== undefined;
  // Nothing overridden: the session shares the defaults (never mutated; a reconfiguration replaces the object).
  if (!overridden) return defaults;
  return {
    systemPrompt: (systemPrompt as string | undefined) ?? defaults.systemPrompt,
    voice: (voice as string | undefined) ?? defaults.voice,
    tools: (tools as readonly ToolDefinition[] | undefined) ?? defaults.tools,
    temperature: (temperature as number | undefined) ?? defaults.temperature,
    providerConfig: (providerConfig as Record<string, unknown> | undefined) ?? defaults.providerConfig,
  };
}

/**
 * The session's rates. The transport rate comes from `accept()`'s result, else `metadata.transport_sample_rate`,
 * else the channel's `transportSampleRate`, else it equals the configured input/output rate. The provider gets
 * the configured rate if it accepts it, else the nearest rate it accepts (`chooseSampleRate`).
 */
export function resolveSessionRates(
  options: ResolvedChannelOptions,
  capabilities: RealtimeProviderCapabilities,
  accepted: TransportAcceptResult | undefined,
  metadata: Record<string, unknown>,
): SessionRates {
  let transportRate: number | undefined;
  if (accepted?.sampleRate !== undefined) transportRate = requireSampleRate("accept().sampleRate", accepted.sampleRate);
  else {
    const fromMetadata = pick(metadata, "transport_sample_rate", "transportSampleRate");
    if (fromMetadata !== undefined && fromMetadata !== null) {
      transportRate = requireSampleRate("metadata.transport_sample_rate", fromMetadata);
    } else transportRate = options.transportSampleRate;
  }
  return {
    transportIn: transportRate ?? options.inputSampleRate,
    providerIn: chooseSampleRate(options.inputSampleRate, capabilities.inputSampleRates ?? []),
    providerOut: chooseSampleRate(options.outputSampleRate, capabilities.outputSampleRates ?? []),
    transportOut: transportRate ?? options.outputSampleRate,
  };
}

export function toolsByName(tools: readonly ToolDefinition[] | undefined): Map<string, ToolDefinition> | undefined {
  if (!tools || tools.length === 0) return undefined;
  const map = new Map<string, ToolDefinition>();
  for (const tool of tools) map.set(tool.name, tool);
  return map;
}

export function validateTools(tools: unknown, field: string): readonly ToolDefinition[] | undefined {
  if (tools === undefined || tools === null) return undefined;
  if (!isToolList(tools)) throw invalid(field, "a list of tool definitions with names");
  return tools;
}

function pick(metadata: Record<string, unknown>, ...keys: string[]): unknown {
  for (const key of keys) if (metadata[key] !== undefined) return metadata[key];
  return undefined;
}

function isToolList(value: unknown): value is readonly ToolDefinition[] {
  return (
    Array.isArray(value) &&
    value.every((tool) => isRecord(tool) && typeof tool.name === "string" && tool.name.length > 0)
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function invalid(field: string, expected: string): InvalidArgumentError {
  return new InvalidArgumentError(`${field} must be ${expected}`);
}
