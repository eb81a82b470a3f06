// Which requests count as one client for the sign-in throttle: one IPv4 address, one IPv6 /64
// (a host may use any address in its subnet), and one shared key when Cloudflare sent no address.
import { describe, expect, it } from "vitest";
import { clientKeyOf, UNKNOWN_CLIENT } from "../../src/api/client-key";

const keyOf = (ip?: string) => clientKeyOf(new Headers(ip === undefined ? {} : { "cf-connecting-ip": ip }));

describe("clientKeyOf", () => {
  it("is the IPv4 address itself", () => {
    expect(keyOf("203.0.113.7")).toBe("203.0.113.7");
    expect(keyOf("::ffff:203.0.113.7")).toBe("203.0.113.7");
  });

  it("groups IPv6 addresses by their /64, however they are written", () => {
    const key = "2001:db8:0:1::/64";
    expect(keyOf("2001:db8:0:1:aaaa:bbbb:cccc:dddd")).toBe(key);
    expect(keyOf("2001:0DB8:0000:0001::5")).toBe(key);
    expect(keyOf("2001:db8::1:0:0:0:9")).toBe(key);
    expect(keyOf("2001:db8:0:2::1")).not.toBe(key);
    expect(keyOf("::1")).toBe("0:0:0:0::/64");
  });

  it("keeps a malformed address as sent, and shares one key when there is none", () => {
    expect(keyOf("2001:db8::1::2")).toBe("2001:db8::1::2");
    expect(keyOf("not-an-ip:")).toBe("not-an-ip:");
    expect(keyOf()).toBe(UNKNOWN_CLIENT);
    expect(keyOf("  ")).toBe(UNKNOWN_CLIENT);
  });
});
