import { expect, test } from "bun:test";
import type { Socket } from "node:dgram";
import { silentLogger } from "@roomkit/spec";
import { settle } from "@roomkit/testing";
import { RtpPortPool } from "../rtp/port-pool.ts";
import { bindFromPool, bindSocket, defaultSocketFactory, pairedRtcpSocket } from "./udp-sockets.ts";

const closed = (socket: Socket) => new Promise<void>((resolve) => socket.close(() => resolve()));

test("RTP and RTCP bind as a pair: a busy RTCP port moves the pair on; closing RTP closes RTCP", async () => {
  const start = 64100 + 8 * Math.floor(Math.random() * 150);
  const pool = new RtpPortPool(start, start + 4, () => 0); // ports start and start + 2, in that order
  const blocker = await bindSocket(defaultSocketFactory, "127.0.0.1", start + 1); // start's RTCP port is taken
  const rtp = (await bindFromPool(pool, defaultSocketFactory, "127.0.0.1", silentLogger))!;
  expect(rtp.address().port).toBe(start + 2);
  const rtcp = pairedRtcpSocket(rtp)!;
  expect(rtcp.address().port).toBe(start + 3);
  expect(pool.isAllocated(start)).toBe(false); // released after the failed pair
  await closed(rtp);
  await settle();
  // Both ports of the pair are free again.
  for (const port of [start + 2, start + 3]) await closed(await bindSocket(defaultSocketFactory, "127.0.0.1", port));
  await closed(blocker);
});
