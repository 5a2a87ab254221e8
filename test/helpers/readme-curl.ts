/**
 * Runs a `curl` command line from the README as curl would send it (method, URL, headers, body),
 * against a test server: the README's address (`http://localhost:5280`) is replaced by the test
 * listener's, and the `Host` header curl derives from the URL is kept (`localhost:<port>`).
 * Only the options the README uses are understood; any other fails the test.
 */
import { send, type HttpReply } from './http-request.js';

export interface CurlRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}

/** What curl would send for `words` (the first word is `curl`). */
export function curlRequest(words: readonly string[]): CurlRequest {
  if (words[0] !== 'curl') throw new Error(`not a curl command: ${words.join(' ')}`);
  let method: string | undefined;
  let url: URL | undefined;
  let body: string | undefined;
  const headers: Record<string, string> = {};
  for (let i = 1; i < words.length; i += 1) {
    const word = words[i]!;
    const value = (): string => {
      const next = words[i + 1];
      if (next === undefined) throw new Error(`${word} needs a value`);
      i += 1;
      return next;
    };
    if (/^-[sS]+$/.test(word)) continue; // silent / show errors: output only
    else if (word === '-X') method = value();
    else if (word === '-H') {
      const header = value();
      const colon = header.indexOf(':');
      headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
    } else if (word === '-d' || word === '--data') body = value();
    else if (word.startsWith('-')) throw new Error(`curl option ${word} is not understood by this test`);
    else if (url === undefined) url = new URL(word);
    else throw new Error(`a second URL: ${word}`);
  }
  if (url === undefined) throw new Error(`no URL in: ${words.join(' ')}`);
  // curl -d without -X posts, as a form unless a Content-Type is given.
  if (body !== undefined) headers['content-type'] ??= 'application/x-www-form-urlencoded';
  return { method: method ?? (body === undefined ? 'GET' : 'POST'), url, headers, body };
}

/** Sends `request` to `httpUrl` (`http://127.0.0.1:<port>`) instead of the README's host and port. */
export function runCurl(request: CurlRequest, httpUrl: string): Promise<HttpReply> {
  const live = new URL(httpUrl);
  const target = new URL(`${request.url.pathname}${request.url.search}`, live);
  return send(target.toString(), {
    method: request.method,
    host: `${request.url.hostname}:${live.port}`,
    headers: { accept: '*/*', ...request.headers },
    ...(request.body === undefined ? {} : { body: request.body }),
  });
}

/** `grep -E PATTERN` over `text`, as the README pipes curl's output. */
export function grepE(words: readonly string[], text: string): string[] {
  if (words[0] !== 'grep' || words[1] !== '-E' || words.length !== 3) throw new Error(`unsupported: ${words.join(' ')}`);
  const pattern = new RegExp(words[2]!);
  return text.split('\n').filter((line) => pattern.test(line));
}
