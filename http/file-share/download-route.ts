/**
 * GET and HEAD `<base>/<slot>/<name>`: serves a stored file, streamed from disk. Files never
 * change, so they are cached for a year (`immutable`) with the slot as the ETag. The headers keep
 * a browser from running what it is served (XEP-0363 §7): the type the uploader declared with
 * `nosniff`, a Content-Security-Policy that allows no scripts, and `attachment` for any type not
 * in `http_file_share_safe_file_types`. Like Prosody, ranges are supported for resuming a
 * download only: `Range: bytes=N-` (to the end) gets a 206, any other range a 416.
 */
import type { HttpRequest, HttpResponse } from '../http-types.js';
import { corsHeaders } from './cors.js';
import type { FileDirectory } from './file-directory.js';
import { typeMatches } from './options.js';
import type { UploadIndex, UploadRecord } from './upload-index.js';
import { baseType, slotOf } from './upload-route.js';

export interface DownloadEnvironment {
  readonly index: UploadIndex;
  readonly files: FileDirectory;
  readonly safeTypes: readonly string[];
}

/** One year, as Prosody sends it. */
const MAX_AGE_SECONDS = 31_556_952;

/** RFC 6266 §4.3 with RFC 8187's encoding: the file name as the uploader gave it. */
function contentDisposition(record: UploadRecord, safeTypes: readonly string[]): string {
  const disposition = typeMatches(safeTypes, baseType(record.type)) ? 'inline' : 'attachment';
  const encoded = encodeURIComponent(record.filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename*=UTF-8''${encoded}`;
}

function fileHeaders(slot: string, record: UploadRecord, request: HttpRequest, safeTypes: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {
    ...corsHeaders,
    'Content-Type': record.type,
    'Content-Length': String(record.size),
    'Content-Disposition': contentDisposition(record, safeTypes),
    'Cache-Control': `public, max-age=${MAX_AGE_SECONDS}, immutable`,
    ETag: `"${slot}"`,
    'Last-Modified': new Date(record.time).toUTCString(),
    'Content-Security-Policy': "default-src 'none'; media-src 'self'; frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
  };
  if (request.publicScheme === 'https') headers['Strict-Transport-Security'] = `max-age=${MAX_AGE_SECONDS}`;
  return headers;
}

/**
 * RFC 9110 §14.1.2: the first byte of `bytes=N-` or `bytes=N-<last>` within the file (0 for
 * `bytes=0-`, the whole file), or undefined for any other range.
 */
export function resumeOffset(range: string, size: number): number | undefined {
  const match = /^bytes=(\d{1,16})-(\d{0,16})$/.exec(range.trim());
  if (match === null) return undefined;
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Number(match[2]);
  return start < size && end === size - 1 ? start : undefined;
}

export async function handleDownload(request: HttpRequest, env: DownloadEnvironment): Promise<HttpResponse> {
  const slot = slotOf(request.params);
  const record = env.index.get(slot);
  if (record === undefined || !record.complete) return { status: 404, json: { error: 'Not found' }, headers: corsHeaders };
  const headers = fileHeaders(slot, record, request, env.safeTypes);
  // RFC 9110 §13.1.2: a cached copy with this ETag is current (files never change).
  if (request.headers['if-none-match']?.split(',').some((tag) => tag.trim() === headers.ETag || tag.trim() === '*') === true) {
    const { 'Content-Length': _length, 'Content-Type': _type, 'Content-Disposition': _disposition, ...rest } = headers;
    return { status: 304, headers: rest };
  }
  headers['Accept-Ranges'] = 'bytes';
  const range = request.headers.range;
  const start = range === undefined ? 0 : resumeOffset(range, record.size);
  if (start === undefined) return { status: 416, headers: { ...corsHeaders, 'Content-Range': `bytes */${record.size}` } };
  if (start > 0) {
    headers['Content-Range'] = `bytes ${start}-${record.size - 1}/${record.size}`;
    headers['Content-Length'] = String(record.size - start);
  }
  const status = start > 0 ? 206 : 200;
  if (request.method === 'HEAD') return { status, headers };
  const stream = await env.files.read(slot, start);
  if (stream === undefined) return { status: 404, json: { error: 'Not found' }, headers: corsHeaders };
  return { status, stream, headers };
}
