/**
 * http_file_share over XMPP (XEP-0363 §3, §4): discovery, and slot requests checked against the
 * shipped size limit and daily quota, an allowed-type list, a global quota and the file name.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { Component } from '../../salon.js';
import { iq, login, MIB, NS_UPLOAD, requestSlot, slotOf, startUploadServer, UPLOAD } from '../helpers/file-share-harness.js';
import type { TestServer } from '../helpers/test-server.js';
import { xml, type TestClient } from '../helpers/xmpp-client.js';

const STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
let server: TestServer;
let alice: TestClient;
let bob: TestClient;

beforeAll(async () => {
  server = await startUploadServer({}, {}, [
    Component('images.localhost', 'http_file_share', { http_file_share_allowed_file_types: ['image/*', 'application/pdf'] }),
    Component('small.localhost', 'http_file_share', { http_file_share_global_quota: 1000 }),
    Component('proxied.localhost', 'http_file_share', { http_external_url: 'https://files.example.org/' }),
  ]);
  [alice, bob] = await Promise.all([login(server, 'alice'), login(server, 'bob')]);
});
afterAll(async () => {
  await Promise.all([alice?.stop(), bob?.stop()]);
  await server?.stop();
});

function errorOf(reply: Element): { type: string; condition: string | undefined; text: string | undefined } {
  const error = reply.getChild('error')!;
  const condition = error.children.find((c) => typeof c !== 'string' && c.attrs.xmlns === STANZAS && c.name !== 'text') as Element | undefined;
  return { type: error.attrs.type as string, condition: condition?.name, text: error.getChildText('text', STANZAS) ?? undefined };
}

test('the service says what it is and its size limit (disco#info, XEP-0128 form)', async () => {
  const info = await iq(alice, 'get', UPLOAD, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' }));
  const query = info.getChild('query')!;
  expect(query.getChildren('identity').map((i) => i.attrs)).toContainEqual({ category: 'store', type: 'file', name: 'HTTP File Upload' });
  expect(query.getChildren('feature').map((f) => f.attrs.var)).toContain(NS_UPLOAD);
  const form = query.getChild('x', 'jabber:x:data')!;
  const fields = Object.fromEntries(form.getChildren('field').map((f) => [f.attrs.var, f.getChildText('value')]));
  expect(fields).toEqual({ FORM_TYPE: NS_UPLOAD, 'max-file-size': String(10 * MIB) });
  // The VirtualHost lists the component, so clients find it (slixmpp's find_upload_service).
  const items = await iq(alice, 'get', 'localhost', xml('query', { xmlns: 'http://jabber.org/protocol/disco#items' }));
  expect(items.getChild('query')!.getChildren('item').map((i) => i.attrs.jid)).toContain(UPLOAD);
});

test('a file at the size limit gets a slot; one byte more gets <file-too-large/> with the limit', async () => {
  expect(slotOf(await requestSlot(alice, 'at-limit.bin', 10 * MIB)).putUrl).toContain('/file_share/');
  const refused = await requestSlot(alice, 'over-limit.bin', 10 * MIB + 1);
  expect(refused.attrs.type).toBe('error');
  expect(errorOf(refused)).toMatchObject({ type: 'modify', condition: 'not-acceptable' });
  expect(refused.getChild('error')!.getChild('file-too-large', NS_UPLOAD)!.getChildText('max-file-size')).toBe(String(10 * MIB));
});

test('the daily quota at its shipped value: ten files at the size limit, then nothing for 24 hours', async () => {
  for (let n = 0; n < 10; n++) expect((await requestSlot(bob, `part-${n}.bin`, 10 * MIB)).attrs.type).toBe('result');
  const refused = await requestSlot(bob, 'one-more.bin', 1);
  expect(errorOf(refused)).toEqual({ type: 'wait', condition: 'resource-constraint', text: 'Daily quota reached' });
  // Another service keeps its own account of what was granted.
  expect((await requestSlot(bob, 'elsewhere.png', 1, 'image/png', 'images.localhost')).attrs.type).toBe('result');
});

test('http_file_share_allowed_file_types: families and exact types pass, others are not-acceptable', async () => {
  expect((await requestSlot(alice, 'a.jpg', 10, 'image/jpeg', 'images.localhost')).attrs.type).toBe('result');
  expect((await requestSlot(alice, 'a.pdf', 10, 'application/pdf', 'images.localhost')).attrs.type).toBe('result');
  const refused = await requestSlot(alice, 'a.exe', 10, 'application/x-msdownload', 'images.localhost');
  expect(errorOf(refused)).toEqual({ type: 'modify', condition: 'not-acceptable', text: 'File type not allowed' });
  // Without a content-type the file is application/octet-stream, which is not on the list.
  expect(errorOf(await requestSlot(alice, 'a.bin', 10, undefined, 'images.localhost')).condition).toBe('not-acceptable');
});

test('http_file_share_global_quota counts every slot granted', async () => {
  expect((await requestSlot(alice, 'x', 600, 'text/plain', 'small.localhost')).attrs.type).toBe('result');
  expect((await requestSlot(bob, 'y', 400, 'text/plain', 'small.localhost')).attrs.type).toBe('result');
  expect(errorOf(await requestSlot(alice, 'z', 1, 'text/plain', 'small.localhost'))).toEqual({
    type: 'wait', condition: 'resource-constraint', text: 'Server global storage quota reached',
  });
});

test('malformed requests are bad-request', async () => {
  for (const [name, size, type] of [['a/b', '1', 'text/plain'], ['', '1', 'text/plain'], ['x'.repeat(256), '1', 'text/plain'], ['ok', '-1', 'text/plain'], ['ok', '1.5', 'text/plain'], ['ok', '1', 'text/plain\r\nX-Evil: 1']] as const) {
    const reply = await iq(alice, 'get', UPLOAD, xml('request', { xmlns: NS_UPLOAD, filename: name, size, 'content-type': type }));
    expect({ name, size, error: errorOf(reply).condition }).toEqual({ name, size, error: 'bad-request' });
  }
});

test('http_external_url: slots name the proxy, with the path under it', async () => {
  const slot = slotOf(await requestSlot(alice, 'ünïcode name.txt', 3, 'text/plain', 'proxied.localhost'));
  expect(slot.putUrl).toMatch(/^https:\/\/files\.example\.org\/file_share\/[A-Za-z0-9_-]{22}\/%C3%BCn%C3%AFcode%20name\.txt$/);
});
