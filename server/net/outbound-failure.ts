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
  readonly name: string | undefined;
  readonly message: string;
}

/**
 * The error and its `cause` chain: undici's `request` rejects with the socket's own error
 * (`ECONNREFUSED`, a certificate code) or its own `UND_ERR_*` one, and some of those carry the
 * socket's error as their cause. Read by shape, not `instanceof`: socket errors may come from
 * another realm (a VM context), and a DOMException's `code` is a number, not a name.
 */
function chainOf(error: unknown): ErrorLink[] {
  const links: ErrorLink[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const { code, name, message, cause } = current as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
    links.push({
      code: typeof code === 'string' ? code : undefined,
      name: typeof name === 'string' ? name : undefined,
      message: typeof message === 'string' ? message : '',
    });
    current = cause;
  }
  return links;
}

function isTlsCode(code: string): boolean {
  return TLS_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || code.startsWith('ERR_OSSL_');
}

/**
 * Classifies what `request` or reading its body threw. The deadline's signal is asked first: once
 * it fired, whatever undici raised (the signal's TimeoutError, a destroyed body) is its doing.
 */
export function classifyError(error: unknown, deadline: AbortSignal): OutboundFailure {
  if (deadline.aborted) return failure('timeout', 'deadline exceeded');
  const links = chainOf(error);
  if (links.some((link) => link.name === 'TimeoutError')) return failure('timeout', 'deadline exceeded');
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
