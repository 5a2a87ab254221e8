/** Strict decoders for SASL data: anything not canonical is a malformed request. */

/**
 * Decodes canonical base64 (RFC 4648 §4, padded, no whitespace); undefined otherwise.
 * Node's own decoder skips invalid characters silently, which SASL must not do (RFC 6120 §6.4.2):
 * the input is accepted only if encoding the decoded bytes gives it back exactly, which rejects
 * every character outside the alphabet (the URL-safe `-` and `_` included), whitespace, missing or
 * misplaced padding, and non-zero bits in the last character's padding.
 */
export function decodeBase64Strict(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/** Decodes UTF-8; undefined for invalid sequences. */
export function decodeUtf8Strict(data: Buffer): string | undefined {
  const text = data.toString('utf8');
  // Invalid sequences decode to U+FFFD, which does not encode back to the same bytes.
  return Buffer.byteLength(text, 'utf8') === data.length && Buffer.from(text, 'utf8').equals(data) ? text : undefined;
}
