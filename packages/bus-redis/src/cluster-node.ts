import type { NewRoomEvent, RoomEventBus, RoomKit } from "@roomkit/core";
import {
  ChannelType,
  createConsoleLogger,
  createId,
  type EventContent,
  EventStatus,
  EventType,
  type FrameworkEvent,
  type Logger,
  parseOptions,
  RoomKitError,
  SessionNotFoundError,
} from "@roomkit/spec";
import type { Redis } from "ioredis";
import { CLUSTER_NODE_ACCEPTED, clusterNodeOptionsSchema } from "./options.ts";
import { connectRedis, quit, type RedisFactory, withinConnectTimeout } from "./redis-connection.ts";
import { type CommandName, RemoteCommandError, SessionRouteTimeoutError } from "./routing-errors.ts";

export interface ClusterNodeOptions {
  /** `redis://host:port`. */
  url: string;
  /** This node's RoomKit (its voice channels own the sessions started here). */
  kit: RoomKit;
  /** The node's bus (the one given to its RoomKit): session markers are published on it like any stored event. */
  bus?: RoomEventBus;
  /** Unique per node; use the same id as the node's `RedisRoomBus`. Default: a random id. */
  nodeId?: string;
  /** Key and channel prefix. Default `roomkit`. */
  prefix?: string;
  /** How long a session (and the node) stays owned without a heartbeat. Default 10 000 ms. */
  leaseMs?: number;
  /** Heartbeat and dead-node scan interval. Default leaseMs / 3. */
  heartbeatMs?: number;
  /** How long `start()` waits for Redis before it rejects (code `bus_unreachable`). Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** How long a routed call waits for the owner's answer. Default 5 000 ms. */
  requestTimeoutMs?: number;
  /**
   * Record `voice_session_live` / `voice_session_ended` (with the reason) in the room's timeline as internal system
   * events, so any node can tell whether a room has a live call. Default true.
   */
  recordSessions?: boolean;
  logger?: Logger;
  createRedis?: RedisFactory;
}

/** Where a voice session lives. */
export interface SessionRecord {
  sessionId: string;
  nodeId: string;
  roomId: string;
  channelId: string;
  participantId?: string;
}

interface Request {
  requestId: string;
  replyTo: string;
  command: CommandName;
  sessionId: string;
  args: unknown[];
}
interface Reply {
  requestId: string;
  ok: boolean;
  result?: unknown;
  error?: { name: string; code: string; message: string; recoverable: boolean };
}

interface VoiceChannelLike {
  injectText(sessionId: string, text: string, options?: unknown): Promise<void>;
  reconfigureSession(sessionId: string, options: unknown): Promise<void>;
  endSession(sessionId: string, reason?: string): Promise<void>;
}

/**
 * One node of a RoomKit cluster on Redis: a registry of which node owns which voice session (a key per session
 * with a heartbeat lease), kit calls routed to the owner and answered (or `SessionRouteTimeoutError`), and the
 * clean-up of a node that stopped heartbeating: a surviving node records each of its sessions as ended
 * (`node_lease_expired`) in the shared store.
 *
 * Sessions are claimed and released from RoomKit's `voice_session_started` / `voice_session_ended` framework
 * events, so a `RealtimeVoiceChannel` needs nothing extra. Call `start()` once; `close()` releases nothing by
 * itself (ending the sessions does), `abandon()` drops everything as a crash would.
 */
export class ClusterNode {
  readonly nodeId: string;
  readonly #kit: RoomKit;
  readonly #bus: RoomEventBus | undefined;
  readonly #logger: Logger;
  readonly #prefix: string;
  readonly #leaseMs: number;
  readonly #heartbeatMs: number;
  readonly #requestTimeoutMs: number;
  readonly #url: string;
  readonly #connectTimeoutMs: number;
  readonly #recordSessions: boolean;
  readonly #commands: Redis;
  readonly #rpc: Redis;
  readonly #local = new Map<string, SessionRecord>();
  readonly #waiting = new Map<string, { resolve: (reply: Reply) => void; timer: ReturnType<typeof setTimeout> }>();
  readonly #unsubscribe: Array<() => void> = [];
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #stopped = false;
  #beat: Promise<void> = Promise.resolve();

  constructor(options: ClusterNodeOptions) {
    const parsed = parseOptions("ClusterNode", clusterNodeOptionsSchema, options, CLUSTER_NODE_ACCEPTED);
    this.#kit = options.kit;
    this.#bus = options.bus;
    this.nodeId = parsed.nodeId ?? `node-${createId().slice(0, 12)}`;
    this.#prefix = parsed.prefix ?? "roomkit";
    this.#leaseMs = parsed.leaseMs ?? 10_000;
    this.#heartbeatMs = parsed.heartbeatMs ?? Math.max(10, Math.floor(this.#leaseMs / 3));
    this.#requestTimeoutMs = parsed.requestTimeoutMs ?? 5_000;
    this.#url = parsed.url;
    this.#connectTimeoutMs = parsed.connectTimeoutMs ?? 10_000;
    this.#recordSessions = parsed.recordSessions ?? true;
    this.#logger = (parsed.logger as Logger | undefined) ?? createConsoleLogger({ name: "roomkit-cluster" });
    const connect = (options.createRedis as RedisFactory | undefined) ?? connectRedis;
    this.#commands = connect(parsed.url, "commands");
    this.#rpc = connect(parsed.url, "rpc");
  }

  /**
   * Subscribes to this node's request and reply channels, registers the node, and starts the heartbeat. Rejects with a
   * `bus_unreachable` RoomKitError naming the URL (without credentials) when Redis cannot be reached in time.
   */
  async start(): Promise<void> {
    this.#rpc.on("message", (channel: string, message: string) => this.#onMessage(channel, message));
    await withinConnectTimeout(
      this.#rpc,
      this.#rpc.subscribe(this.#key("rpc", this.nodeId), this.#key("reply", this.nodeId)),
      { component: "ClusterNode", url: this.#url, timeoutMs: this.#connectTimeoutMs },
    );
    this.#unsubscribe.push(
      this.#kit.on("voice_session_started", (event) => this.#onSessionStarted(event)),
      this.#kit.on("voice_session_ended", (event) => this.#onSessionEnded(event)),
    );
    await this.#heartbeatOnce();
    this.#heartbeat = setInterval(() => {
      this.#beat = this.#beat.then(() => this.#heartbeatOnce());
    }, this.#heartbeatMs);
  }

  /** Registers a session owned by this node (done automatically from `voice_session_started`). */
  async claim(record: Omit<SessionRecord, "nodeId">): Promise<void> {
    const full: SessionRecord = { ...record, nodeId: this.nodeId };
    this.#local.set(record.sessionId, full);
    const json = JSON.stringify(full);
    await this.#commands
      .multi()
      .set(this.#key("session", record.sessionId), json, "PX", this.#leaseMs)
      .hset(this.#key("node", this.nodeId, "sessions"), record.sessionId, json)
      .sadd(this.#key("nodes"), this.nodeId)
      .exec();
    if (this.#recordSessions) await this.#record(full, "voice_session_live", "live", {});
  }

  /** Forgets a session of this node (done automatically from `voice_session_ended`). */
  async release(sessionId: string, reason: string): Promise<void> {
    const record = this.#local.get(sessionId);
    this.#local.delete(sessionId);
    await this.#commands
      .multi()
      .del(this.#key("session", sessionId))
      .hdel(this.#key("node", this.nodeId, "sessions"), sessionId)
      .exec();
    if (record && this.#recordSessions) await this.#record(record, "voice_session_ended", reason, { reason });
  }

  /** Where a session lives, or undefined when no node holds its lease. */
  async locate(sessionId: string): Promise<SessionRecord | undefined> {
    const local = this.#local.get(sessionId);
    if (local) return local;
    const json = await this.#commands.get(this.#key("session", sessionId));
    return json ? (JSON.parse(json) as SessionRecord) : undefined;
  }

  injectText(sessionId: string, text: string, options?: Record<string, unknown>): Promise<void> {
    return this.#call("injectText", sessionId, [text, options]) as Promise<void>;
  }

  reconfigureSession(sessionId: string, options: Record<string, unknown>): Promise<void> {
    return this.#call("reconfigureSession", sessionId, [options]) as Promise<void>;
  }

  endSession(sessionId: string, reason = "ended"): Promise<void> {
    return this.#call("endSession", sessionId, [reason]) as Promise<void>;
  }

  /** Sends a room event as the session's channel, in the session's room, on the node that owns it. */
  sendEvent(
    sessionId: string,
    content: EventContent,
    options?: Record<string, unknown>,
  ): Promise<{ id: string; index: number }> {
    return this.#call("sendEvent", sessionId, [content, options]) as Promise<{ id: string; index: number }>;
  }

  /** Stops the heartbeat and closes the connections. Sessions still live here keep their leases until they expire. */
  async close(): Promise<void> {
    if (this.#stopped) return;
    this.#stop();
    await this.#beat.catch(() => {});
    await Promise.all([quit(this.#commands), quit(this.#rpc)]);
  }

  /** What a crash looks like to the other nodes: no more heartbeats, connections dropped, nothing released. */
  abandon(): void {
    if (this.#stopped) return;
    this.#stop();
    this.#commands.disconnect();
    this.#rpc.disconnect();
  }

  #stop(): void {
    this.#stopped = true;
    clearInterval(this.#heartbeat);
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    for (const [requestId, waiting] of this.#waiting) {
      clearTimeout(waiting.timer);
      waiting.resolve({ requestId, ok: false, error: closedError(this.nodeId) });
    }
    this.#waiting.clear();
  }

  async #call(command: CommandName, sessionId: string, args: unknown[]): Promise<unknown> {
    if (this.#stopped)
      throw new RoomKitError({ message: `ClusterNode ${this.nodeId} is closed`, code: "cluster_closed" });
    const record = await this.locate(sessionId);
    if (!record) throw new SessionNotFoundError(`no node owns voice session ${sessionId}`);
    if (record.nodeId === this.nodeId) return this.#execute(command, sessionId, args);
    const requestId = createId();
    const reply = await new Promise<Reply>((resolve) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(requestId);
        resolve({ requestId, ok: false });
      }, this.#requestTimeoutMs);
      this.#waiting.set(requestId, { resolve, timer });
      const request: Request = { requestId, replyTo: this.nodeId, command, sessionId, args };
      this.#commands.publish(this.#key("rpc", record.nodeId), JSON.stringify(request)).catch(() => {});
    });
    if (reply.ok) return reply.result;
    if (!reply.error) {
      throw new SessionRouteTimeoutError({
        message: `${command} for voice session ${sessionId}: node ${record.nodeId} did not answer within ${this.#requestTimeoutMs} ms`,
        command,
        sessionId,
        nodeId: record.nodeId,
      });
    }
    throw new RemoteCommandError({ ...reply.error, nodeId: record.nodeId });
  }

  async #execute(command: CommandName, sessionId: string, args: unknown[]): Promise<unknown> {
    const record = this.#local.get(sessionId);
    if (!record) throw new SessionNotFoundError(`voice session ${sessionId} is not on node ${this.nodeId}`);
    if (command === "sendEvent") {
      const stored = await this.#kit.sendEvent(
        record.roomId,
        record.channelId,
        args[0] as EventContent,
        args[1] as Record<string, unknown> | undefined,
      );
      return { id: stored.id, index: stored.index };
    }
    const channel = this.#kit.getChannel(record.channelId) as unknown as Partial<VoiceChannelLike> | undefined;
    const method = channel?.[command];
    if (!channel || typeof method !== "function") {
      throw new SessionNotFoundError(`channel ${record.channelId} on node ${this.nodeId} cannot ${command}`);
    }
    await (method as (...callArgs: unknown[]) => Promise<void>).call(channel, sessionId, ...args);
    return undefined;
  }

  #onMessage(channel: string, message: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      this.#logger.warn("cluster: malformed message dropped", { channel });
      return;
    }
    if (channel === this.#key("reply", this.nodeId)) {
      const reply = parsed as Reply;
      const waiting = this.#waiting.get(reply.requestId);
      if (!waiting) return; // timed out already
      this.#waiting.delete(reply.requestId);
      clearTimeout(waiting.timer);
      waiting.resolve(reply);
      return;
    }
    void this.#answer(parsed as Request);
  }

  async #answer(request: Request): Promise<void> {
    if (typeof request?.requestId !== "string" || typeof request.replyTo !== "string") return;
    let reply: Reply;
    try {
      reply = {
        requestId: request.requestId,
        ok: true,
        result: await this.#execute(
          request.command,
          request.sessionId,
          // JSON turned undefined arguments into null
          (request.args ?? []).map((argument) => (argument === null ? undefined : argument)),
        ),
      };
    } catch (error) {
      const typed = RoomKitError.isInstance(error) ? error : undefined;
      reply = {
        requestId: request.requestId,
        ok: false,
        error: {
          name: error instanceof Error ? error.name : "Error",
          code: typed?.code ?? "remote_error",
          message: error instanceof Error ? error.message : String(error),
          recoverable: typed?.recoverable ?? false,
        },
      };
    }
    if (this.#stopped) return;
    await this.#commands.publish(this.#key("reply", request.replyTo), JSON.stringify(reply)).catch(() => {});
  }

  async #heartbeatOnce(): Promise<void> {
    if (this.#stopped) return;
    try {
      const pipeline = this.#commands
        .multi()
        .set(this.#key("node", this.nodeId, "alive"), "1", "PX", this.#leaseMs)
        .sadd(this.#key("nodes"), this.nodeId);
      // Written in full, not just extended: after a Redis restart (no persistence) this rebuilds the registry.
      for (const [sessionId, record] of this.#local) {
        const json = JSON.stringify(record);
        pipeline
          .set(this.#key("session", sessionId), json, "PX", this.#leaseMs)
          .hset(this.#key("node", this.nodeId, "sessions"), sessionId, json);
      }
      await pipeline.exec();
      await this.#reapDeadNodes();
    } catch (error) {
      this.#logger.warn("cluster: heartbeat failed", { nodeId: this.nodeId, error: String(error) });
    }
  }

  /** Ends, in the store, the sessions of every node whose lease expired (one surviving node does it per dead node). */
  async #reapDeadNodes(): Promise<void> {
    const nodes = await this.#commands.smembers(this.#key("nodes"));
    for (const nodeId of nodes) {
      if (nodeId === this.nodeId || this.#stopped) continue;
      if ((await this.#commands.exists(this.#key("node", nodeId, "alive"))) === 1) continue;
      const claimed = await this.#commands.set(this.#key("reap", nodeId), this.nodeId, "PX", this.#leaseMs, "NX");
      if (claimed !== "OK") continue;
      const sessions = await this.#commands.hgetall(this.#key("node", nodeId, "sessions"));
      for (const [sessionId, json] of Object.entries(sessions)) {
        const record = JSON.parse(json) as SessionRecord;
        this.#logger.warn("cluster: node lease expired; ending its session", {
          nodeId,
          sessionId,
          roomId: record.roomId,
        });
        await this.#record(record, "voice_session_ended", `node ${nodeId} stopped renewing its lease`, {
          reason: "node_lease_expired",
          ended_by: this.nodeId,
        });
        await this.#commands.hdel(this.#key("node", nodeId, "sessions"), sessionId);
        const current = await this.#commands.get(this.#key("session", sessionId));
        if (current && (JSON.parse(current) as SessionRecord).nodeId === nodeId) {
          await this.#commands.del(this.#key("session", sessionId));
        }
      }
      await this.#commands.srem(this.#key("nodes"), nodeId);
    }
  }

  /**
   * Appends an internal SYSTEM event to the session's room, straight to the shared store (the session's channel may be
   * registered only on a dead node, where `kit.sendEvent` cannot speak for it), and publishes it on the bus.
   */
  async #record(record: SessionRecord, code: string, body: string, data: Record<string, unknown>): Promise<void> {
    const event: NewRoomEvent = {
      id: createId(),
      roomId: record.roomId,
      type: EventType.SYSTEM,
      source: {
        channelId: record.channelId,
        channelType: ChannelType.REALTIME_VOICE,
        direction: "outbound",
        ...(record.participantId === undefined ? {} : { participantId: record.participantId }),
      },
      content: {
        type: "system",
        code,
        body,
        data: { ...data, session_id: record.sessionId, node_id: record.nodeId, participant_id: record.participantId },
      },
      status: EventStatus.DELIVERED,
      visibility: "internal",
      chainDepth: 0,
      createdAt: new Date(),
      metadata: { cluster: true },
    };
    try {
      const stored = await this.#kit.store.appendEvent(event);
      this.#bus?.publish(stored);
    } catch (error) {
      // The room was deleted meanwhile: nothing shows the session as live there.
      this.#logger.warn("cluster: could not record the session in the room", {
        sessionId: record.sessionId,
        roomId: record.roomId,
        code,
        error: String(error),
      });
    }
  }

  #onSessionStarted(event: FrameworkEvent): void {
    const sessionId = event.data.session_id;
    if (typeof sessionId !== "string" || event.roomId === undefined || event.channelId === undefined) return;
    const participantId = typeof event.data.participant_id === "string" ? event.data.participant_id : undefined;
    this.claim({ sessionId, roomId: event.roomId, channelId: event.channelId, participantId }).catch((error: unknown) =>
      this.#logger.error("cluster: claiming a session failed", { sessionId, error: String(error) }),
    );
  }

  #onSessionEnded(event: FrameworkEvent): void {
    const sessionId = event.data.session_id;
    if (typeof sessionId !== "string") return;
    const reason = typeof event.data.reason === "string" ? event.data.reason : "ended";
    this.release(sessionId, reason).catch((error: unknown) =>
      this.#logger.error("cluster: releasing a session failed", { sessionId, error: String(error) }),
    );
  }

  #key(...parts: string[]): string {
    return [this.#prefix, ...parts].join(":");
  }
}

function closedError(nodeId: string): Reply["error"] {
  return { name: "RoomKitError", code: "cluster_closed", message: `ClusterNode ${nodeId} closed`, recoverable: false };
}
