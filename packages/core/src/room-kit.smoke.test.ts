import { describe, expect, test } from "bun:test";
import { silentLogger } from "@roomkit/spec";
import { MockChannel } from "@roomkit/testing";
import { RoomKit } from "./room-kit.ts";

describe("RoomKit smoke", () => {
  test("two channels: a text from one reaches the other", async () => {
    const kit = new RoomKit({ logger: silentLogger });
    const a = new MockChannel("a");
    const b = new MockChannel("b");
    kit.registerChannel(a);
    kit.registerChannel(b);
    const room = await kit.createRoom({ roomId: "r1" });
    await kit.attachChannel(room.id, "a");
    await kit.attachChannel(room.id, "b");
    const stored = await a.send(room.id, "hello");
    expect(stored.index).toBe(2);
    expect(b.receivedTexts()).toEqual(["hello"]);
    expect(a.received).toHaveLength(0);
    await kit.close();
  });
});
