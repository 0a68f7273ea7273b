import {
  ChannelType,
  HookTrigger,
  RoomKitError,
  type ToolArguments,
  type ToolCallEvent,
  ToolTimeoutError,
} from "@roomkit/spec";
import { emitFrameworkEvent, hasHooks, runChannelSyncHooks } from "../hooks/hook-dispatch.ts";
import { startTurn } from "../metrics/turn-latency.ts";
import type { ChannelRuntime } from "../runtime.ts";
import { gateInbound } from "../audio/inbound-path.ts";
import { SessionPhase } from "../session/lifecycle-state.ts";
import type { SessionState } from "../session/session-state.ts";
import { transcriptionQueue } from "../transcription/transcription-handler.ts";
import { ToolCallLedger } from "./tool-call-ledger.ts";
import { ToolState } from "./tool-state.ts";
import { errorResult, serializeToolResult, truncateToolResult } from "./tool-result.ts";
import { validateArguments } from "./validate-arguments.ts";

const NO_RESULT = Symbol("no-result");

/**
 * A tool call from the provider. It waits behind earlier transcriptions (order barrier), then runs beside them:
 * gate (declared? valid arguments? BEFORE_TOOL_USE) → handler (with timeout) → ON_TOOL_CALL hooks → exactly one
 * `submitToolResult` for the call id, on every path — unless the provider cancelled the call or the session ended.
 * Precedence: hook block > hook result > handler result > error.
 */
export function handleToolCall(
  runtime: ChannelRuntime,
  state: SessionState,
  callId: string,
  name: string,
  args: ToolArguments,
): void {
  if (state.phase > SessionPhase.LIVE) return;
  const tools = (state.tools ??= new ToolState());
  const ledger = (tools.calls ??= new ToolCallLedger());
  const controller = ledger.begin(callId);
  if (controller === undefined) {
    runtime.logger.warn("Duplicate tool call id ignored", { sessionId: state.session.id, callId, name });
    return;
  }
  transcriptionQueue(runtime, state).push(() => {
    if (controller.signal.aborted) {
      ledger.finish(callId);
      return;
    }
    const call: ToolCall = { callId, name: String(name), args: isObject(args) ? args : {}, signal: controller.signal };
    void runToolCall(runtime, state, call);
  });
}

/** The provider withdrew calls: running handlers are aborted, queued ones never run, no result is submitted. */
export function handleToolCallCancel(state: SessionState, callIds: readonly string[]): void {
  state.tools?.calls?.cancel(
    callIds,
    new RoomKitError({ message: "Tool call cancelled by the provider", code: "tool_call_cancelled" }),
  );
}

/** One call from the provider, as the channel runs it. */
interface ToolCall {
  callId: string;
  name: string;
  args: ToolArguments;
  /** Aborts when the provider cancels the call or the session ends. */
  signal: AbortSignal;
}

async function runToolCall(runtime: ChannelRuntime, state: SessionState, call: ToolCall): Promise<void> {
  const { callId, name, signal } = call;
  const mute = runtime.options.muteOnToolCall;
  const tools = state.tools!;
  if (mute && tools.muting++ === 0) muteInput(runtime, state, true);
  let result: string | undefined;
  try {
    result = await resolveResult(runtime, state, call);
  } catch (error) {
    if (!signal.aborted) {
      runtime.logger.error("Tool call failed", { sessionId: state.session.id, callId, name, error });
      result = errorResult("Internal error handling tool call");
    }
  } finally {
    if (mute && --tools.muting === 0 && state.isLive) muteInput(runtime, state, false);
  }
  try {
    if (result !== undefined && !signal.aborted) {
      await submit(runtime, state, callId, name, truncateToolResult(result, runtime.options.toolResultMaxLength));
    } else if (tools.calls?.isCancelled(callId)) {
      runtime.logger.info("Tool call was cancelled by the provider; result not submitted", { callId, name });
    }
  } finally {
    tools.calls?.finish(callId);
  }
}

async function resolveResult(runtime: ChannelRuntime, state: SessionState, call: ToolCall): Promise<string> {
  const { callId, name, signal } = call;
  let args = call.args;
  const session = state.session;
  const roomId = session.roomId;
  const declared = state.tools?.catalogue;
  const tool = declared?.get(name);
  if (declared !== undefined && declared.size > 0 && tool === undefined) {
    return errorResult(`Tool '${name}' is not declared`);
  }
  let problem = validateArguments(tool?.parameters, args);
  if (problem) return errorResult(`Invalid arguments for '${name}': ${problem}`);

  const framework = runtime.framework();
  if (framework && hasHooks(runtime, HookTrigger.BEFORE_TOOL_USE, roomId)) {
    const event = toolEvent(runtime, state, callId, name, args, undefined);
    const outcome = await runChannelSyncHooks(runtime, framework, HookTrigger.BEFORE_TOOL_USE, event, roomId);
    emitFrameworkEvent(runtime, "before_tool_use", roomId, {
      tool_name: name,
      tool_call_id: callId,
      allowed: outcome.allowed,
      reason: outcome.reason,
    });
    if (!outcome.allowed) return errorResult(outcome.reason ?? `Tool '${name}' was blocked`);
    const rewritten = outcome.metadata.arguments ?? (outcome.event as ToolCallEvent | undefined)?.metadata?.arguments;
    if (rewritten !== undefined && rewritten !== args) {
      if (!isObject(rewritten)) return errorResult(`Tool '${name}' was blocked: rewritten arguments are not an object`);
      args = rewritten;
      problem = validateArguments(tool?.parameters, args);
      if (problem) return errorResult(`Invalid arguments for '${name}': ${problem}`);
    }
  }

  let handlerResult: unknown = NO_RESULT;
  let handlerError: string | undefined;
  const handler = runtime.toolHandler;
  if (handler) {
    try {
      handlerResult = await withTimeout(
        runtime,
        Promise.resolve().then(() => handler(session, name, args, { callId, signal })),
        name,
        signal,
      );
    } catch (error) {
      if (signal.aborted) throw error;
      handlerError =
        error instanceof ToolTimeoutError
          ? error.message
          : `Tool '${name}' failed: ${(error as Error)?.message ?? String(error)}`;
      runtime.logger.warn("Tool handler failed", { sessionId: session.id, callId, name, error });
    }
  }

  emitFrameworkEvent(runtime, "tool_call", roomId, {
    tool_name: name,
    tool_call_id: callId,
    channel_type: ChannelType.REALTIME_VOICE,
  });
  if (framework && hasHooks(runtime, HookTrigger.ON_TOOL_CALL, roomId)) {
    const event = toolEvent(
      runtime,
      state,
      callId,
      name,
      args,
      handlerResult === NO_RESULT ? undefined : handlerResult,
    );
    const outcome = await runChannelSyncHooks(runtime, framework, HookTrigger.ON_TOOL_CALL, event, roomId);
    if (!outcome.allowed) return errorResult(outcome.reason ?? `Tool '${name}' was blocked`);
    const finalEvent = (outcome.event as ToolCallEvent | undefined) ?? event;
    const hookResult =
      outcome.result !== undefined
        ? outcome.result
        : finalEvent.metadata?.result !== undefined
          ? finalEvent.metadata.result
          : outcome.metadata.result;
    if (hookResult !== undefined) return serialize(runtime, hookResult, name);
    if (handlerResult !== NO_RESULT) return serialize(runtime, handlerResult, name);
    if (handlerError) return errorResult(handlerError);
    if (outcome.errors.length > 0) {
      const detail = outcome.errors.map(
        (entry) => `${entry.hookName}: ${(entry.error as Error)?.message ?? String(entry.error)}`,
      );
      return errorResult(`Tool call failed: ${detail.join("; ")}`);
    }
    return errorResult(`No handler answered tool '${name}'`);
  }
  if (handlerResult !== NO_RESULT) return serialize(runtime, handlerResult, name);
  if (handlerError) return errorResult(handlerError);
  return errorResult(`No handler for tool ${name}`);
}

async function submit(
  runtime: ChannelRuntime,
  state: SessionState,
  callId: string,
  name: string,
  result: string,
): Promise<void> {
  if (state.phase > SessionPhase.LIVE) return;
  try {
    await runtime.provider.submitToolResult(state.session, callId, result);
    startTurn(runtime, state, "tool_result");
  } catch (error) {
    runtime.logger.error("provider.submitToolResult failed", { sessionId: state.session.id, callId, name, error });
  }
}

/** Serialises a result; warns when that blocked the event loop (> 50 ms). */
function serialize(runtime: ChannelRuntime, value: unknown, name: string): string {
  const started = performance.now();
  const text = serializeToolResult(value);
  const elapsed = performance.now() - started;
  if (elapsed > 50) {
    runtime.logger.warn("Tool result serialisation held the event loop", { name, elapsedMs: Math.round(elapsed) });
  }
  return text;
}

/** Settles with `work`, or rejects at the timeout or when `signal` aborts; the timer never outlives the call. */
function withTimeout<Value>(
  runtime: ChannelRuntime,
  work: Promise<Value>,
  name: string,
  signal: AbortSignal,
): Promise<Value> {
  const timeoutMs = runtime.options.toolTimeoutMs;
  return new Promise<Value>((resolve, reject) => {
    signal.throwIfAborted();
    const onAbort = () => {
      runtime.clock.clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = runtime.clock.setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      reject(new ToolTimeoutError(`Tool '${name}' timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        runtime.clock.clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error) => {
        runtime.clock.clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

function toolEvent(
  runtime: ChannelRuntime,
  state: SessionState,
  callId: string,
  name: string,
  args: ToolArguments,
  result: unknown,
): ToolCallEvent {
  return {
    kind: "tool_call",
    channelId: runtime.channelId,
    channelType: ChannelType.REALTIME_VOICE,
    toolCallId: callId,
    name,
    arguments: args,
    result,
    roomId: state.session.roomId,
    session: state.session,
    metadata: { name, arguments: args, tool_call_id: callId },
    timestamp: new Date(),
  };
}

/**
 * `muteOnToolCall`: a transport with `inputMute` stops the caller's audio at the source; without it the channel
 * drops the caller's frames itself (counted) until the last tool finishes. `setInputMuted` is called either way,
 * so a transport can still show the state (the base implementation ignores it).
 */
function muteInput(runtime: ChannelRuntime, state: SessionState, muted: boolean): void {
  if (!runtime.transport.capabilities.inputMute) gateInbound(state, muted);
  try {
    const result = runtime.transport.setInputMuted(state.session, muted);
    if (result && typeof (result as Promise<void>).then === "function") {
      (result as Promise<void>).catch((error) => runtime.logger.warn("transport.setInputMuted failed", { error }));
    }
  } catch (error) {
    runtime.logger.warn("transport.setInputMuted failed", { sessionId: state.session.id, error });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
