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
