/**
 * Options of the `http_file_share` component (XEP-0363), with Prosody 0.12's names and defaults:
 * 10 MiB per file, any type, links valid for a week, a daily quota of ten files' worth per user,
 * no global quota, uploads for users of this server's VirtualHosts plus `http_file_share_access`.
 */
import * as z from 'zod';
import { parseArchivePeriod } from '../../server/mam/index.js';

/** Prosody's default size limit: 10 MiB. */
export const DEFAULT_SIZE_LIMIT = 10 * 1024 * 1024;

/** A MIME type, or a family such as "image/*". */
const mimeType = z.string().regex(/^[a-z0-9!#$&^_.+-]+\/([a-z0-9!#$&^_.+-]+|\*)$/i, { message: 'must be a MIME type such as "image/png" or "image/*"' });

export const fileShareOptions = {
  http_file_share_size_limit: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(DEFAULT_SIZE_LIMIT)
    .describe('Largest file accepted, in bytes (default 10 MiB).'),
  http_file_share_allowed_file_types: z.array(mimeType).default(() => [])
    .describe('MIME types that may be uploaded ("image/*" allows a family); [] allows any.'),
  http_file_share_safe_file_types: z.array(mimeType).default(() => ['image/*', 'video/*', 'audio/*', 'text/plain'])
    .describe('Types a browser may show in place (Content-Disposition: inline); others are served as attachments.'),
  http_file_share_expires_after: z.union([z.number(), z.string(), z.literal(false)]).default('1w')
    .describe('How long uploaded files are kept: seconds, or "1d", "1w", "2 days"…, or "never".'),
  http_file_share_daily_quota: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional()
    .describe('Bytes one user may upload in 24 hours (default ten times http_file_share_size_limit).'),
  http_file_share_global_quota: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional()
    .describe('Bytes all stored files may take together (default unlimited).'),
  http_file_share_access: z.array(z.string().min(1)).default(() => [])
    .describe('JIDs or domains allowed to upload besides the users of this server\'s VirtualHosts.'),
  http_file_share_secret: z.string().min(16).optional()
    .describe('Key that signs upload slots (default a random key per start; slots live 10 minutes).'),
};

export interface FileShareLimits {
  readonly sizeLimit: number;
  readonly dailyQuota: number;
  /** Infinity when unset. */
  readonly globalQuota: number;
  /** Milliseconds, or undefined for "never". */
  readonly expiresAfterMs: number | undefined;
}

/** A fatal configuration error naming the option, or undefined. */
export function validateFileShareOptions(options: { http_file_share_expires_after: number | string | false }): string | undefined {
  const period = parseArchivePeriod(options.http_file_share_expires_after);
  return period.ok ? undefined : `http_file_share_expires_after: ${period.error}`;
}

/** The limits the options describe, defaults derived as Prosody derives them. */
export function fileShareLimits(options: {
  http_file_share_size_limit: number; http_file_share_daily_quota?: number | undefined;
  http_file_share_global_quota?: number | undefined; http_file_share_expires_after: number | string | false;
}): FileShareLimits {
  const period = parseArchivePeriod(options.http_file_share_expires_after);
  const expiry = period.ok ? period.value : 'never';
  return {
    sizeLimit: options.http_file_share_size_limit,
    dailyQuota: options.http_file_share_daily_quota ?? options.http_file_share_size_limit * 10,
    globalQuota: options.http_file_share_global_quota ?? Number.POSITIVE_INFINITY,
    expiresAfterMs: expiry === 'never' ? undefined : expiry * 1000,
  };
}

/** True when `type` is listed, exactly or by its family ("image/*"). */
export function typeMatches(list: readonly string[], type: string): boolean {
  const lower = type.toLowerCase();
  const family = `${lower.split('/')[0] ?? ''}/*`;
  return list.some((entry) => entry.toLowerCase() === lower || entry.toLowerCase() === family);
}
