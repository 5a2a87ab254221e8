/**
 * XEP-0363 §4: a slot request (`<request filename size content-type/>` to the service) is
 * checked in Prosody's order (access, file name, size, global quota, daily quota, type) and
 * answered with a `<slot/>`: a PUT URL with a signed `Authorization` header and the GET URL.
 */
import { randomBytes } from 'node:crypto';
import { Element } from 'ltx';
import { StanzaError } from '../../server/errors/index.js';
import type { Jid } from '../../server/jid/index.js';
import { errorReply, iqResult } from '../../server/xml/index.js';
import { typeMatches, type FileShareLimits } from './options.js';
import { createSlotToken, SLOT_LIFETIME_MS } from './slot-token.js';
import type { UploadIndex, UploadRecord } from './upload-index.js';
import { baseType } from './upload-route.js';

export const NS_UPLOAD = 'urn:xmpp:http:upload:0';

/** `type/subtype`, optionally with parameters in printable ASCII. */
const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]{1,127}\/[a-z0-9!#$&^_.+-]{1,127}(\s*;[ -~]{0,255})?$/i;

/** Longest file name accepted, in UTF-8 bytes (what most file systems allow for one name). */
export const MAX_FILENAME_BYTES = 255;

export interface SlotPolicy {
  readonly limits: FileShareLimits;
  readonly allowedTypes: readonly string[];
  /** True when `uploader` may upload at all. */
  mayUpload(uploader: Jid): boolean;
}

export interface SlotRequest {
  readonly filename: string;
  readonly size: number;
  readonly type: string;
}

/** Why a request gets no slot: the error, and for `file-too-large` the limit to announce. */
export type SlotRefusal = { readonly error: StanzaError; readonly maxFileSize?: number };

/** Reads and checks a request; the checks that need no storage, then the quotas. */
export function checkSlotRequest(payload: Element, uploader: Jid, policy: SlotPolicy, index: UploadIndex, now: number): SlotRequest | SlotRefusal {
  const { limits } = policy;
  if (!policy.mayUpload(uploader)) return { error: StanzaError.auth('forbidden') };
  const filename = payload.attrs.filename as string | undefined;
  if (filename === undefined || filename === '' || filename.includes('/') || Buffer.byteLength(filename) > MAX_FILENAME_BYTES) {
    return { error: StanzaError.modify('bad-request', { text: 'Invalid filename' }) };
  }
  const sizeText = payload.attrs.size as string | undefined;
  const size = sizeText !== undefined && /^\d{1,16}$/.test(sizeText) ? Number(sizeText) : Number.NaN;
  if (!Number.isSafeInteger(size)) return { error: StanzaError.modify('bad-request', { text: 'File size must be a non-negative integer' }) };
  // XEP-0363 §4.1: too large is not-acceptable with <file-too-large><max-file-size/>.
  if (size > limits.sizeLimit) return { error: StanzaError.modify('not-acceptable', { text: 'File too large' }), maxFileSize: limits.sizeLimit };
  if (index.totalBytes + size > limits.globalQuota) return { error: StanzaError.wait('resource-constraint', { text: 'Server global storage quota reached' }) };
  if (index.grantedToday(uploader.toString(), now) + size > limits.dailyQuota) {
    return { error: StanzaError.wait('resource-constraint', { text: 'Daily quota reached' }) };
  }
  const type = (payload.attrs['content-type'] as string | undefined) || 'application/octet-stream';
  // Served back as the Content-Type header: only a well-formed media type (RFC 9110 §8.3.1).
  if (!MEDIA_TYPE.test(type)) return { error: StanzaError.modify('bad-request', { text: 'Invalid content type' }) };
  if (policy.allowedTypes.length > 0 && !typeMatches(policy.allowedTypes, baseType(type))) {
    return { error: StanzaError.modify('not-acceptable', { text: 'File type not allowed' }) };
  }
  return { filename, size, type };
}

/** The error reply, with XEP-0363's `<file-too-large/>` when the size was the problem. */
export function refusalReply(stanza: Element, refusal: SlotRefusal): Element | undefined {
  const reply = errorReply(stanza, refusal.error);
  if (reply !== undefined && refusal.maxFileSize !== undefined) {
    reply.getChild('error')?.c('file-too-large', { xmlns: NS_UPLOAD }).c('max-file-size').t(String(refusal.maxFileSize));
  }
  return reply;
}

export interface GrantedSlot {
  readonly slot: string;
  readonly record: UploadRecord;
  readonly token: string;
}

/** A new slot for `request`: an unguessable id, its record and its signed token. */
export function grantSlot(request: SlotRequest, uploader: Jid, secret: string, now: number): GrantedSlot {
  const slot = randomBytes(16).toString('base64url');
  const record: UploadRecord = { uploader: uploader.toString(), filename: request.filename, size: request.size, type: request.type, time: now, complete: false };
  const token = createSlotToken(secret, { slot, uploader: record.uploader, filename: request.filename, size: request.size, type: request.type, expires: now + SLOT_LIFETIME_MS });
  return { slot, record, token };
}

/** XEP-0363 §4: `<slot><put url><header name='Authorization'/></put><get url/></slot>`. */
export function slotReply(stanza: Element, fileUrl: string, token: string): Element {
  const slot = new Element('slot', { xmlns: NS_UPLOAD });
  slot.c('put', { url: fileUrl }).c('header', { name: 'Authorization' }).t(`Bearer ${token}`);
  slot.c('get', { url: fileUrl });
  return iqResult(stanza, slot);
}
