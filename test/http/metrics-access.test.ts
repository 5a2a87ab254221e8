/**
 * http_openmetrics: who may read /metrics. Loopback by default (`openmetrics_allow_ips`), a
 * network (`openmetrics_allow_cidr`), or any address with the bearer token whose SHA-256 digest
 * is `openmetrics_token`; everyone else gets 403. The address checked is the client's, as the
 * HTTP listener decides it (a trusted proxy's X-Forwarded-For).
 */
import { afterEach, expect, test } from '@jest/globals';
import { ConfigValidationError } from '../../salon.js';
import { tokenDigest } from '../../server/crypto/index.js';
import { scrape } from '../helpers/metrics-scrape.js';
import { sendHeaderLines } from '../helpers/http-request.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const TOKEN = 'salon_metrics-scraper-token-0123456789';
/** An address no test client has (TEST-NET-1, RFC 5737). */
const ELSEWHERE = '192.0.2.1';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function start(options: Record<string, unknown>): Promise<TestServer> {
  server = await startTestServer({ tls: false, globals: { modules_enabled: ['http_openmetrics'], ...options } });
  return server;
}

async function statusOf(options: Record<string, string> = {}): Promise<number> {
  return (await scrape(server!.httpUrl!, { headers: options })).reply.status;
}

/** A GET /metrics sent from local address `from` (any 127.0.0.0/8 address reaches the listener on Linux). */
async function statusFrom(from: string): Promise<number> {
  const url = `${server!.httpUrl!}/metrics`;
  return (await sendHeaderLines(url, 'GET', ['Host', new URL(url).host], '', from)).status;
}

test('127.0.0.1 may read by default; another address, or a client a trusted proxy forwards from elsewhere, may not', async () => {
  await start({});
  expect(await statusOf()).toBe(200);
  expect(await statusFrom('127.0.0.1')).toBe(200);
  expect(await statusFrom('127.0.0.2')).toBe(403);
  // trusted_proxies defaults to loopback: the client is the forwarded address.
  const forwarded = await scrape(server!.httpUrl!, { headers: { 'x-forwarded-for': '203.0.113.9' } });
  expect(forwarded.reply.status).toBe(403);
  expect(JSON.parse(forwarded.reply.body)).toEqual({ error: 'Forbidden' });
  expect(forwarded.reply.body).not.toContain('salon_');
});

test('outside the allowed addresses only the token opens /metrics', async () => {
  await start({ openmetrics_allow_ips: [ELSEWHERE], openmetrics_token: tokenDigest(TOKEN) });
  expect(await statusOf()).toBe(403);
  expect(await statusOf({ authorization: `Bearer ${TOKEN}` })).toBe(200);
  expect(await statusOf({ authorization: `bearer ${TOKEN}` })).toBe(200);
  expect(await statusOf({ authorization: `Bearer ${TOKEN}x` })).toBe(403);
  expect(await statusOf({ authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` })).toBe(403);
  // The digest itself is no credential.
  expect(await statusOf({ authorization: `Bearer ${tokenDigest(TOKEN)}` })).toBe(403);
  // Two Authorization headers are no single credential, even when one is right.
  const url = `${server!.httpUrl!}/metrics`;
  const twice = await sendHeaderLines(url, 'GET', ['Host', new URL(url).host, 'Authorization', 'Bearer wrong', 'Authorization', `Bearer ${TOKEN}`]);
  expect(twice.status).toBe(403);
});

test('without a token, addresses outside the list are refused whatever they send', async () => {
  await start({ openmetrics_allow_ips: [ELSEWHERE] });
  expect(await statusOf()).toBe(403);
  expect(await statusOf({ authorization: `Bearer ${TOKEN}` })).toBe(403);
});

test('openmetrics_allow_cidr admits a whole network', async () => {
  await start({ openmetrics_allow_ips: [], openmetrics_allow_cidr: '127.0.0.0/8' });
  expect(await statusFrom('127.0.0.1')).toBe(200);
  expect(await statusFrom('127.0.0.2')).toBe(200);
});

test('bad access options stop start-up, naming the option', async () => {
  const failure = async (options: Record<string, unknown>): Promise<string> => {
    const error = await start(options).then(() => undefined, (e: unknown) => e);
    if (!(error instanceof ConfigValidationError)) throw new Error(`started with ${JSON.stringify(options)}`);
    return error.message;
  };
  expect(await failure({ openmetrics_token: TOKEN })).toMatch(/openmetrics_token.*sha256:/);
  expect(await failure({ openmetrics_allow_ips: ['localhost'] })).toMatch(/openmetrics_allow_ips.*"localhost" is not an IP address/);
  expect(await failure({ openmetrics_allow_cidr: '10.0.0.1' })).toMatch(/openmetrics_allow_cidr.*not a CIDR prefix/);
});
