export { ClusterNode, type ClusterNodeOptions, type SessionRecord } from "./cluster-node.ts";
export { connectRedis, type RedisFactory, redactRedisUrl } from "./redis-connection.ts";
export { RedisRoomBus, type RedisRoomBusOptions } from "./redis-room-bus.ts";
export { RoomSequencer, type RoomSequencerOptions } from "./room-sequencer.ts";
export { type CommandName, RemoteCommandError, SessionRouteTimeoutError } from "./routing-errors.ts";
