/**
 * What the http_file_share tests share: a server with an upload component, slot requests over
 * a real XMPP client, and HTTP requests to the slot URLs over real sockets (the URLs name the
 * component, `upload.localhost`, which is sent as the Host header to the loopback listener).
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import type { Element } from 'ltx';
import { Component, VirtualHost } from '../../salon.js';
import { startTestServer, type TestServer } from './test-server.js';
import { connectClient, xml, type TestClient } from './xmpp-client.js';

export const UPLOAD = 'upload.localhost';
export const NS_UPLOAD = 'urn:xmpp:http:upload:0';
export const MIB = 1024 * 1024;

export function startUploadServer(component: Record<string, unknown> = {}, globals: Record<string, unknown> = {}, extraHosts: ReturnType<typeof Component>[] = []): Promise<TestServer> {
  return startTestServer({ globals, hosts: [VirtualHost('localhost'), Component(UPLOAD, 'http_file_share', component), ...extraHosts] });
}

export function login(server: TestServer, user: 'alice' | 'bob'): Promise<TestClient> {
  return connectClient({ port: server.port, username: user, password: `${user}-secret`, resource: 'desk' });
}

let nextId = 0;

/** Sends an iq and waits for its answer (result or error). */
export async function iq(client: TestClient, type: 'get' | 'set', to: string, payload: Element): Promise<Element> {
  const id = `fs-${++nextId}`;
  await client.send(xml('iq', { type, to, id }, payload));
  return client.waitFor((el) => el.name === 'iq' && el.attrs.id === id, 5000);
}

export interface Slot {
  readonly putUrl: string;
  readonly getUrl: string;
  readonly authorization: string;
}

export function requestSlot(client: TestClient, filename: string, size: number, type?: string, service = UPLOAD): Promise<Element> {
  const attrs: Record<string, string> = { xmlns: NS_UPLOAD, filename, size: String(size) };
  if (type !== undefined) attrs['content-type'] = type;
  return iq(client, 'get', service, xml('request', attrs));
}

/** The slot of a result, or a failed expectation naming the error. */
export function slotOf(reply: Element): Slot {
  if (reply.attrs.type !== 'result') throw new Error(`no slot: ${reply.toString()}`);
  const slot = reply.getChild('slot', NS_UPLOAD)!;
  const put = slot.getChild('put')!;
  return { putUrl: put.attrs.url as string, getUrl: slot.getChild('get')!.attrs.url as string, authorization: put.getChildText('header') ?? '' };
}

export async function grantedSlot(client: TestClient, filename: string, size: number, type?: string, service?: string): Promise<Slot> {
  return slotOf(await requestSlot(client, filename, size, type, service));
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

export interface SendOptions {
  readonly method: 'GET' | 'HEAD' | 'PUT' | 'OPTIONS';
  readonly headers?: Record<string, string>;
  readonly body?: Buffer | Readable;
  /** Receive the body without keeping it (large downloads): `body` is then empty and `received` counts it. */
  readonly discardBody?: boolean;
  /** Sees each chunk of the response body as it arrives. */
  readonly onData?: (chunk: Buffer) => void;
}

/** One request to `url` over a new connection to 127.0.0.1, with the URL's authority as Host. */
export function send(server: TestServer, url: string, options: SendOptions): Promise<HttpAnswer & { received: number }> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const request = (secure ? httpsRequest : httpRequest)({
    host: '127.0.0.1',
    port: Number(target.port),
    path: `${target.pathname}${target.search}`,
    method: options.method,
    headers: { host: target.host, ...options.headers },
    agent: false,
    ...(secure ? { servername: target.hostname, ca: server.certificate } : {}),
  });
  return new Promise((resolve, reject) => {
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        options.onData?.(chunk);
        if (options.discardBody !== true) chunks.push(chunk);
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks), received }));
      response.on('error', reject);
    });
    const { body } = options;
    if (body instanceof Readable) body.pipe(request);
    else request.end(body);
  });
}

const PATTERN = 'salon-file-share-';

/** The bytes of `pattern(size)`, produced in chunks of `chunkSize` (never held whole). */
export function patternStream(size: number, chunkSize = 64 * 1024): Readable {
  const source = pattern(chunkSize + PATTERN.length);
  let sent = 0;
  return new Readable({
    read() {
      if (sent === size) return void this.push(null);
      const length = Math.min(chunkSize, size - sent);
      const start = sent % PATTERN.length;
      sent += length;
      this.push(source.subarray(start, start + length));
    },
  });
}

export function pattern(size: number): Buffer {
  return Buffer.alloc(size, PATTERN);
}

/** PUTs `body` to the slot with its Authorization header. */
export function upload(server: TestServer, slot: Slot, body: Buffer | Readable, type: string, length?: number): Promise<HttpAnswer> {
  const headers: Record<string, string> = { authorization: slot.authorization, 'content-type': type };
  const size = length ?? (Buffer.isBuffer(body) ? body.length : undefined);
  if (size !== undefined) headers['content-length'] = String(size);
  return send(server, slot.putUrl, { method: 'PUT', headers, body });
}
