/**
 * Reading the answer undici's `request` gives: the body up to a limit, and the headers as one
 * string per name, as `OutboundResponse` promises.
 */
import type { Readable } from 'node:stream';

function ignore(): void {}

/**
 * Gives the body back to undici unread: destroying it aborts the response, which closes its
 * connection (an HTTP/1.1 connection cannot be reused half-way through a body). The destroy
 * emits an error that nobody else would listen to.
 */
function release(body: Readable): void {
  body.on('error', ignore);
  body.destroy();
}

/**
 * The whole body, or undefined when it is over `maxBytes`: announced so by its Content-Length
 * (then nothing is read) or found so while streaming (then reading stops there). Rejects with
 * the body's error, such as the deadline's abort.
 */
export function readBounded(body: Readable, contentLength: string | string[] | undefined, maxBytes: number): Promise<Buffer | undefined> {
  if (Number(contentLength ?? '0') > maxBytes) {
    release(body);
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      if (body.destroyed) return;
      size += chunk.byteLength;
      if (size > maxBytes) {
        release(body);
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    body.on('end', () => resolve(Buffer.concat(chunks, size)));
    body.on('error', reject);
  });
}

/**
 * One string per header: undici's `request` gives lower-case names and an array for a repeated
 * header (`set-cookie`, `vary`, …), joined here with `, ` as the Fetch standard combines them.
 */
export function joinedHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): Record<string, string> {
  const joined: [string, string][] = [];
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value !== undefined) joined.push([name, typeof value === 'string' ? value : value.join(', ')]);
  }
  // fromEntries defines properties: a header named `__proto__` stays a header.
  return Object.fromEntries(joined);
}
