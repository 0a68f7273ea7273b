export {
  RealtimeVoiceChannel,
  type RealtimeVoiceChannelAdvancedOptions,
} from "./realtime-voice-channel.ts";
export type { RealtimeVoiceChannelOptions, ToolCallContext, ToolHandler } from "./options.ts";
export type { StartSessionOptions } from "./session/start-session.ts";
export type { ReconfigureOptions } from "./session/reconfigure-session.ts";
export type { InjectTextCallOptions } from "./injection/text-injection.ts";
export type { ChannelResampler, ResamplerFactory } from "./audio/resampler-types.ts";
export type { HeardPosition, PositionSource } from "./speech/playback-tracker.ts";
export { truncateToolResult } from "./tools/tool-result.ts";
export { validateArguments } from "./tools/validate-arguments.ts";
