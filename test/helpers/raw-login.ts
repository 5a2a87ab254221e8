/** Logs a raw client in the way a real client does: STARTTLS, SASL PLAIN over TLS, bind. */
import { RawClient } from './raw-client.js';

/** `streamExtra`: more attributes of every stream header sent, e.g. prefix declarations. */
export async function rawLogin(port: number, jid: string, password: string, resource = 'raw', streamExtra = ''): Promise<RawClient> {
  const [username, domain] = jid.split('@') as [string, string];
  const client = await RawClient.connect(port);
  client.openStream(domain, streamExtra);
  await client.waitFor((el) => el.name === 'stream:features');
  client.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  await client.waitFor((el) => el.name === 'proceed');
  await client.startTls();
  let seen = client.received.length;
  client.openStream(domain, streamExtra);
  await client.waitFor((el) => el.name === 'stream:features', 3000, seen);
  const payload = Buffer.from(`\0${username}\0${password}`).toString('base64');
  client.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${payload}</auth>`);
  const outcome = await client.waitFor((el) => el.name === 'success' || el.name === 'failure', 3000, seen);
  if (outcome.name !== 'success') throw new Error(`login failed: ${outcome.toString()}`);
  client.restartParser();
  seen = client.received.length;
  client.openStream(domain, streamExtra);
  await client.waitFor((el) => el.name === 'stream:features', 3000, seen);
  client.send(`<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>${resource}</resource></bind></iq>`);
  await client.waitFor((el) => el.name === 'iq' && el.attrs.id === 'bind1', 3000, seen);
  return client;
}
