/**
 * Who "one client" is for the sign-in throttle: the address Cloudflare saw (cf-connecting-ip).
 * IPv6 clients are grouped by their /64, since one host can pick any address in its subnet.
 * Without the header (local tools, tests) every request shares one constant key.
 */
export const UNKNOWN_CLIENT = "unknown-client";

export function clientKeyOf(headers: Headers): string {
  const ip = headers.get("cf-connecting-ip")?.trim().toLowerCase();
  if (!ip) return UNKNOWN_CLIENT;
  if (!ip.includes(":")) return ip;
  return ipv6Subnet64(ip) ?? ip;
}

/** "2001:db8:0:1:aaaa::5" → "2001:db8:0:1::/64"; IPv4-mapped addresses become their IPv4; null if malformed. */
function ipv6Subnet64(ip: string): string | null {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(ip);
  if (mapped?.[1]) return mapped[1];
  const halves = ip.split("::");
  if (halves.length > 2) return null;
  const groupsOf = (part: string | undefined) => (part ? part.split(":") : []);
  const head = groupsOf(halves[0]);
  const tail = groupsOf(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(Math.max(missing, 0)).fill("0"), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
