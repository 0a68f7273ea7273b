import type { ProviderConnectOptions, ToolDefinition } from "@roomkit/spec";
import { flushHeldInbound } from "../audio/inbound-path.ts";
import { interruptOutbound } from "../audio/outbound-queue.ts";
import { emitFrameworkEvent } from "../hooks/hook-dispatch.ts";
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
 * Applies the complete effective configuration (omitted fields keep their current value, an empty tools list
 * clears them), then records it for the session (tool gating follows the new catalogue).
 * A provider with `midSessionReconfigure` gets it in-band (`provider.reconfigure`). Without it the channel does not
 * ask for an in-band update: it reconnects the provider with the new configuration itself (caller audio is held
 * meanwhile and the old response is dropped) and emits `voice_session_context_reset`, since the model starts a
 * fresh conversation.
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
  const connectOptions: ProviderConnectOptions = {
    ...next,
    inputSampleRate: state.rates.providerIn,
    outputSampleRate: state.rates.providerOut,
    serverVad: true,
  };
  if (runtime.provider.capabilities.midSessionReconfigure) {
    await runtime.provider.reconfigure(state.session, connectOptions);
  } else {
    await reconnectProvider(runtime, state, connectOptions);
    if (!state.isLive) return;
  }
  state.config = next;
  setToolCatalogue(state, next.tools);
}

async function reconnectProvider(
  runtime: ChannelRuntime,
  state: SessionState,
  options: ProviderConnectOptions,
): Promise<void> {
  const session = state.session;
  state.inbound.holding = true;
  interruptOutbound(state, true);
  state.speech.responseActive = false;
  state.tools?.calls?.abortAll(new Error("The provider reconnected to apply a new configuration"));
  try {
    await runtime.provider.disconnect(session);
    if (!state.isLive) return;
    session.renegotiate();
    await runtime.provider.connect(session, options);
  } catch (error) {
    state.inbound.holding = false;
    void runtime.endSession(state, "reconfigure_failed");
    throw error;
  }
  if (!state.isLive) return;
  flushHeldInbound(runtime, state);
  emitFrameworkEvent(runtime, "voice_session_context_reset", session.roomId, {
    session_id: session.id,
    reason: "reconfigure",
    provider: runtime.provider.name,
  });
}
