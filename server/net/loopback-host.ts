/**
 * Whether a host or a local address stays on this machine: plain HTTP to or on it is not
 * readable by anyone on a network. Used for the warnings about secrets sent in clear.
 */

/**
 * True for `localhost` and its subdomains (RFC 6761 §6.3), 127.0.0.0/8 (RFC 1122 §3.2.1.3),
 * `::1` (RFC 4291 §2.5.3) and IPv4-mapped 127.x (RFC 4291 §2.5.5.2). Takes a URL's `hostname`
 * (`[::1]`, with brackets) or a bare interface address (`::1`).
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return name === 'localhost' || name.endsWith('.localhost') || name.startsWith('127.')
    || name === '::1' || name.startsWith('::ffff:127.');
}
