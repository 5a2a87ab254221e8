/** http_webhooks: the pure parts (signature, options, retry policy, filters, dead-letter ring). */
import { describe, expect, test } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import * as z from 'zod';
import { DeadLetters, type DeadLetter } from '../../webhooks/dead-letters.js';
import { endpointOf, messageSelection, wants } from '../../webhooks/endpoint.js';
import { httpWebhooksOptionShape, webhooksOptionsProblem } from '../../webhooks/options.js';
import { backoffCeiling, classifyAttempt, retryDelay } from '../../webhooks/retry-policy.js';
import { secretProblem, signingKey, signWebhook } from '../../webhooks/signature.js';
import { createEvent, eventBody } from '../../webhooks/webhook-event.js';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const parse = (options: Record<string, unknown>) => z.object(httpWebhooksOptionShape).parse(options);

describe('signature', () => {
  test('matches the reference implementation byte for byte', () => {
    const body = '{"type":"user.online","timestamp":"2026-01-01T00:00:00.000Z","data":{"jid":"a@b"}}';
    const reference = new Webhook(SECRET).sign('msg_1', new Date(1_700_000_000_000), body);
    expect(signWebhook(signingKey(SECRET), 'msg_1', 1_700_000_000, body)).toBe(reference);
  });

  test('secrets: whsec_ + base64 of 24 to 64 bytes', () => {
    expect(secretProblem(SECRET)).toBeUndefined();
    expect(secretProblem(`whsec_${Buffer.alloc(24).toString('base64')}`)).toBeUndefined();
    expect(secretProblem(`whsec_${Buffer.alloc(64).toString('base64')}`)).toBeUndefined();
    expect(secretProblem(Buffer.alloc(32).toString('base64'))).toBe('must start with "whsec_"');
    expect(secretProblem(`whsec_${Buffer.alloc(23).toString('base64')}`)).toBe('must hold 24 to 64 bytes (has 23)');
    expect(secretProblem(`whsec_${Buffer.alloc(65).toString('base64')}`)).toBe('must hold 24 to 64 bytes (has 65)');
    expect(secretProblem('whsec_not base64!')).toBe('must be "whsec_" followed by base64');
  });
});

describe('options', () => {
  test('shipped defaults', () => {
    expect(parse({})).toEqual({
      http_webhooks: [], http_webhooks_messages: false, http_webhooks_queue_size: 10_000, http_webhooks_timeout: 15,
      http_webhooks_retry_for: 3600, http_webhooks_retry_base: 2, http_webhooks_retry_max_delay: 600,
      http_webhooks_max_in_flight: 16, http_webhooks_dead_letters: 1000,
    });
  });

  test('a bad endpoint stops start-up naming the entry; the secret is never echoed', () => {
    const problem = (endpoint: Record<string, unknown>) => webhooksOptionsProblem(parse({ http_webhooks: [endpoint] }));
    expect(problem({ url: 'https://app.example/hooks', secret: SECRET })).toBeUndefined();
    expect(problem({ url: 'ftp://app.example/', secret: SECRET })).toBe('option "http_webhooks" entry 1: url must be an absolute http or https URL without credentials');
    expect(problem({ url: 'https://u:p@app.example/', secret: SECRET })).toMatch(/without credentials/);
    expect(problem({ url: 'https://app.example/', secret: 'whsec_c2hvcnQ=' })).toBe('option "http_webhooks" entry 1: secret must hold 24 to 64 bytes (has 5)');
    expect(() => parse({ http_webhooks: [{ url: 'https://a.example/', secret: SECRET, events: ['user.deleted'] }] })).toThrow();
    expect(() => parse({ http_webhooks: [{ url: 'https://a.example/', secret: SECRET, typo: 1 }] })).toThrow();
    expect(webhooksOptionsProblem(parse({ http_webhooks_retry_base: 700 }))).toMatch(/http_webhooks_retry_base/);
  });
});

describe('retry policy', () => {
  const answer = (status: number, headers: Record<string, string> = {}) => classifyAttempt({ ok: true, status, headers });

  test('2xx delivered; 4xx other than 408 and 429 rejected; the rest retried', () => {
    expect(answer(200).kind).toBe('delivered');
    expect(answer(204).kind).toBe('delivered');
    for (const status of [400, 401, 403, 404, 410, 413, 422]) expect(answer(status)).toMatchObject({ kind: 'rejected', status });
    for (const status of [301, 408, 429, 500, 502, 503, 504]) expect(answer(status)).toMatchObject({ kind: 'retry', status });
    expect(classifyAttempt({ ok: false, reason: 'timeout', detail: '' })).toMatchObject({ kind: 'retry', status: undefined });
    expect(classifyAttempt({ ok: false, reason: 'network', detail: '' }).kind).toBe('retry');
    expect(classifyAttempt({ ok: false, reason: 'invalid-url', detail: '' }).kind).toBe('rejected');
  });

  test('Retry-After (seconds) on 429 and 503 only', () => {
    expect(answer(429, { 'retry-after': '30' })).toMatchObject({ retryAfterMs: 30_000 });
    expect(answer(503, { 'retry-after': ' 5 ' })).toMatchObject({ retryAfterMs: 5000 });
    expect(answer(500, { 'retry-after': '5' })).toMatchObject({ retryAfterMs: undefined });
    expect(answer(503, { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' })).toMatchObject({ retryAfterMs: undefined });
  });

  test('the shipped schedule: ceilings 2 s doubling to 10 min; at most 13 retries in the first hour when every wait is at its ceiling', () => {
    const shipped = { baseMs: 2000, maxDelayMs: 600_000 };
    const ceilings = Array.from({ length: 12 }, (_, index) => backoffCeiling(index + 1, shipped) / 1000);
    expect(ceilings).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 512, 600, 600, 600]);
    // With every wait at its ceiling (the slowest case), retries within one hour:
    let elapsed = 0;
    let retries = 0;
    while (elapsed + backoffCeiling(retries + 1, shipped) <= 3_600_000) elapsed += backoffCeiling(++retries, shipped);
    expect(retries).toBe(13);
    expect(backoffCeiling(1000, shipped)).toBe(600_000);
  });

  test('full jitter: uniform in [0, ceiling); Retry-After wins but is capped', () => {
    const settings = { baseMs: 2000, maxDelayMs: 600_000 };
    expect(retryDelay(3, settings, undefined, () => 0)).toBe(0);
    expect(retryDelay(3, settings, undefined, () => 0.5)).toBe(4000);
    expect(retryDelay(3, settings, undefined, () => 0.999_999)).toBeLessThan(8000);
    expect(retryDelay(3, settings, 30_000, () => 0)).toBe(30_000);
    expect(retryDelay(3, settings, 86_400_000, () => 0)).toBe(600_000);
  });
});

describe('filters', () => {
  const base = { url: 'https://a.example/', secret: SECRET };

  test('events and rooms (rooms compared as normalised bare JIDs; account events ignore them)', () => {
    const all = endpointOf(base);
    expect(wants(all, 'message.posted', 'x@muc.example')).toBe(true);
    const some = endpointOf({ ...base, events: ['occupant.joined', 'user.online'], rooms: ['Tea@MUC.Example'] });
    expect(wants(some, 'occupant.joined', 'tea@muc.example')).toBe(true);
    expect(wants(some, 'occupant.joined', 'coffee@muc.example')).toBe(false);
    expect(wants(some, 'occupant.left', 'tea@muc.example')).toBe(false);
    expect(wants(some, 'user.online', undefined)).toBe(true);
  });

  test('logs and dead letters name an endpoint without its query (it may carry a token)', () => {
    expect(endpointOf({ ...base, url: 'https://app.example:8443/hooks?token=s3cret#x' }).loggableUrl).toBe('https://app.example:8443/hooks');
  });

  test('http_webhooks_messages: off, everywhere, or listed rooms; only watched when an endpoint takes message.posted', () => {
    const everything = [endpointOf(base)];
    expect(messageSelection(false, everything)).toBeUndefined();
    expect(messageSelection([], everything)).toBeUndefined();
    expect(messageSelection(true, everything)!('a@muc.example')).toBe(true);
    const listed = messageSelection(['A@Muc.Example'], everything)!;
    expect([listed('a@muc.example'), listed('b@muc.example')]).toEqual([true, false]);
    // Nobody takes message.posted: nothing to watch (the engine then skips the per-message snapshot).
    expect(messageSelection(true, [endpointOf({ ...base, events: ['occupant.joined'] })])).toBeUndefined();
  });
});

test('events: ids unique, no "." (the signed content is id.timestamp.body), the body in the Standard Webhooks shape', () => {
  const events = Array.from({ length: 1000 }, () => createEvent('user.online', { jid: 'a@b' }, Date.UTC(2026, 0, 1)));
  expect(new Set(events.map((event) => event.id)).size).toBe(1000);
  expect(events.every((event) => /^msg_[A-Za-z0-9_-]+$/.test(event.id))).toBe(true);
  expect(JSON.parse(eventBody(events[0]!))).toEqual({ type: 'user.online', timestamp: '2026-01-01T00:00:00.000Z', data: { jid: 'a@b' } });
  expect(eventBody(events[0]!)).toBe(events[0]!.body);
});

test('dead letters keep the most recent, oldest first', () => {
  const letter = (id: string): DeadLetter => ({ id, url: 'u', type: 'user.online', status: 404, reason: 'HTTP 404', attempts: 1, at: 0 });
  const ring = new DeadLetters(3);
  for (const id of ['a', 'b']) ring.add(letter(id));
  expect(ring.list().map((entry) => entry.id)).toEqual(['a', 'b']);
  for (const id of ['c', 'd', 'e']) ring.add(letter(id));
  expect(ring.list().map((entry) => entry.id)).toEqual(['c', 'd', 'e']);
  const none = new DeadLetters(0);
  none.add(letter('x'));
  expect(none.list()).toEqual([]);
});
