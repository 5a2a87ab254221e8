/** SASL user names to account names. */
import { prepareSaslString } from '../accounts/index.js';
import { normaliseLocal } from '../jid/index.js';

/**
 * The account (JID local part) a SASL authentication identity names, or undefined when it names
 * none. The identity goes through the same PRECIS profile as account creation (RFC 7622 §3.3,
 * RFC 8265 UsernameCaseMapped, which replaces SASLprep for user names), so a name with a soft
 * hyphen or a zero-width character is refused at login as it is at creation, never folded onto
 * another account. SASLprep's bidi check (RFC 3454 §6) stands in for the profile's Bidi Rule
 * (RFC 5893), which JavaScript's Unicode properties cannot express.
 */
export function accountName(authcid: string): string | undefined {
  const local = normaliseLocal(authcid);
  if (local === undefined || local === '') return undefined;
  return prepareSaslString(local, { allowUnassigned: true }) === undefined ? undefined : local;
}
