/**
 * Standard Webhooks 1.0 symmetric signatures: HMAC-SHA256 over `{id}.{timestamp}.{body}` with the
 * key that a `whsec_<base64>` secret carries, sent as `v1,<base64 signature>`.
 */
import { createHmac } from 'node:crypto';

const PREFIX = 'whsec_';
/** The specification's bounds for symmetric keys (192 to 512 bits). */
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Why `secret` is unusable, or undefined. Never echoes the secret. */
export function secretProblem(secret: string): string | undefined {
  if (!secret.startsWith(PREFIX)) return `must start with "${PREFIX}"`;
  const encoded = secret.slice(PREFIX.length);
  if (!BASE64.test(encoded) || encoded.length % 4 !== 0) return `must be "${PREFIX}" followed by base64`;
  const bytes = Buffer.from(encoded, 'base64').length;
  if (bytes < MIN_KEY_BYTES || bytes > MAX_KEY_BYTES) return `must hold ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} bytes (has ${bytes})`;
  return undefined;
}

/** The HMAC key of a secret that `secretProblem` accepted. */
export function signingKey(secret: string): Buffer {
  return Buffer.from(secret.slice(PREFIX.length), 'base64');
}

/** The `webhook-signature` header value for one attempt. */
export function signWebhook(key: Buffer, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', key).update(`${id}.${timestampSeconds}.`).update(body).digest('base64');
  return `v1,${mac}`;
}
