/**
 * The upload authorization handed out with a slot (XEP-0363 §5: headers of the `<put/>`): the
 * slot's id, uploader, size and type, and when it stops being valid, signed with HMAC-SHA256.
 * The PUT must carry it as `Authorization: Bearer <token>`; a token cannot be altered, moved to
 * another slot or used after it expires. Nothing is stored for a slot until its upload completes.
 */
import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../../server/crypto/index.js';

/** Prosody's slot lifetime: an upload must start within 10 minutes of the slot request. */
export const SLOT_LIFETIME_MS = 10 * 60 * 1000;

export interface SlotGrant {
  /** The slot id: 128 random bits, base64url, also the file's name on disk and in its URL. */
  readonly slot: string;
  /** The uploader's bare JID. */
  readonly uploader: string;
  readonly filename: string;
  readonly size: number;
  readonly type: string;
  /** Milliseconds since the epoch after which the PUT is refused. */
  readonly expires: number;
}

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function createSlotToken(secret: string, grant: SlotGrant): string {
  const payload = Buffer.from(JSON.stringify(grant)).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

function isGrant(value: unknown): value is SlotGrant {
  if (typeof value !== 'object' || value === null) return false;
  const grant = value as Record<string, unknown>;
  return typeof grant.slot === 'string' && typeof grant.uploader === 'string' && typeof grant.filename === 'string'
    && typeof grant.type === 'string' && Number.isSafeInteger(grant.size) && typeof grant.expires === 'number';
}

export type TokenCheck = { readonly ok: true; readonly grant: SlotGrant } | { readonly ok: false; readonly reason: 'malformed' | 'signature' | 'expired' };

/** The grant a token carries, when its signature holds and it has not expired at `now`. */
export function verifySlotToken(secret: string, token: string, now: number): TokenCheck {
  const [payload, signature, extra] = token.split('.');
  if (payload === undefined || signature === undefined || extra !== undefined) return { ok: false, reason: 'malformed' };
  if (!constantTimeEqual(sign(secret, payload), signature)) return { ok: false, reason: 'signature' };
  let grant: unknown;
  try {
    grant = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    // Signed by us, so this cannot happen unless the secret leaked: refuse all the same.
    return { ok: false, reason: 'malformed' };
  }
  if (!isGrant(grant)) return { ok: false, reason: 'malformed' };
  return grant.expires < now ? { ok: false, reason: 'expired' } : { ok: true, grant };
}
