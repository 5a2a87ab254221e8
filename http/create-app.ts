/**
 * The Koa application of one listener: an error boundary, the health and readiness probes
 * (answered whatever the `Host`), then `Host`-selected routes. Every answer the listener makes
 * on its own (404, 405, 413, 500) is JSON and carries no CORS headers: these are administrative
 * routes, and a pre-flight `OPTIONS` gets the same JSON 404/405 as any other unserved method.
 */
import Koa, { type Context, type Next } from 'koa';
import type { Logger } from '../server/log/index.js';
import { displayHostName, hostNameOf } from './host-header.js';
import type { HostSelector } from './host-selector.js';
import type { ReadinessCheck } from './readiness.js';
import { matchRoute } from './route-matcher.js';
import { sendError, sendJson } from './respond.js';
import { clearHeaders, runRoute } from './run-route.js';

export interface AppEnvironment {
  readonly logger: Logger;
  readonly selector: HostSelector;
  readonly maxContentSize: number;
  readonly readiness: ReadinessCheck;
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
  sendJson(ctx, 503, { status: 'unavailable', error: problem });
}

function dispatch(env: AppEnvironment): Koa.Middleware {
  return async (ctx: Context) => {
    if (ctx.path === '/health' || ctx.path === '/ready') return answerProbe(ctx, env);
    const name = hostNameOf(ctx.get('Host'));
    const table = env.selector.select(name);
    if (table === undefined) return sendError(ctx, 404, `Unknown host: ${displayHostName(name)}`);
    const match = matchRoute(table, ctx.path, ctx.method);
    if (match.kind === 'not-found') return sendError(ctx, 404, 'Not found');
    if (match.kind === 'method-not-allowed') {
      ctx.set('Allow', match.allow.join(', '));
      return sendError(ctx, 405, 'Method not allowed', match.entry.spec.errorBody);
    }
    await runRoute(ctx, {
      entry: match.entry, rawRest: match.rawRest, host: table.host, maxContentSize: env.maxContentSize, logger: env.logger,
    });
  };
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
