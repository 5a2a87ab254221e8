/** SASL negotiation as a client (RFC 6120 §6.4): PLAIN (RFC 4616) or SCRAM (RFC 5802, RFC 7677). */
import { randomBytes } from 'node:crypto';
import { textOf } from './stanza-splitter.js';
import {
  clientFinal, clientFirst, parseServerFirst, verifyServerFinal, type ScramKeyCache, type ScramMechanism,
} from './scram-client.js';

const NS_SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';

/** What SASL needs from the connection. */
export interface SaslExchange {
  send(xml: string): void;
  /** The next top-level element, which must be named `name`. */
  expect(name: string): Promise<string>;
}

export interface SaslCredentials {
  username: string;
  password: string;
  mechanism: 'PLAIN' | ScramMechanism;
}

/**
 * 18 random bytes (24 base64 characters) per exchange, cut from a pooled block: a `randomBytes`
 * call per login cost the load generator more than the bytes.
 */
const NONCE_BYTES = 18;
const NONCE_POOL_BYTES = NONCE_BYTES * 256;
let noncePool = Buffer.alloc(0);
let nonceOffset = 0;

function clientNonce(): string {
  if (nonceOffset + NONCE_BYTES > noncePool.length) {
    noncePool = randomBytes(NONCE_POOL_BYTES);
    nonceOffset = 0;
  }
  nonceOffset += NONCE_BYTES;
  return noncePool.toString('base64', nonceOffset - NONCE_BYTES, nonceOffset);
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function decode(xml: string): string {
  return Buffer.from(textOf(xml).trim(), 'base64').toString('utf8');
}

/** Authenticates with the mechanism asked for; throws when the server does not offer it or refuses. */
export async function authenticate(exchange: SaslExchange, features: string, credentials: SaslCredentials, keys: ScramKeyCache): Promise<void> {
  if (!features.includes(`<mechanism>${credentials.mechanism}</mechanism>`)) {
    throw new Error(`${credentials.mechanism} not offered: ${features}`);
  }
  if (credentials.mechanism === 'PLAIN') return plain(exchange, credentials);
  return scram(exchange, credentials.mechanism, credentials, keys);
}

async function plain(exchange: SaslExchange, credentials: SaslCredentials): Promise<void> {
  // RFC 4616 §2: [authzid] NUL authcid NUL passwd
  exchange.send(`<auth xmlns='${NS_SASL}' mechanism='PLAIN'>${base64(`\0${credentials.username}\0${credentials.password}`)}</auth>`);
  await exchange.expect('success');
}

async function scram(exchange: SaslExchange, mechanism: ScramMechanism, credentials: SaslCredentials, keys: ScramKeyCache): Promise<void> {
  const nonce = clientNonce();
  const first = clientFirst(credentials.username, nonce);
  exchange.send(`<auth xmlns='${NS_SASL}' mechanism='${mechanism}'>${base64(first.message)}</auth>`);
  const serverFirstText = decode(await exchange.expect('challenge'));
  const serverFirst = parseServerFirst(serverFirstText, nonce);
  if (serverFirst === undefined) throw new Error(`bad server-first-message: ${serverFirstText}`);
  const derived = await keys.keys(mechanism, credentials.password, serverFirst, credentials.username);
  const final = clientFinal(mechanism, derived, first.bare, serverFirstText, serverFirst.nonce);
  exchange.send(`<response xmlns='${NS_SASL}'>${base64(final.message)}</response>`);
  const success = decode(await exchange.expect('success'));
  // RFC 5802 §5.1: the client must check the server's signature before trusting it.
  if (!verifyServerFinal(success, final.serverSignature)) throw new Error(`server signature mismatch: ${success}`);
}
