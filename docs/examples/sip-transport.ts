import type { RoomKit } from "@roomkit/core";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import type { RealtimeVoiceProvider } from "@roomkit/spec";
import { SIPRealtimeTransport, SipVoiceBackend } from "@roomkit/transport-sip";

// Answers SIP calls (UDP, G.722 / PCMU / PCMA) from a PBX or SIP trunk; each call becomes a realtime session.
export async function answerSipCalls(kit: RoomKit, provider: RealtimeVoiceProvider) {
  const backend = new SipVoiceBackend({
    host: "0.0.0.0",
    port: 5060,
    advertisedAddress: "203.0.113.10", // the address the PBX reaches us at (SDP c= and Contact)
    rtpPortStart: 10000,
    rtpPortEnd: 20000,
    maxSessions: 50, // the 51st concurrent INVITE gets 503
    preWarm: true, // connect the provider while the phone rings; answer once it is ready
  });
  const transport = new SIPRealtimeTransport({ backend });
  const channel = new RealtimeVoiceChannel("voice", { provider, transport });
  kit.registerChannel(channel);

  // Refuse before ringing: e.g. only the number we serve.
  backend.setInviteFilter((call) =>
    call.callee.includes("support@") ? undefined : { status: 404, reason: "Not Here" },
  );

  backend.onCall(async (call) => {
    // call.info: callId, caller, callee, callerDisplayName, xHeaders, participantId (X-Session-ID or the caller URI)
    const roomId = call.callId;
    await kit.createRoom({ roomId });
    await kit.attachChannel(roomId, "voice");
    await channel.startSession(roomId, call.info.participantId, { connection: call });
  });
  transport.onDtmf((session, { digit }) => console.log(`session ${session.id} pressed ${digit}`));

  await backend.start();
  return { backend, transport, channel }; // later: await backend.close() hangs up every call
}
