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

  test('after a refused -PLUS attempt on the same stream, a y,, retry is accepted', async () => {
    const { client } = await openDirectTls();
    const scramPlusClient = new ScramClient({ hash: 'sha256', username: 'alice', password: 'alice-secret', gs2Header: 'p=tls-unique,,' });
    client.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256-PLUS'>${scramPlusClient.first().toString('base64')}</auth>`);
    await client.waitFor((el) => el.name === 'failure');
    const seen = client.received.length;
    const scram = new ScramClient({ hash: 'sha256', username: 'alice', password: 'alice-secret', gs2Header: 'y,,' });
    client.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256'>${scram.first().toString('base64')}</auth>`);
    const challenge = await client.waitFor((el) => el.name === 'challenge', 3000, seen);
    client.send(`<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>${scram.final(Buffer.from(challenge.getText(), 'base64')).toString('base64')}</response>`);
    const result = await client.waitFor((el) => el.name === 'success' || el.name === 'failure', 3000, seen);
    expect(result.name).toBe('success');
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
