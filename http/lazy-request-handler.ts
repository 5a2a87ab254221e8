/**
 * A request handler whose implementation loads with the first request. The Koa application and
 * the libraries under it take tens of milliseconds to load, which a server that may never see an
 * HTTP request (a test fixture, a deployment using only WebSocket upgrades or only C2S) should not
 * pay before it accepts connections. Requests arriving while it loads wait for it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** Answers a request the handler could not be loaded for (the answer is the caller's choice). */
export type LoadFailureHandler = (error: unknown, response: ServerResponse) => void;

export function lazyRequestHandler(load: () => Promise<RequestHandler>, onLoadFailure: LoadFailureHandler): RequestHandler {
  let handler: RequestHandler | undefined;
  let loading: Promise<RequestHandler> | undefined;
  return (request, response) => {
    if (handler !== undefined) return handler(request, response);
    loading ??= load().then((loaded) => (handler = loaded));
    loading.then(
      (loaded) => loaded(request, response),
      (error: unknown) => {
        // A later request tries again rather than failing forever on one bad load.
        loading = undefined;
        onLoadFailure(error, response);
      },
    );
  };
}
