import type { ToolDefinition } from "@roomkit/spec";
import type { ChannelRuntime } from "../runtime.ts";
import { setToolCatalogue } from "../tools/tool-catalogue.ts";
import { validateTools } from "./resolve-session-config.ts";
import type { SessionState } from "./session-state.ts";

export interface ReconfigureOptions {
  systemPrompt?: string;
  voice?: string;
  tools?: readonly ToolDefinition[];
  temperature?: number;
  providerConfig?: Record<string, unknown>;
}

/**
 * Hands the provider the complete effective configuration (omitted fields keep their current value, an empty
 * tools list clears them), then records it for the session (tool gating follows the new catalogue).
 */
export async function reconfigureSession(
  runtime: ChannelRuntime,
  state: SessionState,
  options: ReconfigureOptions,
): Promise<void> {
  const current = state.config;
  const next = {
    systemPrompt: options.systemPrompt ?? current.systemPrompt,
    voice: options.voice ?? current.voice,
    tools: options.tools !== undefined ? validateTools(options.tools, "tools") : current.tools,
    temperature: options.temperature ?? current.temperature,
    providerConfig:
      options.providerConfig !== undefined
        ? { ...current.providerConfig, ...options.providerConfig }
        : current.providerConfig,
  };
  await runtime.provider.reconfigure(state.session, {
    ...next,
    inputSampleRate: state.rates.providerIn,
    outputSampleRate: state.rates.providerOut,
    serverVad: true,
  });
  state.config = next;
  setToolCatalogue(state, next.tools);
}
