import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Subscriber URLs are chosen by API users, so without a guard an event webhook is a way to make
 * the server call its own network (SSRF): metadata services, databases, admin ports. Only
 * http(s) is allowed, and every address the host resolves to must be public.
 */
const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['2001:db8::', 32],
] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv6');
}

/** True for loopback, private, link-local, carrier-grade NAT, multicast and reserved addresses (IPv4-mapped IPv6
 * included). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1], 'ipv4');
  return PRIVATE.check(address, 'ipv6');
}

export type Resolver = (host: string) => Promise<string[]>;

const systemResolver: Resolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** The address a checked URL's host resolved to: the connection goes there and nowhere else. */
export interface PinnedAddress {
  address: string;
  family: 4 | 6;
}

export type UrlCheck = { problem: string } | { problem?: undefined; pinned?: PinnedAddress };

const pin = (address: string): PinnedAddress => ({ address, family: isIP(address) === 6 ? 6 : 4 });

/**
 * Whether this URL may receive events and, when the guard is on, the one checked address to
 * connect to. The host is resolved once; every address must be public; the first is pinned, so a
 * DNS answer that changes between this check and the connection (DNS rebinding) cannot steer it
 * to a private address.
 */
export async function checkUrl(
  raw: string,
  { allowPrivate, resolve = systemResolver }: { allowPrivate: boolean; resolve?: Resolver },
): Promise<UrlCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: 'is not a URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { problem: 'must be an http or https URL' };
  if (url.username || url.password) return { problem: 'must not carry a user name or password' };
  if (allowPrivate) return {};
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await resolve(host);
  } catch {
    return { problem: `its host ${host} does not resolve` };
  }
  if (addresses.length === 0) return { problem: `its host ${host} does not resolve` };
  const blocked = addresses.find(isPrivateAddress);
  if (blocked)
    return {
      problem: `resolves to ${blocked}, a private, loopback or link-local address (set EVENT_WEBHOOKS_ALLOW_PRIVATE=true to allow)`,
    };
  return { pinned: pin(addresses[0]) };
}

/** Why this URL may not receive events, or undefined when it may (at subscription; deliveries use checkUrl). */
export async function urlProblem(
  raw: string,
  options: { allowPrivate: boolean; resolve?: Resolver },
): Promise<string | undefined> {
  return (await checkUrl(raw, options)).problem;
}
