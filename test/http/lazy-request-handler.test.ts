/**
 * The HTTP handler that loads with the first request: requests made while it loads are all
 * answered by it, a failed load answers 500 JSON and the next request loads again.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lazyRequestHandler, type RequestHandler } from '../../http/lazy-request-handler.js';
import { sendRawJsonError } from '../../http/respond.js';

let server: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function serve(handler: RequestHandler): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const answer = (text: string): RequestHandler => (_request, response) => response.end(text);

describe('lazyRequestHandler', () => {
  it('loads once for concurrent first requests and serves them all with the loaded handler', async () => {
    let loads = 0;
    const url = await serve(lazyRequestHandler(async () => {
      loads++;
      await new Promise((resolve) => setTimeout(resolve, 30));
      return answer('loaded');
    }, () => undefined));
    const bodies = await Promise.all([1, 2, 3].map(async () => (await fetch(url)).text()));
    expect(bodies).toEqual(['loaded', 'loaded', 'loaded']);
    expect(await (await fetch(url)).text()).toBe('loaded');
    expect(loads).toBe(1);
  });

  it('answers 500 JSON when loading fails, and loads again on the next request', async () => {
    let loads = 0;
    const failures: unknown[] = [];
    const url = await serve(lazyRequestHandler(async () => {
      loads++;
      if (loads === 1) throw new Error('module missing');
      return answer('second try');
    }, (error, response) => {
      failures.push(error);
      sendRawJsonError(response, 500, 'Internal server error');
    }));
    const failed = await fetch(url);
    expect(failed.status).toBe(500);
    expect(failed.headers.get('content-type')).toBe('application/json');
    expect(await failed.json()).toEqual({ error: 'Internal server error' });
    expect(failures).toHaveLength(1);
    expect(await (await fetch(url)).text()).toBe('second try');
    expect(loads).toBe(2);
  });
});
