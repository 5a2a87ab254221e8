import { expect, test } from '@jest/globals';
import { classifyError } from '../../server/net/outbound-failure.js';

const running = new AbortController().signal;

function fetchFailure(code: string, message: string): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
}

test.each([
  ['ECONNREFUSED', 'network'],
  ['ENOTFOUND', 'network'],
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
  ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
  ['CERT_HAS_EXPIRED', 'tls'],
  ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
])('a socket error %s is a %s failure, with its code in the detail', (code, reason) => {
  expect(classifyError(fetchFailure(code, 'boom'), running)).toEqual({ ok: false, reason, detail: `${code}: boom` });
});

test('anything raised after the deadline fired is a timeout', () => {
  const expired = AbortSignal.abort(new DOMException('timed out', 'TimeoutError'));
  expect(classifyError(fetchFailure('ECONNRESET', 'reset'), expired)).toEqual({ ok: false, reason: 'timeout', detail: 'deadline exceeded' });
});

test('an error without a code is a network failure described by its messages', () => {
  expect(classifyError(new TypeError('fetch failed', { cause: new Error('other side closed') }), running))
    .toEqual({ ok: false, reason: 'network', detail: 'fetch failed: other side closed' });
});

/** undici's `request` rejects with the socket's or its own error as it is, not wrapped. */
function requestFailure(code: string, message: string, cause?: Error): Error {
  return Object.assign(new Error(message, { cause }), { code });
}

test.each([
  ['ECONNREFUSED', 'network'],
  ['ECONNRESET', 'network'],
  ['UND_ERR_SOCKET', 'network'],
  ['UND_ERR_DESTROYED', 'network'],
  ['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'network'],
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
  ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
  ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls'],
  ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
  ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
  ['UND_ERR_BODY_TIMEOUT', 'timeout'],
])('an unwrapped error %s from request is a %s failure, with its code in the detail', (code, reason) => {
  expect(classifyError(requestFailure(code, 'boom'), running)).toEqual({ ok: false, reason, detail: `${code}: boom` });
});

test('an undici error caused by a certificate failure is a tls failure described by the first code', () => {
  const error = requestFailure('UND_ERR_SOCKET', 'other side closed', requestFailure('CERT_HAS_EXPIRED', 'certificate has expired'));
  expect(classifyError(error, running)).toEqual({ ok: false, reason: 'tls', detail: 'UND_ERR_SOCKET: other side closed' });
});

test('the deadline signal\'s own reason is a timeout, whether or not the signal is seen as fired', () => {
  const reason = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
  expect(classifyError(reason, running)).toEqual({ ok: false, reason: 'timeout', detail: 'deadline exceeded' });
  expect(classifyError(reason, AbortSignal.abort(reason))).toEqual({ ok: false, reason: 'timeout', detail: 'deadline exceeded' });
});

test('an abort that is not the deadline is a network failure', () => {
  expect(classifyError(new DOMException('This operation was aborted', 'AbortError'), running))
    .toEqual({ ok: false, reason: 'network', detail: 'This operation was aborted' });
});
