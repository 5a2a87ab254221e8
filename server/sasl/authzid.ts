/** Authorization identities (RFC 6120 §6.3.8): we only let users act as themselves. */
import { Jid, normaliseDomain, parseJid } from '../jid/index.js';

/**
 * Whether `authzid` may be used by the account `local` on `host`: it must be empty or the bare
 * JID of that account (after normalisation).
 */
export function isAuthzidAllowed(authzid: string, local: string | undefined, host: string): boolean {
  if (authzid === '') return true;
  if (local === undefined) return false;
  const parsed = parseJid(authzid);
  const domain = normaliseDomain(host) ?? host;
  return parsed.ok && parsed.value.equals(new Jid(local, domain));
}
