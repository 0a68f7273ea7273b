import { describe, expect, test } from "bun:test";
import { ManualClock } from "@roomkit/testing";
import { computeDigestResponse, DigestServer, parseDigestCredentials, redactDigest } from "./digest.ts";

// RFC 7616 §3.9.1's worked example (qop=auth), for both algorithms.
const RFC7616 = {
  username: "Mufasa",
  realm: "http-auth@example.org",
  password: "Circle of Life",
  method: "GET",
  uri: "/dir/index.html",
  nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
  cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
  nc: "00000001",
  qop: "auth",
};

function credentials(
  nonce: string,
  password: string,
  options: { algorithm?: "MD5" | "SHA-256"; qop?: boolean; user?: string } = {},
) {
  const algorithm = options.algorithm ?? "MD5";
  const username = options.user ?? "alice";
  const qop = options.qop ? { qop: "auth", nc: "00000001", cnonce: "abcdef" } : {};
  const response = computeDigestResponse({
    algorithm,
    username,
    realm: "roomkit",
    password,
    method: "INVITE",
    uri: "sip:bot@x",
    nonce,
    ...qop,
  });
  const qopText = options.qop ? ', qop=auth, nc=00000001, cnonce="abcdef"' : "";
  return `Digest username="${username}", realm="roomkit", nonce="${nonce}", uri="sip:bot@x", response="${response}", algorithm=${algorithm}${qopText}`;
}

const nonceOf = (challenge: string) => /nonce="([^"]+)"/.exec(challenge)![1]!;

function server(
  options: { algorithms?: Array<"MD5" | "SHA-256">; resolve?: (user: string) => string | undefined } = {},
) {
  const clock = new ManualClock();
  const users: Record<string, string> = { alice: "secret" };
  const digest = new DigestServer({
    realm: "roomkit",
    clock,
    algorithms: options.algorithms,
    resolvePassword: options.resolve ?? ((user) => users[user]),
  });
  return { clock, digest };
}

describe("digest authentication", () => {
  test("RFC 7616 §3.9.1 vectors: MD5 and SHA-256 with qop=auth", () => {
    expect(computeDigestResponse({ algorithm: "MD5", ...RFC7616 })).toBe("8ca523f5e9506fed4657c9700eebdbec");
    expect(computeDigestResponse({ algorithm: "SHA-256", ...RFC7616 })).toBe(
      "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
    );
  });

  test("RFC 2617 without qop: MD5(MD5(u:realm:pw):nonce:MD5(method:uri))", () => {
    const md5 = (text: string) => new Bun.CryptoHasher("md5").update(text).digest("hex");
    const expected = md5(`${md5("bot:r:pw")}:n1:${md5("INVITE:sip:x@y")}`);
    expect(
      computeDigestResponse({
        algorithm: "MD5",
        username: "bot",
        realm: "r",
        password: "pw",
        method: "INVITE",
        uri: "sip:x@y",
        nonce: "n1",
      }),
    ).toBe(expected);
  });

  test("challenge: 32-hex single-use nonce, qop=auth, one header per algorithm", () => {
    const { digest } = server({ algorithms: ["SHA-256", "MD5"] });
    const challenges = digest.challenge();
    expect(challenges.length).toBe(2);
    expect(challenges[0]).toMatch(/^Digest realm="roomkit", nonce="[0-9a-f]{32}", algorithm=SHA-256, qop="auth"$/);
    expect(nonceOf(challenges[0]!)).toBe(nonceOf(challenges[1]!));
  });

  test("a valid response passes once; the nonce is consumed (replay ⇒ 401)", async () => {
    const { digest } = server();
    const nonce = nonceOf(digest.challenge()[0]!);
    const header = credentials(nonce, "secret");
    expect(await digest.verify("INVITE", header)).toEqual({ ok: true, username: "alice" });
    expect(await digest.verify("INVITE", header)).toEqual({ ok: false, status: 401, stale: false });
    expect(digest.storedNonces).toBe(0);
  });

  test("qop=auth and SHA-256 responses pass when offered; an algorithm not offered ⇒ 401", async () => {
    const { digest } = server({ algorithms: ["SHA-256", "MD5"] });
    expect(
      (
        await digest.verify(
          "INVITE",
          credentials(nonceOf(digest.challenge()[0]!), "secret", { algorithm: "SHA-256", qop: true }),
        )
      ).ok,
    ).toBe(true);
    expect(
      (await digest.verify("INVITE", credentials(nonceOf(digest.challenge()[0]!), "secret", { qop: true }))).ok,
    ).toBe(true);
    const md5Only = server({ algorithms: ["MD5"] }).digest;
    expect(
      await md5Only.verify("INVITE", credentials(nonceOf(md5Only.challenge()[0]!), "secret", { algorithm: "SHA-256" })),
    ).toMatchObject({ status: 401 });
  });

  test("wrong password or unknown user ⇒ 403; a resolver that throws ⇒ 403", async () => {
    const { digest } = server();
    expect(await digest.verify("INVITE", credentials(nonceOf(digest.challenge()[0]!), "WRONG"))).toEqual({
      ok: false,
      status: 403,
    });
    expect(
      await digest.verify("INVITE", credentials(nonceOf(digest.challenge()[0]!), "x", { user: "mallory" })),
    ).toEqual({ ok: false, status: 403 });
    const throwing = server({
      resolve: () => {
        throw new Error("db down");
      },
    }).digest;
    expect(await throwing.verify("INVITE", credentials(nonceOf(throwing.challenge()[0]!), "secret"))).toEqual({
      ok: false,
      status: 403,
    });
  });

  test("an expired nonce (30 s) ⇒ a fresh 401 with stale=true; no Authorization ⇒ 401", async () => {
    const { digest, clock } = server();
    const nonce = nonceOf(digest.challenge()[0]!);
    clock.advance(30_001);
    expect(await digest.verify("INVITE", credentials(nonce, "secret"))).toEqual({
      ok: false,
      status: 401,
      stale: true,
    });
    expect(digest.challenge(true)[0]).toContain("stale=true");
    expect(await digest.verify("INVITE", undefined)).toEqual({ ok: false, status: 401, stale: false });
    expect(await digest.verify("INVITE", "Basic YWxhZGRpbjpvcGVuc2VzYW1l")).toMatchObject({ status: 401 });
  });

  test("expired nonces are swept only once more than 256 are stored", () => {
    const { digest, clock } = server();
    for (let index = 0; index < 200; index++) digest.challenge();
    clock.advance(31_000);
    digest.challenge();
    expect(digest.storedNonces).toBe(201);
    for (let index = 0; index < 60; index++) digest.challenge();
    digest.challenge();
    expect(digest.storedNonces).toBe(62);
  });

  test("credential parsing and trace redaction", () => {
    expect(parseDigestCredentials('Digest username="a", nonce="n", uri="u"')).toBeUndefined();
    expect(parseDigestCredentials("Digest garbage")).toBeUndefined();
    expect(
      parseDigestCredentials('Digest username="a", nonce="n", uri="u", response="R", algorithm=SHA-512'),
    ).toBeUndefined();
    const header = 'Authorization: Digest username="alice", realm="r", nonce="n", response="0123abcd"';
    expect(redactDigest(header)).toBe(
      'Authorization: Digest username="alice", realm="r", nonce="n", response="<redacted>"',
    );
    expect(redactDigest("no credentials")).toBe("no credentials");
  });
});
