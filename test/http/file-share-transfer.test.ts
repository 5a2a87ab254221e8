/**
 * http_file_share (XEP-0363 §5, §7): uploads by PUT and downloads by GET over real HTTPS, the
 * slot token's checks, the download's headers, and the expiry sweep.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { Component } from '../../salon.js';
import { createSlotToken } from '../../http/file-share/slot-token.js';
import {
  grantedSlot, login, MIB, pattern, patternStream, send, startUploadServer, upload,
} from '../helpers/file-share-harness.js';
import type { TestServer } from '../helpers/test-server.js';
import type { TestClient } from '../helpers/xmpp-client.js';

const SECRET = 'a-test-secret-of-enough-length';
let server: TestServer;
let alice: TestClient;

beforeAll(async () => {
  server = await startUploadServer({ http_file_share_secret: SECRET }, {}, [
    Component('short.localhost', 'http_file_share', { http_file_share_expires_after: 1 }),
  ]);
  alice = await login(server, 'alice');
});
afterAll(async () => {
  await alice?.stop();
  await server?.stop();
});

test('a file of exactly the size limit goes up and comes back over HTTPS with safe headers', async () => {
  const body = pattern(10 * MIB); // the shipped http_file_share_size_limit
  const slot = await grantedSlot(alice, 'holiday photo.png', body.length, 'image/png');
  expect(slot.putUrl).toMatch(/^https:\/\/upload\.localhost:\d+\/file_share\/[A-Za-z0-9_-]{22}\/holiday%20photo\.png$/);
  expect(slot.getUrl).toBe(slot.putUrl);
  expect(slot.authorization).toMatch(/^Bearer /);
  const put = await upload(server, slot, body, 'image/png');
  expect(put.status).toBe(201);

  const got = await send(server, slot.getUrl, { method: 'GET' });
  expect(got.status).toBe(200);
  expect(got.body.equals(body)).toBe(true);
  expect(got.headers).toMatchObject({
    'content-type': 'image/png',
    'content-length': String(body.length),
    'content-disposition': "inline; filename*=UTF-8''holiday%20photo.png",
    'cache-control': 'public, max-age=31556952, immutable',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; media-src 'self'; frame-ancestors 'none'",
    'strict-transport-security': 'max-age=31556952',
  });
  expect(got.headers.etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);

  const head = await send(server, slot.getUrl, { method: 'HEAD' });
  expect(head).toMatchObject({ status: 200, body: Buffer.alloc(0) });
  expect(head.headers).toMatchObject({ 'content-length': String(body.length), 'content-type': 'image/png', etag: got.headers.etag });

  const cached = await send(server, slot.getUrl, { method: 'GET', headers: { 'if-none-match': got.headers.etag! } });
  expect(cached).toMatchObject({ status: 304, body: Buffer.alloc(0) });

  // The slot is used: a second PUT, even with the right token, is refused.
  expect((await upload(server, slot, body, 'image/png')).status).toBe(409);
});

test('a type outside the safe list is served as an attachment; a streamed (chunked) body is accepted', async () => {
  const slot = await grantedSlot(alice, 'run.html', 1000, 'text/html');
  expect((await upload(server, slot, patternStream(1000, 300), 'text/html')).status).toBe(201);
  const got = await send(server, slot.getUrl, { method: 'GET' });
  expect(got.headers).toMatchObject({ 'content-type': 'text/html', 'content-disposition': "attachment; filename*=UTF-8''run.html", 'x-content-type-options': 'nosniff' });
  expect(got.body.equals(pattern(1000))).toBe(true);
});

test('a body larger or smaller than the slot is refused and nothing is stored', async () => {
  const over = await grantedSlot(alice, 'over.bin', 1000, 'application/octet-stream');
  expect((await upload(server, over, pattern(1001), 'application/octet-stream')).status).toBe(413); // announced length
  expect((await upload(server, over, patternStream(5000, 700), 'application/octet-stream')).status).toBe(413); // chunked, counted
  expect((await upload(server, over, patternStream(999), 'application/octet-stream')).status).toBe(413); // too short
  expect((await send(server, over.getUrl, { method: 'GET' })).status).toBe(404);
  // Still usable with the right body: a failed attempt may be retried, as in Prosody.
  expect((await upload(server, over, pattern(1000), 'application/octet-stream')).status).toBe(201);
});

test('the token: missing 401, tampered, moved to another slot or expired 403; a wrong type 415', async () => {
  const slot = await grantedSlot(alice, 'a.txt', 10, 'text/plain');
  const other = await grantedSlot(alice, 'b.txt', 10, 'text/plain');
  const body = pattern(10);
  const missing = await send(server, slot.putUrl, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body });
  expect(missing.status).toBe(401);
  expect(missing.headers['www-authenticate']).toBe('Bearer');
  const tampered = { ...slot, authorization: `${slot.authorization.slice(0, -2)}xx` };
  expect((await upload(server, tampered, body, 'text/plain')).status).toBe(403);
  expect((await upload(server, { ...slot, authorization: other.authorization }, body, 'text/plain')).status).toBe(403);
  expect((await upload(server, slot, body, 'image/png')).status).toBe(415);

  const slotId = new URL(slot.putUrl).pathname.split('/')[2]!;
  const expired = createSlotToken(SECRET, { slot: slotId, uploader: 'alice@localhost', filename: 'a.txt', size: 10, type: 'text/plain', expires: Date.now() - 1 });
  const refused = await upload(server, { ...slot, authorization: `Bearer ${expired}` }, body, 'text/plain');
  expect(refused.status).toBe(403);
  expect(JSON.parse(refused.body.toString())).toEqual({ error: 'Upload slot expired' });
  const fresh = createSlotToken(SECRET, { slot: slotId, uploader: 'alice@localhost', filename: 'a.txt', size: 10, type: 'text/plain', expires: Date.now() + 60_000 });
  expect((await upload(server, { ...slot, authorization: `Bearer ${fresh}` }, body, 'text/plain')).status).toBe(201);
  expect((await send(server, slot.getUrl, { method: 'GET' })).body.equals(body)).toBe(true);
});

test('an unknown slot is 404; a pre-flight gets CORS headers', async () => {
  const slot = await grantedSlot(alice, 'c.txt', 1, 'text/plain');
  const unknown = slot.getUrl.replace(/file_share\/[^/]+/, 'file_share/AAAAAAAAAAAAAAAAAAAAAA');
  expect((await send(server, unknown, { method: 'GET' })).status).toBe(404);
  expect((await send(server, slot.getUrl, { method: 'GET' })).status).toBe(404); // granted, not uploaded
  const preflight = await send(server, slot.putUrl, { method: 'OPTIONS', headers: { origin: 'https://web.example', 'access-control-request-method': 'PUT' } });
  expect(preflight.status).toBe(204);
  expect(preflight.headers).toMatchObject({ 'access-control-allow-origin': '*', 'access-control-allow-headers': 'Authorization, Content-Type' });
});

test('files older than http_file_share_expires_after are removed by the sweep', async () => {
  const slot = await grantedSlot(alice, 'soon-gone.txt', 5, 'text/plain', 'short.localhost');
  expect((await upload(server, slot, pattern(5), 'text/plain')).status).toBe(201);
  const deadline = Date.now() + 6000;
  let status = 200;
  while (status === 200 && Date.now() < deadline) {
    status = (await send(server, slot.getUrl, { method: 'GET' })).status;
    if (status === 200) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(status).toBe(404);
});

test('behind a TLS-terminating proxy on loopback (trusted_proxies), files come with the HTTPS-only headers', async () => {
  const slot = await grantedSlot(alice, 'proxied.txt', 4, 'text/plain');
  expect((await upload(server, slot, pattern(4), 'text/plain')).status).toBe(201);
  const plain = `http://upload.localhost:${new URL(server.httpUrl!).port}${new URL(slot.getUrl).pathname}`;
  const direct = await send(server, plain, { method: 'GET' });
  expect(direct.status).toBe(200);
  expect(direct.headers['strict-transport-security']).toBeUndefined();
  const forwarded = await send(server, plain, { method: 'GET', headers: { 'x-forwarded-proto': 'https' } });
  expect(forwarded.body.equals(pattern(4))).toBe(true);
  expect(forwarded.headers['strict-transport-security']).toBe('max-age=31556952');
});

test('a download resumes from a byte offset (206); other ranges are refused (416)', async () => {
  const body = Buffer.from('0123456789');
  const slot = await grantedSlot(alice, 'digits.txt', body.length, 'text/plain');
  expect((await upload(server, slot, body, 'text/plain')).status).toBe(201);
  const rest = await send(server, slot.getUrl, { method: 'GET', headers: { range: 'bytes=4-' } });
  expect(rest).toMatchObject({ status: 206, body: Buffer.from('456789') });
  expect(rest.headers).toMatchObject({ 'content-range': 'bytes 4-9/10', 'content-length': '6', 'accept-ranges': 'bytes' });
  expect((await send(server, slot.getUrl, { method: 'GET', headers: { range: 'bytes=4-9' } })).body.toString()).toBe('456789');
  expect((await send(server, slot.getUrl, { method: 'GET', headers: { range: 'bytes=0-' } })).status).toBe(200);
  for (const range of ['bytes=2-5', 'bytes=10-', 'bytes=-3', 'items=1-']) {
    expect({ range, status: (await send(server, slot.getUrl, { method: 'GET', headers: { range } })).status }).toEqual({ range, status: 416 });
  }
});
