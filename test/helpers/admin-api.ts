/**
 * A server with the admin REST API (`http_admin_api`) for tests, and a small client for it: the
 * VirtualHost `localhost` serves `/admin` over plain HTTP on loopback, with one token holding
 * every scope (`api.token`) unless the test lists its own tokens; `conference.localhost` is a
 * MUC service. Requests go through `node:http` (`http-request.ts`), so every header is sent as
 * written.
 */
import { ADMIN_SCOPES, type AdminScope } from '../../admin/index.js';
import { generateBearerToken, tokenDigest } from '../../server/crypto/index.js';
import { Component, VirtualHost, type HostInput } from '../../salon.js';
import { send, type HttpReply } from './http-request.js';
import { startTestServer, type TestServer } from './test-server.js';

export interface TestToken {
  readonly name: string;
  readonly token: string;
  readonly scopes: readonly AdminScope[];
}

/** A fresh token and its config entry. */
export function testToken(name: string, scopes: readonly AdminScope[]): TestToken {
  return { name, token: generateBearerToken(), scopes };
}

/** The `http_admin_api_tokens` entry of a token (only its digest goes into the config). */
export function tokenEntry(token: TestToken): { name: string; hash: string; scopes: AdminScope[] } {
  return { name: token.name, hash: tokenDigest(token.token), scopes: [...token.scopes] };
}

export interface AdminApiOptions {
  /** Tokens the config lists; default one named `all` with every scope. */
  readonly tokens?: readonly TestToken[];
  /** More options of the `localhost` VirtualHost (e.g. `http_admin_api_max_body`). */
  readonly hostOptions?: Record<string, unknown>;
  /** Global options. */
  readonly globals?: Record<string, unknown>;
  /** Hosts after `localhost` (default `conference.localhost`, a MUC service). */
  readonly extraHosts?: HostInput[];
  /** Accounts (default alice and bob of `localhost`). */
  readonly users?: Record<string, string>;
}

export interface AdminCallOptions {
  /** Default `api.token`; `null` sends no Authorization header. */
  readonly token?: string | null;
  /** The `Host` header (default `localhost`, the VirtualHost serving the API). */
  readonly host?: string;
  /** Serialised as JSON with `Content-Type: application/json` unless `rawBody` is given. */
  readonly body?: unknown;
  readonly rawBody?: string | Buffer;
  readonly headers?: Record<string, string>;
}

export interface AdminReply extends HttpReply {
  /** The parsed body; undefined when it is empty. */
  readonly json: unknown;
}

export interface AdminApi {
  readonly server: TestServer;
  /** A token with every scope (or the first listed token). */
  readonly token: string;
  /** `http://127.0.0.1:<port>` of the plain HTTP listener. */
  readonly httpUrl: string;
  /** The API's base below it (`/admin`). */
  readonly base: string;
  /** Calls `method` `path` (below the base, e.g. `/users/alice`). */
  call(method: string, path: string, options?: AdminCallOptions): Promise<AdminReply>;
  stop(): Promise<void>;
}

export const ALL_SCOPES_TOKEN = 'all';

/** Every scope, for a token that may do everything. */
export const ADMIN_SCOPE_LIST: readonly AdminScope[] = ADMIN_SCOPES;

/** Starts a server with the admin API on `localhost`. */
export async function startAdminApi(options: AdminApiOptions = {}): Promise<AdminApi> {
  const tokens = options.tokens ?? [testToken(ALL_SCOPES_TOKEN, ADMIN_SCOPES)];
  const server = await startTestServer({
    globals: options.globals,
    hosts: [
      VirtualHost('localhost', { modules_enabled: ['http_admin_api'], http_admin_api_tokens: tokens.map(tokenEntry), ...options.hostOptions }),
      ...(options.extraHosts ?? [Component('conference.localhost', 'muc')]),
    ],
    users: options.users ?? { 'alice@localhost': 'alice-secret', 'bob@localhost': 'bob-secret' },
  });
  const httpUrl = server.httpUrl!;
  const paths = (options.hostOptions?.http_paths ?? options.globals?.http_paths ?? {}) as Record<string, string>;
  const base = paths.admin ?? '/admin';
  const token = tokens[0]!.token;
  return {
    server, token, httpUrl, base,
    call: (method, path, call = {}) => adminCall(`${httpUrl}${base}${path}`, method, { token, ...call }),
    stop: () => server.stop(),
  };
}

/** One request to a full admin URL. */
export async function adminCall(url: string, method: string, options: AdminCallOptions): Promise<AdminReply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined && options.token !== null) headers.authorization = `Bearer ${options.token}`;
  let body: string | Buffer | undefined = options.rawBody;
  if (body === undefined && options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const reply = await send(url, { method, headers, host: options.host ?? 'localhost', ...(body === undefined ? {} : { body }) });
  return { ...reply, json: reply.body === '' ? undefined : JSON.parse(reply.body) as unknown };
}

/** The `code` of an error answer. */
export function errorCode(reply: AdminReply): unknown {
  return (reply.json as { error?: { code?: unknown } } | undefined)?.error?.code;
}
