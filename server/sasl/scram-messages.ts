/**
 * Parsing of the client's SCRAM messages (RFC 5802 §7 grammar). Attribute order is fixed;
 * anything else is `malformed-request`.
 */
import { SaslFailure, err, ok, type Result } from '../errors/index.js';
import { decodeBase64Strict } from './sasl-encoding.js';

/** gs2-cbind-flag: `n` (no binding), `y` (client could bind, thinks we cannot), `p=<type>`. */
export type Gs2Flag = 'n' | 'y' | 'p';

export interface ClientFirstMessage {
  /** The gs2-header exactly as sent, trailing comma included (it goes into `c=`). */
  gs2Header: string;
  flag: Gs2Flag;
  /** cb-name when the flag is `p`. */
  bindingType: string | undefined;
  /** Unescaped authzid; empty when absent. */
  authzid: string;
  /** client-first-message-bare (part of AuthMessage). */
  bare: string;
  /** Unescaped user name, not yet prepared. */
  username: string;
  clientNonce: string;
}

export interface ClientFinalMessage {
  /** Decoded `c=`: gs2-header followed by the channel-binding data. */
  channelBinding: Buffer;
  nonce: string;
  proof: Buffer;
  /** client-final-message-without-proof (part of AuthMessage). */
  withoutProof: string;
}

/** printable = %x21-2B / %x2D-7E: no comma, no space. */
const PRINTABLE = /^[\x21-\x2b\x2d-\x7e]+$/;
const CB_NAME = /^[A-Za-z0-9.-]+$/;
/** attr-val = ALPHA "=" value: extensions we do not know are ignored (RFC 5802 §7). */
const EXTENSION = /^[A-Za-z]=[^,]+$/;

function malformed(text: string): { ok: false; error: SaslFailure } {
  return err(new SaslFailure('malformed-request', text));
}

/** Undoes the saslname escaping (`=2C` → `,`, `=3D` → `=`); undefined for any other `=`. */
export function unescapeSaslName(escaped: string): string | undefined {
  if (escaped === '' || /=(?!2C|3D)/.test(escaped)) return undefined;
  return escaped.replace(/=(2C|3D)/g, (sequence) => (sequence === '=2C' ? ',' : '='));
}

/** Escapes a name for `n=` / `a=`. */
export function escapeSaslName(name: string): string {
  return name.replaceAll('=', '=3D').replaceAll(',', '=2C');
}

/** The value of a fixed attribute, or undefined when `field` is not `<name>=...`. */
function attribute(field: string | undefined, name: string): string | undefined {
  return field !== undefined && field.startsWith(`${name}=`) ? field.slice(name.length + 1) : undefined;
}

function parseGs2Flag(field: string): { flag: Gs2Flag; bindingType: string | undefined } | undefined {
  if (field === 'n' || field === 'y') return { flag: field, bindingType: undefined };
  const type = attribute(field, 'p');
  return type !== undefined && CB_NAME.test(type) ? { flag: 'p', bindingType: type } : undefined;
}

/** client-first-message = gs2-header [reserved-mext ","] username "," nonce ["," extensions]. */
export function parseClientFirst(message: string): Result<ClientFirstMessage, SaslFailure> {
  if (message.includes('\0')) return malformed('NUL in message');
  const fields = message.split(',');
  const [flagField = '', authzidField = '', ...bareFields] = fields;
  const gs2 = parseGs2Flag(flagField);
  if (gs2 === undefined) return malformed('bad gs2-cbind-flag');
  let authzid = '';
  if (authzidField !== '') {
    const escaped = attribute(authzidField, 'a');
    const unescaped = escaped === undefined ? undefined : unescapeSaslName(escaped);
    if (unescaped === undefined) return malformed('bad authzid');
    authzid = unescaped;
  }
  // RFC 5802 §5.1: "m" is reserved for mandatory extensions; none is supported.
  if (attribute(bareFields[0], 'm') !== undefined) return malformed('mandatory extension not supported');
  const escapedName = attribute(bareFields[0], 'n');
  const username = escapedName === undefined ? undefined : unescapeSaslName(escapedName);
  if (username === undefined) return malformed('bad username');
  const clientNonce = attribute(bareFields[1], 'r');
  if (clientNonce === undefined || !PRINTABLE.test(clientNonce)) return malformed('bad nonce');
  if (!bareFields.slice(2).every((field) => EXTENSION.test(field))) return malformed('bad extension');
  return ok({
    gs2Header: `${flagField},${authzidField},`,
    ...gs2,
    authzid,
    bare: bareFields.join(','),
    username,
    clientNonce,
  });
}

/** client-final-message = channel-binding "," nonce ["," extensions] "," proof. */
export function parseClientFinal(message: string): Result<ClientFinalMessage, SaslFailure> {
  if (message.includes('\0')) return malformed('NUL in message');
  const fields = message.split(',');
  if (fields.length < 3) return malformed('missing attributes');
  const bindingText = attribute(fields[0], 'c');
  const channelBinding = bindingText === undefined ? undefined : decodeBase64Strict(bindingText);
  if (channelBinding === undefined) return malformed('bad channel-binding attribute');
  const nonce = attribute(fields[1], 'r');
  if (nonce === undefined || !PRINTABLE.test(nonce)) return malformed('bad nonce');
  const proofText = attribute(fields[fields.length - 1], 'p');
  const proof = proofText === undefined ? undefined : decodeBase64Strict(proofText);
  if (proof === undefined || proof.length === 0) return malformed('bad proof');
  if (!fields.slice(2, -1).every((field) => EXTENSION.test(field))) return malformed('bad extension');
  return ok({ channelBinding, nonce, proof, withoutProof: fields.slice(0, -1).join(',') });
}
