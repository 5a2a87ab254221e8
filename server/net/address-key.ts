/**
 * The key under which every per-address limit counts a client address (connections per address
 * on the client listeners and on HTTP, failed logins, failed `/muc_kick` authorizations), so that
 * one client has one budget whatever listener it reaches:
 * - an IPv4 address counts alone, and an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, what a
 *   dual-stack `*` listener reports for an IPv4 client) counts as the IPv4 address it carries;
 * - an IPv6 address counts with its /64, because one subscriber line or LAN gets a whole /64 and
 *   could otherwise change address for every connection (RFC 7421 §1: the /64 is the unit of a
 *   link; RFC 6177 §3: end sites get at least a /64);
 * - anything else (a Unix socket path, an unparsable forwarded value) counts as itself.
 */

const MAPPED_IPV4 = '::ffff:';
const HEX_GROUP = /^[0-9a-f]{1,4}$/;

/** The last IPv6 address asked about and its key: a connection asks on accept and on close. */
let lastAddress = '';
let lastKey = '';

/** The limit key of `address`: cheap for IPv4 (no work beyond one scan for ':'). */
export function addressKey(address: string): string {
  if (!address.includes(':')) return address;
  if (address === lastAddress) return lastKey;
  const zone = address.indexOf('%'); // fe80::1%eth0: the zone names an interface, not a host
  const bare = (zone === -1 ? address : address.slice(0, zone)).toLowerCase();
  let key: string;
  if (bare.startsWith(MAPPED_IPV4) && bare.includes('.')) {
    key = bare.slice(MAPPED_IPV4.length);
  } else {
    const prefix = ipv6Prefix64(bare);
    key = prefix === undefined ? address : `${prefix}::/64`;
  }
  lastAddress = address;
  lastKey = key;
  return key;
}

/** The first four groups of an IPv6 address, without leading zeros, or undefined when malformed. */
function ipv6Prefix64(address: string): string | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  // A trailing dotted IPv4 part (64:ff9b::192.0.2.1) stands for two groups.
  const tailSize = tail.length + (tail.at(-1)?.includes('.') === true ? 1 : 0);
  const headSize = head.length + (halves.length === 1 && head.at(-1)?.includes('.') === true ? 1 : 0);
  const zeros = 8 - headSize - tailSize;
  if (halves.length === 1 ? zeros !== 0 : zeros < 1) return undefined;
  const all = [...head, ...Array<string>(zeros).fill('0'), ...tail];
  const first = all.slice(0, 4);
  if (!first.every((group) => HEX_GROUP.test(group))) return undefined;
  return first.map((group) => parseInt(group, 16).toString(16)).join(':');
}

function groups(text: string): string[] | undefined {
  if (text === '') return [];
  const parts = text.split(':');
  return parts.every((part) => part !== '') ? parts : undefined;
}
