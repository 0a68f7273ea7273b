// @roomkit/transport-sip/testing: helpers for testing code that uses the SIP transport, on 127.0.0.1.
export { type PcapRtpPacket, writeRtpPcap } from "./loopback/pcap-writer.ts";
export { SipTestClient } from "./loopback/sip-test-client.ts";
