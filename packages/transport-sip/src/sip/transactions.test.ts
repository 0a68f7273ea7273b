import { describe, expect, test } from "bun:test";
import { ManualClock } from "@roomkit/testing";
import { parseSipMessage, type SipRequest, type SipResponse } from "./sip-message.ts";
import { ClientTransactionLayer, DEFAULT_TIMERS, ServerTransactionLayer, type SipAddress } from "./transactions.ts";

const peer: SipAddress = { address: "127.0.0.1", port: 5080 };
const request = (method: string, branch = "z9hG4bKabc", cseqMethod = method) =>
  parseSipMessage(
    new TextEncoder().encode(
      `${method} sip:bot@x SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5080;branch=${branch}\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: id1\r\nCSeq: 1 ${cseqMethod}\r\n\r\n`,
    ),
  ) as SipRequest;

function layer() {
  const clock = new ManualClock();
  const sent: Uint8Array[] = [];
  const timeouts: string[] = [];
  const server = new ServerTransactionLayer({
    clock,
    timers: DEFAULT_TIMERS,
    send: (bytes) => void sent.push(bytes),
    onAckTimeout: (transaction) => void timeouts.push(transaction.key),
  });
  return { clock, sent, timeouts, server };
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe("server transactions (RFC 3261 §17.2, RFC 6026)", () => {
  test("INVITE retransmission while proceeding re-sends the last provisional", () => {
    const { server, sent } = layer();
    const first = server.receive(request("INVITE"), peer, peer);
    expect(first.kind).toBe("new");
    if (first.kind !== "new") return;
    server.respond(first.transaction, 180, bytes("180"));
    expect(server.receive(request("INVITE"), peer, peer).kind).toBe("absorbed");
    expect(sent.map((b) => new TextDecoder().decode(b))).toEqual(["180", "180"]);
  });

  test("non-2xx final to INVITE: Timer G retransmits at T1, 2T1, 4T1… capped at T2; ACK stops it; Timer I ends it", () => {
    const { server, sent, clock } = layer();
    const result = server.receive(request("INVITE"), peer, peer);
    if (result.kind !== "new") throw new Error("expected new");
    server.respond(result.transaction, 486, bytes("486"));
    const times: number[] = [];
    for (let ms = 0; ms <= 12_000; ms += 50) {
      const before = sent.length;
      clock.advance(50);
      if (sent.length > before) times.push(clock.now());
    }
    expect(times.slice(0, 5)).toEqual([500, 1500, 3500, 7500, 11500]);
    expect(server.receive(request("ACK", "z9hG4bKabc"), peer, peer).kind).toBe("ack-consumed");
    const count = sent.length;
    clock.advance(10_000);
    expect(sent.length).toBe(count);
    expect(server.size).toBe(0); // Timer I (T4) removed it
  });

  test("no ACK for a non-2xx final: Timer H (64·T1) terminates and reports", () => {
    const { server, clock, timeouts } = layer();
    const result = server.receive(request("INVITE"), peer, peer);
    if (result.kind !== "new") throw new Error("expected new");
    server.respond(result.transaction, 488, bytes("488"));
    clock.advance(31_999);
    expect(timeouts).toEqual([]);
    clock.advance(1);
    expect(timeouts.length).toBe(1);
    expect(server.size).toBe(0);
  });

  test("2xx to INVITE: Accepted state absorbs retransmissions silently (the dialog resends the 2xx), Timer L ends it", () => {
    const { server, sent, clock } = layer();
    const result = server.receive(request("INVITE"), peer, peer);
    if (result.kind !== "new") throw new Error("expected new");
    server.respond(result.transaction, 200, bytes("200"));
    expect(server.receive(request("INVITE"), peer, peer).kind).toBe("absorbed");
    expect(sent.length).toBe(1);
    // An ACK for a 2xx is its own transaction: passed to the dialog layer.
    expect(server.receive(request("ACK", "z9hG4bKother"), peer, peer).kind).toBe("ack");
    clock.advance(32_000);
    expect(server.size).toBe(0);
  });

  test("non-INVITE: the final response is re-sent on retransmission until Timer J", () => {
    const { server, sent, clock } = layer();
    const result = server.receive(request("BYE"), peer, peer);
    if (result.kind !== "new") throw new Error("expected new");
    server.respond(result.transaction, 200, bytes("200"));
    expect(server.receive(request("BYE"), peer, peer).kind).toBe("absorbed");
    expect(sent.length).toBe(2);
    clock.advance(32_000);
    expect(server.receive(request("BYE"), peer, peer).kind).toBe("new");
  });

  test("a second final response in one transaction is ignored; CANCEL finds its INVITE by branch", () => {
    const { server, sent } = layer();
    const result = server.receive(request("INVITE"), peer, peer);
    if (result.kind !== "new") throw new Error("expected new");
    expect(server.findInvite(request("CANCEL"))).toBe(result.transaction);
    expect(server.findInvite(request("CANCEL", "z9hG4bKnope"))).toBeUndefined();
    server.respond(result.transaction, 487, bytes("487"));
    server.respond(result.transaction, 200, bytes("200"));
    expect(sent.length).toBe(1);
  });
});

describe("non-INVITE client transactions (§17.1.2)", () => {
  test("Timer E retransmits until the final response; Timer F gives up with undefined", async () => {
    const clock = new ManualClock();
    const sent: number[] = [];
    const client = new ClientTransactionLayer({
      clock,
      timers: DEFAULT_TIMERS,
      send: () => void sent.push(clock.now()),
    });
    const answered = client.request(bytes("BYE"), "z9hG4bKbye", "BYE", peer);
    clock.advance(1600);
    expect(sent).toEqual([0, 500, 1500]);
    const response = parseSipMessage(
      bytes(
        "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKbye\r\nFrom: a\r\nTo: b\r\nCall-ID: c\r\nCSeq: 2 BYE\r\n\r\n",
      ),
    ) as SipResponse;
    expect(client.receive(response)).toBe(true);
    expect((await answered)?.status).toBe(200);
    clock.advance(10_000);
    expect(sent.length).toBe(3);
    const lost = client.request(bytes("BYE"), "z9hG4bKlost", "BYE", peer);
    clock.advance(32_000);
    expect(await lost).toBeUndefined();
  });
});
