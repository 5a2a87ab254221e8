/**
 * Plain HTTP(S) requests for tests, through `node:http` so that every header (including `Host`)
 * is sent exactly as written and nothing is kept alive unless an agent is given.
 */
import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface RequestOptions {
  method?: string;
  /** The `Host` header; default the URL's. */
  host?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Sent with chunked transfer encoding, one write per chunk. */
  chunks?: readonly Buffer[];
  /** HTTPS: the certificate to trust, and the SNI name (default `localhost`). */
  ca?: string;
  servername?: string;
  agent?: Agent;
}

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The request went over a kept-alive connection that had served an earlier one. */
  reused: boolean;
}

/** Sends one request and resolves with the whole answer. */
export function send(url: string, options: RequestOptions = {}): Promise<HttpReply> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const headers: Record<string, string> = { ...options.headers };
  if (options.host !== undefined) headers.host = options.host;
  if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
  const requestOptions = {
    method: options.method ?? 'GET',
    headers,
    agent: options.agent ?? false,
    ...(secure ? { ca: options.ca, servername: options.servername ?? 'localhost' } : {}),
  };
  return new Promise((resolve, reject) => {
    const request = (secure ? httpsRequest : httpRequest)(target, requestOptions, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        reused: request.reusedSocket,
      }));
      response.on('error', reject);
    });
    request.on('error', reject);
    if (options.body !== undefined) request.write(options.body);
    for (const chunk of options.chunks ?? []) request.write(chunk);
    request.end();
  });
}

/** The parsed JSON body of a reply (fails the test when it is not JSON). */
export function jsonOf(reply: HttpReply): unknown {
  return JSON.parse(reply.body) as unknown;
}

/**
 * Sends one plain-HTTP request whose header lines are exactly `headerLines` (name, value, name,
 * value, …), repeated names included: `fetch` and header objects merge a repeated header into
 * one, which hides what a server does with two of them. `Content-Length` is added for `body`.
 */
export function sendHeaderLines(
  url: string, method: string, headerLines: readonly string[], body: string | Buffer = '', localAddress?: string,
): Promise<HttpReply> {
  const lines = [...headerLines, 'Content-Length', String(Buffer.byteLength(body))];
  const options = { method, headers: lines, agent: false, ...(localAddress === undefined ? {} : { localAddress }) };
  return new Promise((resolve, reject) => {
    const request = httpRequest(new URL(url), options, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({
        status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8'), reused: false,
      }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}
