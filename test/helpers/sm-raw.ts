/** Raw XEP-0198 steps over a real socket: log in without binding, enable, resume, count. */
import type { Element } from 'ltx';
import { RawClient } from './raw-client.js';

export const SM = 'urn:xmpp:sm:3';

/** STARTTLS and SASL PLAIN as `user@localhost` (password `<user>-secret`); stops before binding. */
export async function authenticate(port: number, user: string): Promise<RawClient> {
  const client = await RawClient.connect(port);
  client.openStream('localhost');
  await client.waitFor((el) => el.name === 'stream:features');
  client.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  await client.waitFor((el) => el.name === 'proceed');
  await client.startTls();
  let seen = client.received.length;
  client.openStream('localhost');
  await client.waitFor((el) => el.name === 'stream:features', 3000, seen);
  const payload = Buffer.from(`\0${user}\0${user}-secret`).toString('base64');
  client.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${payload}</auth>`);
  const outcome = await client.waitFor((el) => el.name === 'success' || el.name === 'failure', 3000, seen);
  if (outcome.name !== 'success') throw new Error(`login failed: ${outcome.toString()}`);
  client.restartParser();
  seen = client.received.length;
  client.openStream('localhost');
  await client.waitFor((el) => el.name === 'stream:features', 3000, seen);
  return client;
}

export async function bind(client: RawClient, resource: string): Promise<void> {
  const seen = client.received.length;
  client.send(`<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>${resource}</resource></bind></iq>`);
  const answer = await client.waitFor((el) => el.name === 'iq' && el.attrs.id === 'bind1', 3000, seen);
  if (answer.attrs.type !== 'result') throw new Error(`bind failed: ${answer.toString()}`);
}

/** Sends `<enable/>` and resolves with the server's answer (`enabled` or `failed`). */
export async function enable(client: RawClient, attrs = "resume='true'"): Promise<Element> {
  const seen = client.received.length;
  client.send(`<enable xmlns='${SM}' ${attrs}/>`);
  return client.waitFor((el) => el.attrs.xmlns === SM && (el.name === 'enabled' || el.name === 'failed'), 3000, seen);
}

/** A logged-in, bound client with resumable stream management; returns it and its resumption id. */
export async function smLogin(port: number, user: string, resource: string): Promise<{ client: RawClient; id: string }> {
  const client = await authenticate(port, user);
  await bind(client, resource);
  const enabled = await enable(client);
  if (enabled.name !== 'enabled') throw new Error(`enable failed: ${enabled.toString()}`);
  return { client, id: String(enabled.attrs.id) };
}

/** Sends `<resume/>` on an authenticated stream; resolves with `resumed` or `failed`. */
export async function resume(client: RawClient, previd: string, h: number): Promise<Element> {
  const seen = client.received.length;
  client.send(`<resume xmlns='${SM}' previd='${previd}' h='${h}'/>`);
  return client.waitFor((el) => el.attrs.xmlns === SM && (el.name === 'resumed' || el.name === 'failed'), 3000, seen);
}

/** Stanzas (message, presence, iq) received from index `from` on. */
export function stanzas(client: RawClient, from = 0): Element[] {
  return client.received.slice(from).filter((el) => el.name === 'message' || el.name === 'presence' || el.name === 'iq');
}

export function messageBodies(client: RawClient, from = 0): string[] {
  return stanzas(client, from).filter((el) => el.name === 'message' && el.attrs.type !== 'error').map((el) => el.getChildText('body') ?? '');
}

/** Waits until `count` non-error messages arrived since index `from`. */
export async function untilMessages(client: RawClient, count: number, from = 0, timeoutMs = 3000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const bodies = messageBodies(client, from);
    if (bodies.length >= count) return bodies;
    if (Date.now() > deadline) throw new Error(`expected ${count} messages, got ${JSON.stringify(bodies)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
