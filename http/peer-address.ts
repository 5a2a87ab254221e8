/**
 * Who is at the other end of an HTTP request, decided as Prosody's mod_http decides it:
 * `trusted_proxies` says whose `X-Forwarded-For` header is believed (the client address is the
 * rightmost address of the chain that is not a trusted proxy), and `secure_interfaces` says on
 * which local addresses plain HTTP counts as confidential (loopback: the bytes never leave the
 * machine). Entries are IP addresses or CIDR prefixes (`10.0.0.0/8`, `fd00::/8`). A trusted
 * proxy's `X-Forwarded-Proto`/`X-Forwarded-Host` or `Forwarded` (RFC 7239) headers also say how
 * the client reached it (XEP-0156 discovery advertises those URLs).
 */
import { BlockList, isIP } from 'node:net';

/** An IPv4 address Node reports in its IPv4-mapped IPv6 form (`::ffff:127.0.0.1`) as plain IPv4. */
export function unmapped(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4 ? lower.slice(7) : address;
}

/** True when `entry` is an IP address or a CIDR prefix (`address/length`). */
export function isAddressOrPrefix(entry: string): boolean {
  const [address = '', length, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (length === undefined) return true;
  return /^[0-9]{1,3}$/.test(length) && Number(length) <= (family === 4 ? 32 : 128);
}

/** A set of addresses and prefixes, for membership tests. */
export class AddressSet {
  readonly #list = new BlockList();

  /** `entries` already validated with `isAddressOrPrefix`. */
  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const [address = '', length] = entry.split('/');
      const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (length === undefined) this.#list.addAddress(address, type);
      else this.#list.addSubnet(address, Number(length), type);
    }
  }

  has(address: string): boolean {
    const plain = unmapped(address);
    const family = isIP(plain);
    if (family === 0) return false;
    return this.#list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  }
}

/**
 * The client's address: the TCP peer, unless the peer is a trusted proxy and sent
 * `X-Forwarded-For`; then the chain is walked from the right (the hop nearest to us) and the
 * first address that is not a trusted proxy is the client. Hops left of it were written by the
 * client itself and prove nothing. A hop that is not an IP address ends the walk at the last
 * trusted hop; a chain of trusted proxies only gives its leftmost address.
 */
export function clientAddress(peer: string, forwardedFor: string | undefined, trusted: AddressSet): string {
  if (forwardedFor === undefined || !trusted.has(peer)) return peer;
  const hops = forwardedFor.split(',').map((hop) => hop.trim());
  let client = peer;
  for (let index = hops.length - 1; index >= 0; index--) {
    const hop = unmapped(hops[index]!);
    if (isIP(hop) === 0) return client;
    client = hop;
    if (!trusted.has(hop)) return hop;
  }
  return client;
}

/** The scheme and authority the client used, as the proxies in front of us report them. */
export interface ForwardedOrigin {
  readonly scheme?: 'http' | 'https';
  readonly host?: string;
}

/** The headers `forwardedOrigin` reads, lower-case names as Node gives them. */
export interface ForwardingHeaders {
  readonly forwarded?: string | undefined;
  readonly 'x-forwarded-proto'?: string | undefined;
  readonly 'x-forwarded-host'?: string | undefined;
}

/** The parameters of one `Forwarded` element (RFC 7239 §4), names in lower case, quotes removed. */
function forwardedElement(text: string): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const pair of text.split(';')) {
    const equals = pair.indexOf('=');
    if (equals === -1) continue;
    const value = pair.slice(equals + 1).trim();
    pairs.set(pair.slice(0, equals).trim().toLowerCase(), value.startsWith('"') && value.endsWith('"') && value.length > 1 ? value.slice(1, -1) : value);
  }
  return pairs;
}

/** A `for=` node (RFC 7239 §6) as an address: `"[2001:db8::1]:4711"` and `192.0.2.1:80` lose port and brackets. */
function nodeAddress(node: string | undefined): string | undefined {
  if (node === undefined) return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(node);
  if (bracketed !== null) return bracketed[1];
  return isIP(node) !== 0 ? node : node.replace(/:\d+$/, '');
}

const schemeOf = (value: string | undefined): ForwardedOrigin['scheme'] => {
  const lower = value?.trim().toLowerCase();
  return lower === 'https' || lower === 'http' ? lower : undefined;
};

/** The last value of a comma-separated header: the one the proxy that connected to us wrote. */
const lastValue = (value: string | undefined): string | undefined => value?.split(',').at(-1)?.trim() || undefined;

/**
 * What the trusted proxy in front says the client used. `Forwarded` (RFC 7239) wins: its elements
 * are walked from the right, as `X-Forwarded-For` is, past elements whose `for=` is itself a
 * trusted proxy, and that element's `proto` and `host` count. Otherwise the last value of
 * `X-Forwarded-Proto` and `X-Forwarded-Host` (the values our peer wrote; anything left of them
 * may have come from the client). Empty when the peer is not a trusted proxy.
 */
export function forwardedOrigin(peer: string, headers: ForwardingHeaders, trusted: AddressSet): ForwardedOrigin {
  if (!trusted.has(peer)) return {};
  if (headers.forwarded !== undefined) {
    const elements = headers.forwarded.split(',').map(forwardedElement);
    let index = elements.length - 1;
    while (index > 0 && trusted.has(nodeAddress(elements[index]!.get('for')) ?? '')) index--;
    const element = elements[index];
    if (element === undefined) return {};
    return { scheme: schemeOf(element.get('proto')), host: element.get('host') };
  }
  return { scheme: schemeOf(lastValue(headers['x-forwarded-proto'])), host: lastValue(headers['x-forwarded-host']) };
}

/** What the listener tells every route and upgrade about the connection. */
export interface PeerPolicy {
  /** The client address for a request from `peer` carrying `forwardedFor`. */
  clientAddress(peer: string, forwardedFor: string | undefined): string;
  /** The scheme and host a trusted proxy `peer` reports the client used; empty for any other peer. */
  forwardedOrigin(peer: string, headers: ForwardingHeaders): ForwardedOrigin;
  /** True when `peer` is one of `trusted_proxies`. */
  isTrustedProxy(peer: string): boolean;
  /** True when plain HTTP received on local address `local` counts as confidential. */
  isSecureInterface(local: string | undefined): boolean;
}

export function peerPolicy(trustedProxies: readonly string[], secureInterfaces: readonly string[]): PeerPolicy {
  const trusted = new AddressSet(trustedProxies);
  const secure = new AddressSet(secureInterfaces);
  return {
    clientAddress: (peer, forwardedFor) => clientAddress(peer, forwardedFor, trusted),
    forwardedOrigin: (peer, headers) => forwardedOrigin(peer, headers, trusted),
    isTrustedProxy: (peer) => trusted.has(peer),
    isSecureInterface: (local) => local !== undefined && secure.has(local),
  };
}
