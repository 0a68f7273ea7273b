export {
  FastRTCClient,
  type FastRTCClientEvents,
  type FastRTCClientOptions,
  type FastRTCClientPlayback,
  type FastRTCClientState,
  type FastRTCClientStats,
} from "./fastrtc-client.ts";
export { MulawPlayer } from "./mulaw-player.ts";
