/**
 * PUT `<base>/<slot>/<name>`: receives the file of a slot (XEP-0363 §5). The signed token in
 * `Authorization` is checked before a byte of the body is read; the body then streams to disk
 * with bounded memory and must be exactly the size the slot was granted for. Answers as
 * Prosody's mod_http_file_share does: 401 without a token, 403 for a bad or expired one, 413
 * for a wrong size, 409 once the slot's file exists, 201 when stored.
 */
import type { HttpRequest, HttpResponse } from '../http-types.js';
import { corsHeaders } from './cors.js';
import type { FileDirectory } from './file-directory.js';
import { verifySlotToken } from './slot-token.js';
import type { UploadIndex } from './upload-index.js';

export interface UploadEnvironment {
  readonly secret: string;
  readonly index: UploadIndex;
  readonly files: FileDirectory;
  /** Slots whose upload is under way: a second PUT to one of them waits for no one, it is refused. */
  readonly inFlight: Set<string>;
  now(): number;
}

function refuse(status: number, error: string, headers: Record<string, string> = {}): HttpResponse {
  return { status, json: { error }, headers: { ...corsHeaders, ...headers } };
}

/** The slot id: the first segment of what follows the base path. */
export function slotOf(params: string): string {
  return params.split('/')[0] ?? '';
}

/** The media type without parameters, lower case. */
export function baseType(type: string): string {
  return (type.split(';')[0] ?? '').trim().toLowerCase();
}

export async function handleUpload(request: HttpRequest, env: UploadEnvironment): Promise<HttpResponse> {
  const token = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(request.headers.authorization ?? '')?.[1];
  if (token === undefined) return refuse(401, 'Missing or malformed Authorization header', { 'WWW-Authenticate': 'Bearer' });
  const check = verifySlotToken(env.secret, token, env.now());
  if (!check.ok) return refuse(403, check.reason === 'expired' ? 'Upload slot expired' : 'Unauthorized or invalid token');
  const { grant } = check;
  const slot = slotOf(request.params);
  if (grant.slot !== slot) return refuse(403, 'Unauthorized or invalid token');
  const announced = request.headers['content-length'];
  if (announced !== undefined && Number(announced) !== grant.size) return refuse(413, 'Content-Length differs from the slot\'s size');
  const type = request.headers['content-type'];
  // XEP-0363 §5: the Content-Type of the PUT must be the one the slot was requested for.
  if (type !== undefined && baseType(type) !== baseType(grant.type)) return refuse(415, 'Content-Type differs from the slot\'s type');
  const record = env.index.get(slot);
  if (record === undefined) return refuse(403, 'Upload slot expired');
  if (record.complete || env.inFlight.has(slot) || await env.files.exists(slot)) return refuse(409, 'Upload already completed or under way');
  if (request.bodyStream === undefined) return refuse(500, 'Upload body unavailable');
  env.inFlight.add(slot);
  try {
    const received = await env.files.receive(slot, request.bodyStream, grant.size);
    if (!received.ok) {
      if (received.reason === 'write-failed') return refuse(500, 'Could not store the file');
      if (received.reason === 'aborted') return refuse(400, 'Upload incomplete');
      return refuse(413, 'Body size differs from the slot\'s size');
    }
    await env.index.markComplete(slot);
    return { status: 201, headers: corsHeaders };
  } finally {
    env.inFlight.delete(slot);
  }
}
