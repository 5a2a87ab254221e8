/**
 * Why an outbound request failed, read from the error undici raised and the deadline's signal:
 * a value the caller can switch on instead of parsing messages.
 */

export type OutboundFailureReason = 'timeout' | 'network' | 'tls' | 'too-large' | 'invalid-url';

export interface OutboundFailure {
  readonly ok: false;
  readonly reason: OutboundFailureReason;
  /** A short technical description (an error code and message); never contains header values. */
  readonly detail: string;
}

/** OpenSSL verification results and Node's TLS error codes (`node:tls`, X509_V_ERR_*). */
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID',
  'CERT_REVOKED', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'CERT_SIGNATURE_FAILURE', 'HOSTNAME_MISMATCH', 'EPROTO',
]);

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

export function failure(reason: OutboundFailureReason, detail: string): OutboundFailure {
  return { ok: false, reason, detail };
}

interface ErrorLink {
  readonly code: string | undefined;
  readonly message: string;
}

/**
 * The error and its `cause` chain (fetch wraps the socket error in a TypeError). Read by shape,
 * not `instanceof`: socket errors may come from another realm (a VM context).
 */
function chainOf(error: unknown): ErrorLink[] {
  const links: ErrorLink[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    links.push({ code: typeof code === 'string' ? code : undefined, message: typeof message === 'string' ? message : '' });
    current = cause;
  }
  return links;
}

function isTlsCode(code: string): boolean {
  return TLS_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || code.startsWith('ERR_OSSL_');
}

/** Classifies what `fetch` or reading its body threw. */
export function classifyError(error: unknown, deadline: AbortSignal): OutboundFailure {
  if (deadline.aborted) return failure('timeout', 'deadline exceeded');
  const links = chainOf(error);
  const coded = links.find((link) => link.code !== undefined);
  const detail = coded === undefined
    ? links.map((link) => link.message).join(': ') || String(error)
    : `${coded.code}: ${coded.message}`;
  for (const { code } of links) {
    if (code === undefined) continue;
    if (TIMEOUT_CODES.has(code)) return failure('timeout', detail);
    if (isTlsCode(code)) return failure('tls', detail);
  }
  return failure('network', detail);
}
