import { describe, expect, test } from "bun:test";
import { SipParseError } from "./sip-errors.ts";
import {
  formatNameAddress,
  formatQ850Reason,
  formatVia,
  parseAuthParams,
  parseNameAddress,
  parseQ850Reason,
  parseSipUri,
  parseVia,
} from "./sip-headers.ts";

describe("SIP header values", () => {
  test("name-addr: quoted display name with escapes, bare name, bare URI with header params", () => {
    const quoted = parseNameAddress('"Bob \\"B\\" Smith" <sip:bob@example.com;transport=udp>;tag=88');
    expect(quoted.displayName).toBe('Bob "B" Smith');
    expect(quoted.uri).toBe("sip:bob@example.com;transport=udp");
    expect(quoted.params.get("tag")).toBe("88");
    expect(parseNameAddress("Alice <sip:a@b>").displayName).toBe("Alice");
    const bare = parseNameAddress("sip:carol@c;tag=9");
    expect(bare.uri).toBe("sip:carol@c");
    expect(bare.params.get("tag")).toBe("9");
    expect(formatNameAddress(quoted)).toBe('"Bob \\"B\\" Smith" <sip:bob@example.com;transport=udp>;tag=88');
  });

  test("name-addr errors are SipParseError", () => {
    for (const text of ['"unterminated <sip:a@b>', "Alice <sip:a@b", '"Name" sip:a@b', "", "<>"]) {
      expect(() => parseNameAddress(text)).toThrow(SipParseError);
    }
  });

  test("URIs: user, host, port, IPv6, params, escaped user, tel", () => {
    const uri = parseSipUri("sip:%61lice@10.0.0.1:5061;transport=udp?subject=x");
    expect(uri).toMatchObject({ scheme: "sip", user: "alice", host: "10.0.0.1", port: 5061 });
    expect(uri.params.get("transport")).toBe("udp");
    expect(parseSipUri("sips:[2001:db8::1]:5061").host).toBe("2001:db8::1");
    expect(parseSipUri("sip:example.com").port).toBeUndefined();
    expect(parseSipUri("tel:+15551234;phone-context=x").user).toBe("+15551234");
    for (const bad of ["http://x", "sip:", "sip:a@b:99999", "sip:a@[::1", "sip:a@bad host"]) {
      expect(() => parseSipUri(bad)).toThrow(SipParseError);
    }
  });

  test("Via: transport, host, port, branch, rport; round trip", () => {
    const via = parseVia("SIP/2.0/UDP 192.0.2.1:5080;branch=z9hG4bK77;rport");
    expect(via).toMatchObject({ transport: "UDP", host: "192.0.2.1", port: 5080 });
    expect(via.params.get("branch")).toBe("z9hG4bK77");
    expect(via.params.get("rport")).toBe("");
    via.params.set("rport", "5999");
    via.params.set("received", "198.51.100.1");
    expect(formatVia(via)).toBe("SIP/2.0/UDP 192.0.2.1:5080;branch=z9hG4bK77;rport=5999;received=198.51.100.1");
    expect(() => parseVia("SIP/3.0/UDP a")).toThrow(SipParseError);
  });

  test("auth params: quoted values with commas, unquoted algorithm", () => {
    const { scheme, params } = parseAuthParams('Digest realm="a, b", nonce="n1", algorithm=MD5, qop="auth"');
    expect(scheme).toBe("Digest");
    expect(params.get("realm")).toBe("a, b");
    expect(params.get("algorithm")).toBe("MD5");
    expect(params.get("qop")).toBe("auth");
  });

  test("Q.850 Reason parse: text, label fallback, numeric fallback, case-insensitive, non-Q.850 ignored", () => {
    expect(parseQ850Reason('Q.850 ;cause=21 ;text="Tenant declined"')).toEqual({ cause: 21, text: "Tenant declined" });
    expect(parseQ850Reason("Q.850;cause=17")).toEqual({ cause: 17, text: "User busy" });
    expect(parseQ850Reason("q.850 ;cause=99")).toEqual({ cause: 99, text: "Q.850 cause 99" });
    expect(parseQ850Reason("SIP ;cause=200")).toBeUndefined();
    expect(parseQ850Reason(undefined)).toBeUndefined();
    expect(parseQ850Reason("Q.850 ;cause=abc")).toBeUndefined();
  });

  test("Q.850 Reason format: quotes stripped, CR/LF flattened, empty text omitted", () => {
    expect(formatQ850Reason(16)).toBe("Q.850 ;cause=16");
    expect(formatQ850Reason(21, "Call rejected")).toBe('Q.850 ;cause=21 ;text="Call rejected"');
    const flattened = formatQ850Reason(21, 'bad "quote"\r\nInjected: yes');
    expect(flattened).not.toMatch(/[\r\n]/);
    expect(flattened).toBe('Q.850 ;cause=21 ;text="bad quote Injected: yes"');
    expect(formatQ850Reason(16, "")).toBe("Q.850 ;cause=16");
    expect(() => formatQ850Reason(300)).toThrow(SipParseError);
  });
});
