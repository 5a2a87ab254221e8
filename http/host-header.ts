/**
 * The name a request's `Host` header gives (RFC 7230 §5.4): the port stripped, lower case; an
 * IPv6 literal keeps its brackets, as it is written in a JID's domainpart (RFC 7622 §3.2).
 */

/** Longest name echoed back in an error message. */
const MAX_NAME_LENGTH = 255;

/** The host name of a `Host` header value; `''` when the header is absent or empty. */
export function hostNameOf(header: string | undefined): string {
  const value = (header ?? '').trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end === -1 ? value : value.slice(0, end + 1);
  }
  const colon = value.indexOf(':');
  return colon === -1 ? value : value.slice(0, colon);
}

/** The name as shown in an error body, bounded in length. */
export function displayHostName(name: string): string {
  return name.length > MAX_NAME_LENGTH ? `${name.slice(0, MAX_NAME_LENGTH)}…` : name;
}
