import type { RoomKit } from "@roomkit/core";
import type { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { SipCallRejectedError, SipTimeoutError, type SipVoiceBackend } from "@roomkit/transport-sip";

// Places an outbound call through a PBX and hands it to the voice channel once answered.
export async function callCustomer(kit: RoomKit, channel: RealtimeVoiceChannel, backend: SipVoiceBackend) {
  const attempt = new AbortController(); // abort ⇒ CANCEL while it rings
  try {
    const call = await backend.dial({
      to: "sip:+15551234@pbx.example",
      auth: { username: "roomkit", password: process.env.PBX_PASSWORD ?? "" }, // one retry on a digest challenge
      headers: { "X-Room-ID": "callback-42" },
      timeoutMs: 30_000, // no answer ⇒ CANCEL and SipTimeoutError
      signal: attempt.signal,
    });
    await kit.createRoom({ roomId: "callback-42" });
    await kit.attachChannel("callback-42", "voice");
    await channel.startSession("callback-42", "customer", { connection: call });
    await call.sendDtmf("1"); // RFC 4733, at the payload type the callee answered
    return call;
  } catch (error) {
    if (error instanceof SipCallRejectedError)
      console.log(`refused: ${error.message}`); // busy, declined, …
    else if (error instanceof SipTimeoutError) console.log("no answer");
    else throw error;
    return undefined;
  }
}
