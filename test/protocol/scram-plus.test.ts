/**
 * SCRAM-*-PLUS with `tls-exporter` channel binding (RFC 5802 §6, RFC 9266) over a real TLS 1.3
 * connection: offered, accepted with the right binding data, refused with the wrong one.
 */
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { RawClient } from '../helpers/raw-client.js';
import { ScramClient } from '../helpers/scram-client.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function openDirectTls(): Promise<{ client: RawClient; mechanisms: string[] }> {
  const client = await RawClient.connect(server.directTlsPort, { tls: true });
  client.openStream();
  const features = await client.waitFor((el) => el.name === 'stream:features');
  const mechanisms = features.getChild('mechanisms')?.getChildren('mechanism').map((m) => m.getText()) ?? [];
  return { client, mechanisms };
}

function exporter(client: RawClient): Buffer {
  return (client.socket as TLSSocket).exportKeyingMaterial(32, 'EXPORTER-Channel-Binding', Buffer.alloc(0));
}

async function scramPlus(client: RawClient, binding: Buffer): Promise<{ outcome: string; body: string; scram: ScramClient }> {
  const gs2Header = 'p=tls-exporter,,';
  const scram = new ScramClient({ hash: 'sha256', username: 'alice', password: 'alice-secret', gs2Header, bindingData: binding });
  client.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256-PLUS'>${scram.first().toString('base64')}</auth>`);
  const challenge = await client.waitFor((el) => el.name === 'challenge');
  client.send(`<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>${scram.final(Buffer.from(challenge.getText(), 'base64')).toString('base64')}</response>`);
  const result = await client.waitFor((el) => el.name === 'success' || el.name === 'failure');
  return { outcome: result.name, body: result.name === 'success' ? Buffer.from(result.getText(), 'base64').toString() : (result.children[0] as { name: string }).name, scram };
}

/** A -PLUS exchange with this connection's binding, on a stream that already exchanged `seen` elements. */
async function scramPlusAfter(client: RawClient, seen: number): Promise<{ outcome: string }> {
  const scram = new ScramClient({ hash: 'sha256', username: 'alice', password: 'alice-secret', gs2Header: 'p=tls-exporter,,', bindingData: exporter(client) });
  client.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256-PLUS'>${scram.first().toString('base64')}</auth>`);
  const challenge = await client.waitFor((el) => el.name === 'challenge', 3000, seen);
  client.send(`<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>${scram.final(Buffer.from(challenge.getText(), 'base64')).toString('base64')}</response>`);
  const result = await client.waitFor((el) => el.name === 'success' || el.name === 'failure', 3000, seen);
  return { outcome: result.name };
}

describe('SCRAM-SHA-256-PLUS over TLS 1.3', () => {
  test('is offered first, and succeeds with the tls-exporter binding', async () => {
    const { client, mechanisms } = await openDirectTls();
    expect((client.socket as TLSSocket).getProtocol()).toBe('TLSv1.3');
    expect(mechanisms.slice(0, 2)).toEqual(['SCRAM-SHA-256-PLUS', 'SCRAM-SHA-1-PLUS']);
    const { outcome, body, scram } = await scramPlus(client, exporter(client));
    expect(outcome).toBe('success');
    expect(body).toBe(scram.expectedServerFinal());
    client.close();
  });

  test('fails with binding data of another connection', async () => {
    const { client } = await openDirectTls();
    const other = await openDirectTls();
    const { outcome, body } = await scramPlus(client, exporter(other.client));
    expect(outcome).toBe('failure');
    expect(body).toBe('not-authorized');
    client.close();
    other.client.close();
  });

  test('features name the supported channel-binding type (XEP-0440)', async () => {
    const client = await RawClient.connect(server.directTlsPort, { tls: true });
    client.openStream();
    const features = await client.waitFor((el) => el.name === 'stream:features');
    const types = features.getChild('sasl-channel-binding', 'urn:xmpp:sasl-cb:0')?.getChildren('channel-binding').map((c) => c.attrs.type);
    expect(types).toEqual(['tls-exporter']);
    client.close();
  });

  test('after a broken -PLUS attempt on the same stream, a y,, exchange is still refused (RFC 5802 §6)', async () => {
    // What a man in the middle that stripped -PLUS from the client's view would do: send one
    // -PLUS <auth> with a binding type the server lacks, then relay the client's `y,,` exchange.
    const { client } = await openDirectTls();
    const broken = new ScramClient({ hash: 'sha256', username: 'alice', password: 'alice-secret', gs2Header: 'p=tls-unique,,' });
    client.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256-PLUS'>${broken.first().toString('base64')}</auth>`);
    expect((await client.waitFor((el) => el.name === 'failure')).getChild('malformed-request')).toBeDefined();
    const seen = client.received.length;
    const scram = new ScramClient({ hash: 'sha256', username: 'alice', password: 'alice-secret', gs2Header: 'y,,' });
    client.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256'>${scram.first().toString('base64')}</auth>`);
    const result = await client.waitFor((el) => el.name === 'challenge' || el.name === 'failure', 3000, seen);
    expect(result.name).toBe('failure');
    expect(result.getChild('not-authorized')).toBeDefined();
    expect(result.getChildText('text')).toBe('channel binding downgrade');
    // The same stream still logs in with a real binding: the refusals cost no credential attempt.
    const after = client.received.length;
    const { outcome } = await scramPlusAfter(client, after);
    expect(outcome).toBe('success');
    client.close();
  });

  test('a client that could bind but says it cannot (y,,) is refused as a downgrade', async () => {
    const { client } = await openDirectTls();
    const scram = new ScramClient({ hash: 'sha256', username: 'alice', password: 'alice-secret', gs2Header: 'y,,' });
    client.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256'>${scram.first().toString('base64')}</auth>`);
    // The server may refuse at once, or after the challenge; either way it never succeeds.
    let result = await client.waitFor((el) => el.name === 'challenge' || el.name === 'failure');
    if (result.name === 'challenge') {
      client.send(`<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>${scram.final(Buffer.from(result.getText(), 'base64')).toString('base64')}</response>`);
      result = await client.waitFor((el) => el.name === 'success' || el.name === 'failure');
    }
    expect(result.name).toBe('failure');
    expect(result.getChild('not-authorized')).toBeDefined();
    client.close();
  });
});

describe('with the -PLUS mechanisms disabled (disable_sasl_mechanisms)', () => {
  let plain: TestServer;
  beforeAll(async () => {
    plain = await startTestServer({ globals: { disable_sasl_mechanisms: ['SCRAM-SHA-256-PLUS', 'SCRAM-SHA-1-PLUS'] } });
  });
  afterAll(() => plain.stop());

  test('no -PLUS and no channel-binding types are offered, and a y,, exchange succeeds (no downgrade to detect)', async () => {
    const client = await RawClient.connect(plain.directTlsPort, { tls: true });
    client.openStream();
    const features = await client.waitFor((el) => el.name === 'stream:features');
    const mechanisms = features.getChild('mechanisms')?.getChildren('mechanism').map((m) => m.getText());
    expect(mechanisms).toEqual(['SCRAM-SHA-256', 'SCRAM-SHA-1', 'PLAIN']);
    expect(features.getChild('sasl-channel-binding', 'urn:xmpp:sasl-cb:0')).toBeUndefined();
    const scram = new ScramClient({ hash: 'sha256', username: 'alice', password: 'alice-secret', gs2Header: 'y,,' });
    client.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256'>${scram.first().toString('base64')}</auth>`);
    const challenge = await client.waitFor((el) => el.name === 'challenge');
    client.send(`<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>${scram.final(Buffer.from(challenge.getText(), 'base64')).toString('base64')}</response>`);
    expect((await client.waitFor((el) => el.name === 'success' || el.name === 'failure')).name).toBe('success');
    client.close();
  });
});
