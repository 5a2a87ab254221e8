/**
 * A raw BOSH client (XEP-0124, XEP-0206) over `node:http`: it builds `<body/>` wrappers itself,
 * so tests control every rid and attribute, and parses answers with ltx's own parser.
 */
import { parse, type Element } from 'ltx';
import { send, type HttpReply } from './http-request.js';

export const BOSH_NS = 'http://jabber.org/protocol/httpbind';
export const XBOSH_NS = 'urn:xmpp:xbosh';

export interface BoshReply extends HttpReply {
  /** The parsed `<body/>`, when the answer is XML. */
  readonly element: Element | undefined;
}

export interface PostOptions {
  origin?: string;
  host?: string;
  /** More request headers (e.g. `X-Forwarded-For`). */
  headers?: Record<string, string>;
}

/** POSTs a raw body to the endpoint. */
export async function boshPost(url: string, body: string, options: PostOptions = {}): Promise<BoshReply> {
  const headers: Record<string, string> = { ...options.headers, 'Content-Type': 'text/xml; charset=utf-8' };
  if (options.origin !== undefined) headers.Origin = options.origin;
  const reply = await send(url, { method: 'POST', host: options.host ?? 'localhost', headers, body });
  let element: Element | undefined;
  try {
    element = parse(reply.body);
  } catch {
    element = undefined;
  }
  return { ...reply, element };
}

function attributes(attrs: Record<string, string>): string {
  return Object.entries(attrs).map(([name, value]) => ` ${name}='${value}'`).join('');
}

export class BoshClient {
  readonly url: string;
  readonly sid: string;
  /** The creation answer. */
  readonly created: Element;
  rid: number;

  private constructor(url: string, sid: string, rid: number, created: Element) {
    this.url = url;
    this.sid = sid;
    this.rid = rid;
    this.created = created;
  }

  /** Creates a session (XEP-0206 §4); `extra` attributes override the defaults. */
  static async create(url: string, to = 'localhost', extra: Record<string, string> = {}): Promise<BoshClient> {
    const rid = 1000 + Math.floor(Math.random() * 1_000_000);
    const attrs = {
      xmlns: BOSH_NS, 'xmlns:xmpp': XBOSH_NS, content: 'text/xml; charset=utf-8', rid: String(rid), to,
      'xml:lang': 'en', wait: '10', hold: '1', ver: '1.11', 'xmpp:version': '1.0', ...extra,
    };
    const reply = await boshPost(url, `<body${attributes(attrs)}/>`);
    const sid = reply.element?.attrs.sid as string | undefined;
    if (reply.status !== 200 || reply.element === undefined) throw new Error(`session creation failed: ${reply.status} ${reply.body}`);
    return new BoshClient(url, sid ?? '', rid, reply.element);
  }

  /** The raw text of a request body with the next rid (not sent). */
  nextBody(payload = '', extra: Record<string, string> = {}): { rid: number; text: string } {
    this.rid += 1;
    const attrs = { xmlns: BOSH_NS, 'xmlns:xmpp': XBOSH_NS, rid: String(this.rid), sid: this.sid, ...extra };
    return { rid: this.rid, text: payload === '' ? `<body${attributes(attrs)}/>` : `<body${attributes(attrs)}>${payload}</body>` };
  }

  /** Sends the next request and waits for its answer. */
  request(payload = '', extra: Record<string, string> = {}): Promise<BoshReply> {
    return boshPost(this.url, this.nextBody(payload, extra).text);
  }

  /** Polls (empty requests) until an element matching `predicate` arrives. */
  async waitFor(predicate: (el: Element) => boolean, timeoutMs = 5000): Promise<Element> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const reply = await this.request();
      const found = reply.element?.getChildElements().find(predicate);
      if (found !== undefined) return found;
      if (reply.element?.attrs.type === 'terminate') throw new Error(`session terminated: ${reply.body}`);
    }
    throw new Error('timed out waiting over BOSH');
  }
}

/** Creates a session, authenticates with PLAIN, restarts and binds `resource`. */
export async function boshLogin(url: string, jid: string, password: string, resource = 'bosh'): Promise<BoshClient> {
  const [username, domain] = jid.split('@') as [string, string];
  const client = await BoshClient.create(url, domain);
  const payload = Buffer.from(`\0${username}\0${password}`).toString('base64');
  const auth = await client.request(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${payload}</auth>`);
  if (auth.element?.getChild('success') === undefined) throw new Error(`login failed: ${auth.body}`);
  const restart = await client.request('', { 'xmpp:restart': 'true', to: domain, 'xml:lang': 'en' });
  if (restart.element?.getChild('features') === undefined) throw new Error(`restart failed: ${restart.body}`);
  const bind = await client.request(
    `<iq xmlns='jabber:client' type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>${resource}</resource></bind></iq>`,
  );
  if (bind.element?.getChild('iq')?.attrs.type !== 'result') throw new Error(`bind failed: ${bind.body}`);
  return client;
}
