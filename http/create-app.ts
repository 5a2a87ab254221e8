/**
 * The Koa application of one listener: an error boundary, the health and readiness probes
 * (answered whatever the `Host`), then `Host`-selected routes. Every answer the listener makes
 * on its own (404, 405, 413, 500) is JSON and carries no CORS headers: these are administrative
 * routes, and a pre-flight `OPTIONS` gets the same JSON 404/405 as any other unserved method.
 * Web-client routes (`anyHost`) are the exception: BOSH answers its own pre-flights, and a `Host`
 * naming no host reaches them on the first VirtualHost (see `host-selector.ts`).
 */
import Koa, { type Context, type Next } from 'koa';
import type { Logger } from '../server/log/index.js';
import { displayHostName, hostNameOf } from './host-header.js';
import type { HostSelector } from './host-selector.js';
import type { PeerPolicy } from './peer-address.js';
import type { ReadinessCheck } from './readiness.js';
import { matchRoute, type RouteMatch } from './route-matcher.js';
import { sendError, sendJson } from './respond.js';
import type { RouteTable } from './route-table.js';
import { clearHeaders, runRoute, skipUnreadBody } from './run-route.js';

export interface AppEnvironment {
  readonly logger: Logger;
  readonly selector: HostSelector;
  readonly maxContentSize: number;
  readonly readiness: ReadinessCheck;
  readonly peers: PeerPolicy;
  /** False once the server is stopping. */
  isRunning(): boolean;
}

const PROBE_METHODS = ['GET', 'HEAD'];

function boundary(logger: Logger): Koa.Middleware {
  return async (ctx: Context, next: Next) => {
    const started = performance.now();
    try {
      await next();
    } catch (error) {
      logger.error({ err: error, method: ctx.method, path: ctx.path }, 'HTTP request failed');
      if (ctx.headerSent) return;
      clearHeaders(ctx);
      sendError(ctx, 500, 'Internal server error');
    }
    // Never headers or the query string: they carry credentials.
    const elapsedMs = Math.round(performance.now() - started);
    logger.debug({ method: ctx.method, path: ctx.path, status: ctx.status, elapsedMs, remote: ctx.req.socket.remoteAddress }, 'HTTP request');
  };
}

async function answerProbe(ctx: Context, env: AppEnvironment): Promise<void> {
  if (!PROBE_METHODS.includes(ctx.method)) {
    ctx.set('Allow', PROBE_METHODS.join(', '));
    return sendError(ctx, 405, 'Method not allowed');
  }
  ctx.set('Cache-Control', 'no-store');
  if (ctx.path === '/health') return sendJson(ctx, 200, { status: 'ok' });
  const problem = env.isRunning() ? await env.readiness() : 'server is stopping';
  if (problem === undefined) return sendJson(ctx, 200, { status: 'ready' });
  // The reason (a storage error's text: paths, driver messages) is for the operator's log, not
  // for whoever can reach the listener: the probe answers with its status only.
  env.logger.warn({ problem }, 'readiness check failed');
  sendJson(ctx, 503, { status: 'unavailable' });
}

function dispatch(env: AppEnvironment): Koa.Middleware {
  return async (ctx: Context) => {
    if (ctx.path === '/health' || ctx.path === '/ready') {
      skipUnreadBody(ctx);
      return answerProbe(ctx, env);
    }
    const name = hostNameOf(ctx.get('Host'));
    const selected = selectRoute(env.selector, name, ctx.path, ctx.method);
    if (selected?.match.kind !== 'route') skipUnreadBody(ctx);
    if (selected === undefined) return sendError(ctx, 404, `Unknown host: ${displayHostName(name)}`);
    const { table, match } = selected;
    if (match.kind === 'not-found') return sendError(ctx, 404, 'Not found');
    if (match.kind === 'method-not-allowed') {
      ctx.set('Allow', match.allow.join(', '));
      return sendError(ctx, 405, 'Method not allowed', match.entry.spec.errorBody);
    }
    await runRoute(ctx, {
      entry: match.entry, rawRest: match.rawRest, host: table.host, maxContentSize: env.maxContentSize, logger: env.logger, peers: env.peers,
    });
  };
}

/**
 * The host and route for a request: the host the `Host` header selects; for a name no host
 * answers, the web fallback's route when that route is a web-client one (`anyHost`).
 */
function selectRoute(selector: HostSelector, name: string, path: string, method: string): { table: RouteTable; match: RouteMatch } | undefined {
  const table = selector.select(name);
  if (table !== undefined) return { table, match: matchRoute(table, path, method) };
  const web = selector.webFallback;
  if (web === undefined) return undefined;
  const match = matchRoute(web, path, method);
  return match.kind !== 'not-found' && match.entry.spec.anyHost === true ? { table: web, match } : undefined;
}

/** A Koa app answering with `env`'s hosts and probes. */
export function createApp(env: AppEnvironment): Koa {
  const app = new Koa({ proxy: false });
  app.use(boundary(env.logger));
  app.use(dispatch(env));
  // Errors past the boundary (a socket failing while the answer is written) are only logged.
  app.on('error', (error: unknown) => env.logger.debug({ err: error }, 'HTTP response error'));
  return app;
}
