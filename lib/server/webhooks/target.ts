// Where a webhook may point (SSRF guard). Checked when the webhook is created and again at every send, against the
// addresses the host resolves to then, and the send connects to the very address that was checked (no DNS
// rebinding between check and connect).
//  - Cloud metadata endpoints and link-local addresses: always refused.
//  - WEBHOOK_ALLOWED_HOSTS unset: loopback, private and other non-public addresses refused, public ones allowed.
//  - WEBHOOK_ALLOWED_HOSTS="*": any host allowed (except the above).
//  - WEBHOOK_ALLOWED_HOSTS="a.example,10.0.0.5": only those host names or addresses (private ones included).
import "server-only";
import { lookup } from "node:dns/promises";
import net from "node:net";

export class TargetRefused extends Error {}

const METADATA_HOSTS = new Set([
  "metadata.google.internal",
  "metadata.goog",
  "metadata",
  "instance-data",
  "instance-data.ec2.internal",
]);

const metadata = new net.BlockList();
metadata.addAddress("169.254.169.254", "ipv4");
metadata.addAddress("169.254.170.2", "ipv4"); // AWS ECS task metadata
metadata.addAddress("100.100.100.200", "ipv4"); // Alibaba Cloud
metadata.addAddress("fd00:ec2::254", "ipv6");

const linkLocal = new net.BlockList();
linkLocal.addSubnet("169.254.0.0", 16, "ipv4");
linkLocal.addSubnet("fe80::", 10, "ipv6");

// Not on the public internet: loopback, private, shared (CGNAT), unspecified, multicast and reserved ranges.
const nonPublic = new net.BlockList();
for (const [address, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  nonPublic.addSubnet(address, prefix, "ipv4");
for (const [address, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["ff00::", 8],
] as const)
  nonPublic.addSubnet(address, prefix, "ipv6");

/** The 16 bytes of an IPv6 address (any textual form, with or without a trailing dotted IPv4), or null. */
function ipv6Bytes(address: string): number[] | null {
  if (!net.isIPv6(address)) return null;
  let text = address.toLowerCase().split("%")[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split(".").map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, null];
  const groups = (part: string | undefined) => (part ? part.split(":") : []);
  const left = groups(head);
  const right = tail === null ? [] : groups(tail);
  const zeros = tail === null ? [] : Array(8 - left.length - right.length).fill("0");
  const all = [...left, ...zeros, ...right];
  if (all.length !== 8) return null;
  return all.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

const v4 = (b: number[]) => b.join(".");

/**
 * The addresses to check for one resolved address: itself, and any IPv4 address an IPv6 form carries, so
 * `[::ffff:7f00:1]`, `[::7f00:1]` (IPv4-compatible), `[64:ff9b::a00:1]` (NAT64), `[2002:7f00:1::]` (6to4) and
 * Teredo forms are checked as the private or loopback IPv4 addresses they reach.
 */
function candidates(address: string): { address: string; family: "ipv4" | "ipv6" }[] {
  const bytes = ipv6Bytes(address);
  if (!bytes) return [{ address, family: "ipv4" }];
  const out: { address: string; family: "ipv4" | "ipv6" }[] = [{ address, family: "ipv6" }];
  const zero = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const last4 = bytes.slice(12, 16);
  if (zero(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff)
    out.push({ address: v4(last4), family: "ipv4" });
  else if (zero(0, 12) && !zero(12, 15)) out.push({ address: v4(last4), family: "ipv4" });
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b)
    out.push({ address: v4(last4), family: "ipv4" }); // NAT64, well-known and local-use prefixes
  if (bytes[0] === 0x20 && bytes[1] === 0x02)
    out.push({ address: v4(bytes.slice(2, 6)), family: "ipv4" }); // 6to4
  if (bytes[0] === 0x20 && bytes[1] === 0x01 && bytes[2] === 0 && bytes[3] === 0) {
    out.push({ address: v4(bytes.slice(4, 8)), family: "ipv4" }); // Teredo server
    out.push({ address: v4(last4.map((b) => b ^ 0xff)), family: "ipv4" }); // Teredo client (inverted)
  }
  return out;
}

type Allowed = "*" | Set<string> | null;

/** WEBHOOK_ALLOWED_HOSTS, read at each check so a changed setting applies to the next send. */
function allowedHosts(): Allowed {
  const raw = process.env.WEBHOOK_ALLOWED_HOSTS?.trim();
  if (!raw) return null;
  const names = raw
    .split(",")
    .map((s) =>
      s
        .trim()
        .toLowerCase()
        .replace(/^\[|\]$/g, ""),
    )
    .filter(Boolean);
  if (names.includes("*")) return "*";
  return new Set(names);
}

/** Why this resolved address may not be the target of `host`, or null if it may. */
function refusal(host: string, rawAddress: string, allowed: Allowed = allowedHosts()) {
  const forms = candidates(rawAddress);
  const any = (list: net.BlockList) => forms.some((f) => list.check(f.address, f.family));
  if (any(metadata))
    return `${rawAddress} is a cloud metadata address, which webhooks may never reach`;
  if (any(linkLocal))
    return `${rawAddress} is a link-local address, which webhooks may never reach`;
  if (allowed === "*") return null;
  if (allowed) {
    if (
      allowed.has(host) ||
      forms.some((f) => allowed.has(f.address)) ||
      allowed.has(rawAddress.toLowerCase())
    )
      return null;
    return `host "${host}" is not in the server's WEBHOOK_ALLOWED_HOSTS list`;
  }
  if (any(nonPublic))
    return `${rawAddress} is a loopback, private or reserved address; webhooks may reach it only when the server's WEBHOOK_ALLOWED_HOSTS setting lists it`;
  return null;
}

type Target = { url: URL; host: string };

/** Checks the URL's form (http/https, no credentials) and host name; the addresses are checked by `resolveTarget`. */
export function parseTarget(text: string): Target {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TargetRefused(`"${text.slice(0, 200)}" is not a URL: give an absolute http(s) URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new TargetRefused(`The URL must start with https:// or http://, not ${url.protocol}//`);
  if (url.username || url.password)
    throw new TargetRefused("The URL may not carry a user name or password");
  const host = url.hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "");
  if (METADATA_HOSTS.has(host))
    throw new TargetRefused(`"${host}" is a cloud metadata host, which webhooks may never reach`);
  return { url, host };
}

/** Resolves the host and checks every address; answers the address to connect to. */
export async function resolveTarget(target: Target): Promise<{ address: string; family: 4 | 6 }> {
  const { host } = target;
  let addresses: { address: string; family: number }[];
  if (net.isIP(host)) addresses = [{ address: host, family: net.isIP(host) }];
  else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch {
      throw new TargetRefused(`The host "${host}" could not be resolved`);
    }
  }
  if (addresses.length === 0) throw new TargetRefused(`The host "${host}" has no address`);
  const allowed = allowedHosts();
  for (const a of addresses) {
    const why = refusal(host, a.address, allowed);
    if (why) throw new TargetRefused(`Refused target: ${why}`);
  }
  const first = addresses[0]!;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

/** Both checks, for the creation of a webhook. */
export async function checkTarget(text: string): Promise<Target> {
  const target = parseTarget(text);
  await resolveTarget(target);
  return target;
}
