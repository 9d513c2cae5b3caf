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

/** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is checked as the IPv4 address it carries. */
function normalise(address: string): { address: string; family: "ipv4" | "ipv6" } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, family: "ipv4" };
  return { address, family: net.isIPv6(address) ? "ipv6" : "ipv4" };
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
  const { address, family } = normalise(rawAddress);
  if (metadata.check(address, family))
    return `${rawAddress} is a cloud metadata address, which webhooks may never reach`;
  if (linkLocal.check(address, family))
    return `${rawAddress} is a link-local address, which webhooks may never reach`;
  if (allowed === "*") return null;
  if (allowed) {
    if (allowed.has(host) || allowed.has(address) || allowed.has(rawAddress.toLowerCase()))
      return null;
    return `host "${host}" is not in the server's WEBHOOK_ALLOWED_HOSTS list`;
  }
  if (nonPublic.check(address, family))
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
