/**
 * Which webhook targets the server may connect to (SSRF defence). A target is an absolute https URL without
 * userinfo whose host resolves only to public unicast addresses; loopback (and plain http to it) is allowed only
 * under the explicit `allowLoopback` option, for local development and tests. The same check runs when a hook is
 * subscribed and again, through {@link pinnedLookup}, on every delivery: the address that passed the check is the
 * one connected to, so a DNS answer that changes between check and connect (rebinding) cannot swap it.
 *
 * Addresses are classified by ipaddr.js; hostnames are parsed by the WHATWG URL parser first, which already turns
 * the legacy IPv4 spellings (2130706433, 0x7f.1, 0177.0.0.1, 127.1) into dotted quads.
 */
import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { networkInterfaces } from 'node:os';
import ipaddr from 'ipaddr.js';

/** Resolves a hostname to every address it has (dns.lookup with `all: true`, injectable for tests). */
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

/** The system resolver (getaddrinfo: /etc/hosts, then DNS). */
export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });

/** Options of the target policy. */
export interface TargetPolicyOptions {
  /** Allow loopback targets, and plain http to them (local development and tests only). @default false */
  allowLoopback?: boolean;
  /** How hostnames are resolved. @default systemResolver */
  resolver?: Resolver;
}

/**
 * Why a target was refused; `message` is safe to show the subscriber. `malformed` marks a value that is no http(s)
 * URL at all (a field error), as opposed to a well-formed URL the policy forbids.
 */
export class TargetNotAllowedError extends Error {
  override name = 'TargetNotAllowedError' as const;

  constructor(message: string, readonly malformed = false) {
    super(message);
  }
}

/** A target that passed the check: the URL and the address to connect to. */
export interface CheckedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

// Every range ipaddr.js knows except plain unicast: loopback, private (RFC 1918), link-local (169.254/16 holds
// the cloud metadata services), unique-local (fd00::/8, e.g. AWS's fd00:ec2::254), carrier-grade NAT
// (100.64/10, Alibaba's 100.100.100.200), multicast, broadcast, unspecified, reserved, documentation, benchmarking,
// and the IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4, Teredo), which are unwrapped first.
const LOOPBACK = 'loopback';

function localAddresses(): Set<string> {
  const addresses = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) addresses.add(ipaddr.process(info.address).toString());
  }
  return addresses;
}

/** The address's range after unwrapping IPv4-mapped IPv6 (`::ffff:127.0.0.1` is loopback). */
export function addressRange(address: string): string {
  return ipaddr.process(address).range();
}

/** Throws when the server must not connect to `address`. */
export function checkAddress(address: string, options: TargetPolicyOptions = {}): void {
  if (!ipaddr.isValid(address)) throw new TargetNotAllowedError(`${address} is not an IP address`);
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  if (range === LOOPBACK && options.allowLoopback) return;
  if (range !== 'unicast') throw new TargetNotAllowedError(`the target resolves to ${parsed.toString()}, a ${range} address`);
  // A public address of this very machine is the server itself (or its neighbours on that interface).
  if (localAddresses().has(parsed.toString())) throw new TargetNotAllowedError(`the target resolves to ${parsed.toString()}, an address of this server`);
}

/** Parses and checks the URL's form (not yet its addresses). */
export function parseTarget(value: string, options: TargetPolicyOptions = {}): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TargetNotAllowedError('targetUrl must be an absolute https URL', true);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TargetNotAllowedError('targetUrl must be an absolute https URL', true);
  // Credentials in the URL would be sent as Basic auth to whoever the host is: refused, not stripped.
  if (url.username !== '' || url.password !== '') throw new TargetNotAllowedError('targetUrl must not contain a user name or password');
  if (url.protocol === 'http:' && !options.allowLoopback) throw new TargetNotAllowedError('targetUrl must use https');
  return url;
}

/** The hostname without IPv6 brackets. */
function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Parses, resolves and checks a target: every address the host resolves to must be allowed (a mixed answer is
 * refused, so that a later connection cannot pick the bad one), and plain http only goes to loopback.
 */
export async function checkTarget(value: string | URL, options: TargetPolicyOptions = {}): Promise<CheckedTarget> {
  const url = typeof value === 'string' ? parseTarget(value, options) : value;
  const host = bareHost(url);
  let addresses: { address: string; family: number }[];
  if (ipaddr.isValid(host)) {
    addresses = [{ address: host, family: host.includes(':') ? 6 : 4 }];
  } else {
    try {
      addresses = await (options.resolver ?? systemResolver)(host);
    } catch {
      throw new TargetNotAllowedError(`the target host ${host} does not resolve`);
    }
    if (addresses.length === 0) throw new TargetNotAllowedError(`the target host ${host} does not resolve`);
  }
  for (const { address } of addresses) checkAddress(address, options);
  const first = addresses[0] as { address: string; family: number };
  if (url.protocol === 'http:' && addressRange(first.address) !== LOOPBACK) throw new TargetNotAllowedError('targetUrl must use https');
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

/**
 * A `lookup` for http.request that answers with the checked address only, whatever the hostname: the connection
 * goes where the check said, and TLS still verifies the certificate against the URL's hostname.
 */
export function pinnedLookup(target: CheckedTarget): LookupFunction {
  const lookup = (_hostname: string, options: { all?: boolean } | number, callback: (...args: unknown[]) => void): void => {
    if (typeof options === 'object' && options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  return lookup as unknown as LookupFunction;
}
