/** Which SASL mechanisms a stream offers (DESIGN.md §5). */

/** Every mechanism this server implements, strongest first: the order they are offered in. */
export const SASL_MECHANISMS = [
  'SCRAM-SHA-256-PLUS', 'SCRAM-SHA-1-PLUS', 'SCRAM-SHA-256', 'SCRAM-SHA-1', 'PLAIN',
] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

export interface OfferOptions {
  /** The stream is encrypted (TLS). */
  secure: boolean;
  /** `allow_unencrypted_plain_auth`: offer PLAIN without TLS. */
  allowUnencryptedPlain: boolean;
  /** The stream can produce `tls-exporter` channel-binding data (TLS 1.3, or 1.2 with EMS). */
  channelBindingAvailable: boolean;
  /** `disable_sasl_mechanisms` (compared case-insensitively). */
  disabled?: readonly string[];
}

/** The mechanisms to list in `<mechanisms/>`, strongest first. */
export function offeredMechanisms(options: OfferOptions): SaslMechanism[] {
  const disabled = new Set((options.disabled ?? []).map((name) => name.toUpperCase()));
  return SASL_MECHANISMS.filter((mechanism) => {
    if (disabled.has(mechanism)) return false;
    if (mechanism.endsWith('-PLUS')) return options.channelBindingAvailable;
    // DESIGN.md §5: PLAIN sends the password itself, so only inside TLS unless explicitly allowed.
    if (mechanism === 'PLAIN') return options.secure || options.allowUnencryptedPlain;
    return true;
  });
}
