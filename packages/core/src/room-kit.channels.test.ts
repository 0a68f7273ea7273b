import { describe, expect, test } from "bun:test";
import {
  ChannelAlreadyRegisteredError,
  ChannelNotFoundError,
  type FrameworkEvent,
  HookTrigger,
  RoomAlreadyExistsError,
  RoomClosedError,
  type RoomEvent,
  RoomNotFoundError,
  silentLogger,
  UnsupportedOperationError,
} from "@roomkit/spec";
import { MockChannel } from "@roomkit/testing";
import { Channel } from "./channels/channel.ts";
import { RoomKit } from "./room-kit.ts";

async function setup() {
  const kit = new RoomKit({ logger: silentLogger });
  const voice = new MockChannel("voice", { channelType: "realtime_voice" });
  const sms = new MockChannel("sms", { channelType: "sms" });
  kit.registerChannel(voice);
  kit.registerChannel(sms);
  const room = await kit.createRoom({ roomId: "r1" });
  return { kit, voice, sms, room };
}

function systemCodes(events: RoomEvent[]): string[] {
  return events.map((event) =>
    event.content.type === "system" ? event.content.code : `message:${event.content.type}`,
  );
}

class TextOnlyChannel extends Channel {
  readonly channelType = "sms";
}

describe("RoomKit channels", () => {
  test("registerChannel hands the channel the framework and emits channel_registered", async () => {
    const kit = new RoomKit({ logger: silentLogger });
    const events: FrameworkEvent[] = [];
    kit.on("channel_registered", (event) => {
      events.push(event);
    });
    const channel = new MockChannel("voice", { channelType: "realtime_voice" });
    kit.registerChannel(channel);
    expect(channel.framework).toBe(kit);
    expect(events).toHaveLength(1);
    expect(events[0]?.channelId).toBe("voice");
    expect(events[0]?.data).toEqual({ channelType: "realtime_voice" });
    expect(() => kit.registerChannel(new MockChannel("voice"))).toThrow(ChannelAlreadyRegisteredError);
  });

  test("a Channel subclass registers too", async () => {
    const kit = new RoomKit({ logger: silentLogger });
    const channel = new TextOnlyChannel("plain");
    kit.registerChannel(channel);
    await kit.createRoom({ roomId: "r1" });
    const binding = await kit.attachChannel("r1", "plain");
    expect(binding.channelType).toBe("sms");
  });

  test("unregisterChannel returns the channel; unknown ids throw ChannelNotFoundError", async () => {
    const { kit, voice } = await setup();
    expect(kit.unregisterChannel("voice")).toBe(voice);
    expect(kit.getChannel("voice")).toBeUndefined();
    expect(() => kit.unregisterChannel("voice")).toThrow(ChannelNotFoundError);
    await expect(kit.attachChannel("r1", "voice")).rejects.toBeInstanceOf(ChannelNotFoundError);
  });

  test("attachChannel stores the binding, calls onRoomAttached, writes a SYSTEM event, fires ON_CHANNEL_ATTACHED", async () => {
    const { kit, voice } = await setup();
    const hookPayloads: RoomEvent[] = [];
    kit.hook(
      HookTrigger.ON_CHANNEL_ATTACHED,
      (event: RoomEvent) => {
        hookPayloads.push(event);
      },
      { channelIds: ["voice"] },
    );
    const framework: FrameworkEvent[] = [];
    kit.on("channel_attached", (event) => {
      framework.push(event);
    });
    const binding = await kit.attachChannel("r1", "voice", {
      category: "intelligence",
      access: "read_only",
      visibility: "transport",
      participantId: "user-1",
      metadata: { seat: 3 },
    });
    expect(binding).toMatchObject({
      roomId: "r1",
      channelId: "voice",
      channelType: "realtime_voice",
      category: "intelligence",
      access: "read_only",
      visibility: "transport",
      participantId: "user-1",
      muted: false,
      outputMuted: false,
      metadata: { seat: 3 },
    });
    expect(await kit.getBinding("r1", "voice")).toMatchObject({ access: "read_only", participantId: "user-1" });
    expect(voice.callsOf("onRoomAttached")).toHaveLength(1);
    expect(voice.callsOf("onRoomAttached")[0]?.binding.access).toBe("read_only");
    const timeline = await kit.getTimeline("r1");
    expect(systemCodes(timeline)).toEqual(["channel_attached"]);
    expect(timeline[0]).toMatchObject({ type: "system", visibility: "internal", source: { channelId: "system" } });
    expect(hookPayloads.map((event) => event.id)).toEqual([timeline[0]?.id as string]);
    expect(framework[0]?.roomId).toBe("r1");
    // the hook was filtered to "voice": attaching sms does not fire it
    await kit.attachChannel("r1", "sms");
    expect(hookPayloads).toHaveLength(1);
  });

  test("attachChannel rolls back when onRoomAttached throws (new and replaced bindings)", async () => {
    const { kit, voice } = await setup();
    let hookCalls = 0;
    kit.hook(HookTrigger.ON_CHANNEL_ATTACHED, () => {
      hookCalls += 1;
    });
    voice.options.failOnRoomAttached = true;
    await expect(kit.attachChannel("r1", "voice")).rejects.toThrow(/refused room r1/);
    expect(await kit.getBinding("r1", "voice")).toBeUndefined();
    expect(await kit.getTimeline("r1")).toEqual([]);
    expect(hookCalls).toBe(0);

    voice.options.failOnRoomAttached = false;
    await kit.attachChannel("r1", "voice", { access: "read_write" });
    voice.options.failOnRoomAttached = true;
    await expect(kit.attachChannel("r1", "voice", { access: "none" })).rejects.toThrow();
    expect((await kit.getBinding("r1", "voice"))?.access).toBe("read_write");
  });

  test("attachChannel: unknown room, unknown channel", async () => {
    const { kit } = await setup();
    await expect(kit.attachChannel("nowhere", "voice")).rejects.toBeInstanceOf(RoomNotFoundError);
    await expect(kit.attachChannel("r1", "ghost")).rejects.toBeInstanceOf(ChannelNotFoundError);
  });

  test("detachChannel removes the binding, calls onRoomDetached, writes a SYSTEM event, fires ON_CHANNEL_DETACHED", async () => {
    const { kit, voice, sms } = await setup();
    await kit.attachChannel("r1", "voice");
    await kit.attachChannel("r1", "sms");
    let detachedHook = 0;
    kit.hook(HookTrigger.ON_CHANNEL_DETACHED, () => {
      detachedHook += 1;
    });
    await kit.detachChannel("r1", "voice");
    expect(await kit.getBinding("r1", "voice")).toBeUndefined();
    expect(voice.callsOf("onRoomDetached")).toHaveLength(1);
    expect(detachedHook).toBe(1);
    expect(systemCodes(await kit.getTimeline("r1"))).toEqual([
      "channel_attached",
      "channel_attached",
      "channel_detached",
    ]);
    await sms.send("r1", "anyone?");
    expect(voice.received).toHaveLength(0);
    await expect(kit.detachChannel("r1", "voice")).rejects.toBeInstanceOf(ChannelNotFoundError);
  });

  test("mute/unmute update the binding, push it with updateBinding, write SYSTEM events and fire hooks", async () => {
    const { kit, voice } = await setup();
    await kit.attachChannel("r1", "voice");
    const fired: string[] = [];
    kit.hook(HookTrigger.ON_CHANNEL_MUTED, () => {
      fired.push("muted");
    });
    kit.hook(HookTrigger.ON_CHANNEL_UNMUTED, () => {
      fired.push("unmuted");
    });
    const muted = await kit.mute("r1", "voice");
    expect(muted.muted).toBe(true);
    expect((await kit.getBinding("r1", "voice"))?.muted).toBe(true);
    expect(voice.callsOf("updateBinding").map((call) => call.binding.muted)).toEqual([true]);
    await kit.unmute("r1", "voice");
    expect(voice.callsOf("updateBinding").map((call) => call.binding.muted)).toEqual([true, false]);
    expect(fired).toEqual(["muted", "unmuted"]);
    expect(systemCodes(await kit.getTimeline("r1"))).toEqual(["channel_attached", "channel_muted", "channel_unmuted"]);
  });

  test("muteOutput/unmuteOutput push the binding without SYSTEM events or hooks", async () => {
    const { kit, voice } = await setup();
    await kit.attachChannel("r1", "voice");
    let hooks = 0;
    kit.hook(HookTrigger.ON_CHANNEL_MUTED, () => {
      hooks += 1;
    });
    await kit.muteOutput("r1", "voice");
    expect((await kit.getBinding("r1", "voice"))?.outputMuted).toBe(true);
    await kit.unmuteOutput("r1", "voice");
    expect(voice.callsOf("updateBinding").map((call) => call.binding.outputMuted)).toEqual([true, false]);
    expect(hooks).toBe(0);
    expect(systemCodes(await kit.getTimeline("r1"))).toEqual(["channel_attached"]);
  });

  test("setAccess pushes the binding and records channel_access_changed with the previous value", async () => {
    const { kit, voice } = await setup();
    await kit.attachChannel("r1", "voice");
    await kit.setAccess("r1", "voice", "read_only");
    expect(voice.callsOf("updateBinding")[0]?.binding.access).toBe("read_only");
    const last = (await kit.getTimeline("r1")).at(-1);
    expect(last?.content).toMatchObject({
      type: "system",
      code: "channel_access_changed",
      data: { channelId: "voice", access: "read_only", previous: { access: "read_write" } },
    });
  });

  test("setVisibility changes routing but is not pushed to the channel", async () => {
    const { kit, voice, sms } = await setup();
    await kit.attachChannel("r1", "voice");
    await kit.attachChannel("r1", "sms");
    await kit.setVisibility("r1", "sms", "none");
    expect(sms.callsOf("updateBinding")).toHaveLength(0);
    const event = await sms.send("r1", "hidden");
    expect(event.visibility).toBe("none");
    expect(voice.received).toHaveLength(0);
    expect(systemCodes(await kit.getTimeline("r1")).at(-2)).toBe("channel_visibility_changed");
  });

  test("binding mutations on unknown rooms/channels throw typed errors", async () => {
    const { kit } = await setup();
    await expect(kit.mute("ghost-room", "voice")).rejects.toBeInstanceOf(RoomNotFoundError);
    await expect(kit.mute("r1", "voice")).rejects.toBeInstanceOf(ChannelNotFoundError);
    await expect(kit.setAccess("r1", "voice", "none")).rejects.toBeInstanceOf(ChannelNotFoundError);
  });

  test("join delegates to startSession (room and binding required); leave delegates to endSession", async () => {
    const { kit, voice } = await setup();
    await expect(kit.join("r1", "voice")).rejects.toBeInstanceOf(ChannelNotFoundError);
    await expect(kit.join("ghost", "voice")).rejects.toBeInstanceOf(RoomNotFoundError);
    await kit.attachChannel("r1", "voice");
    const connection = { socket: 1 };
    const session = (await kit.join("r1", "voice", {
      participantId: "alice",
      connection,
      metadata: { voice: "echo" },
    })) as {
      channelId: string;
      participantId: string;
    };
    const call = voice.callsOf("startSession")[0];
    expect(call?.roomId).toBe("r1");
    expect(call?.participantId).toBe("alice");
    expect(call?.options).toEqual({ connection, metadata: { voice: "echo" } });
    const anonymous = (await kit.join("r1", "voice")) as { participantId: string };
    expect(anonymous.participantId).toMatch(/^participant-[0-9a-f]{8}$/);
    await kit.leave(session);
    expect(voice.callsOf("endSession")[0]?.session).toBe(session);
  });

  test("join passes the caller's abort signal to startSession (a caller who hangs up mid-handshake)", async () => {
    const { kit, voice } = await setup();
    await kit.attachChannel("r1", "voice");
    const controller = new AbortController();
    await kit.join("r1", "voice", { participantId: "bob", signal: controller.signal });
    const options = voice.callsOf("startSession")[0]!.options as { signal?: AbortSignal };
    expect(options.signal).toBe(controller.signal);
    controller.abort();
    await expect(kit.join("r1", "voice", { signal: controller.signal })).rejects.toThrow();
    expect(voice.callsOf("startSession")).toHaveLength(1);
  });

  test("join on a channel without sessions is UnsupportedOperationError", async () => {
    const kit = new RoomKit({ logger: silentLogger });
    kit.registerChannel(new TextOnlyChannel("plain"));
    await kit.createRoom({ roomId: "r1" });
    await kit.attachChannel("r1", "plain");
    await expect(kit.join("r1", "plain")).rejects.toBeInstanceOf(UnsupportedOperationError);
    await expect(kit.leave({ channelId: "plain" })).rejects.toBeInstanceOf(UnsupportedOperationError);
  });
});

describe("RoomKit rooms", () => {
  test("createRoom: given or generated id, metadata, duplicate refused, ON_ROOM_CREATED + room_created", async () => {
    const kit = new RoomKit({ logger: silentLogger });
    const hooked: string[] = [];
    kit.hook(HookTrigger.ON_ROOM_CREATED, (room: { id: string }) => {
      hooked.push(room.id);
    });
    const framework: string[] = [];
    kit.on("room_created", (event) => {
      framework.push(event.roomId as string);
    });
    const named = await kit.createRoom({ roomId: "lobby", metadata: { floor: 1 } });
    expect(named).toMatchObject({
      id: "lobby",
      status: "active",
      metadata: { floor: 1 },
      eventCount: 0,
      latestIndex: -1,
    });
    const generated = await kit.createRoom();
    expect(generated.id).toMatch(/^[0-9a-f]{32}$/);
    await expect(kit.createRoom({ roomId: "lobby" })).rejects.toBeInstanceOf(RoomAlreadyExistsError);
    expect(hooked).toEqual(["lobby", generated.id]);
    expect(framework).toEqual(["lobby", generated.id]);
    expect((await kit.getRoom("lobby")).metadata).toEqual({ floor: 1 });
    await expect(kit.getRoom("nowhere")).rejects.toBeInstanceOf(RoomNotFoundError);
  });

  test("closeRoom closes once, refuses later writes, fires ON_ROOM_CLOSED once", async () => {
    const { kit, voice } = await setup();
    await kit.attachChannel("r1", "voice");
    let closedHooks = 0;
    kit.hook(HookTrigger.ON_ROOM_CLOSED, () => {
      closedHooks += 1;
    });
    const closed = await kit.closeRoom("r1");
    expect(closed.status).toBe("closed");
    expect(closed.closedAt).toBeInstanceOf(Date);
    expect((await kit.closeRoom("r1")).status).toBe("closed");
    expect(closedHooks).toBe(1);
    await expect(voice.send("r1", "late")).rejects.toBeInstanceOf(RoomClosedError);
    await expect(kit.attachChannel("r1", "sms")).rejects.toBeInstanceOf(RoomClosedError);
    await expect(kit.closeRoom("ghost")).rejects.toBeInstanceOf(RoomNotFoundError);
  });
});
