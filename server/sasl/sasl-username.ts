/** SASL user names to account names. */
import { prepareSaslString } from '../accounts/index.js';
import { normaliseLocal } from '../jid/index.js';

/**
 * The account (JID local part) a SASL authentication identity names: SASLprep as a query
 * (RFC 4013, RFC 5802 §5.1), then the local-part rules (RFC 7622 §3.3); undefined when invalid.
 */
export function accountName(authcid: string): string | undefined {
  const prepared = prepareSaslString(authcid, { allowUnassigned: true });
  if (prepared === undefined) return undefined;
  const local = normaliseLocal(prepared);
  return local === undefined || local === '' ? undefined : local;
}
