/**
 * `http_muc_kick` (spec §2): an authenticated `POST /muc_kick` through which an external
 * application removes an occupant from a room, exactly like a moderator's kick with the service
 * as actor. Meant for a MUC service (`modules_enabled` on the Component); the endpoint is served
 * on that host's HTTP routes, so the request's `Host` header must name it.
 */
import { mucServiceKey } from '../../index.js';
import { httpServiceKey } from '../../../http/index.js';
import { defineModule, type ModuleContext } from '../../../server/modules/index.js';
import { FailureLimiter } from './failure-limiter.js';
import type { MucDirectory } from './kick-target.js';
import { kickRoute } from './kick-route.js';
import { OPTION, authorizationHeaderProblem, httpMucKickOptionShape, readAuthorizationHeader, type HttpMucKickOptions } from './options.js';

function isMucService(ctx: ModuleContext<HttpMucKickOptions>): boolean {
  return ctx.service(mucServiceKey) !== undefined || ctx.host.componentType === 'muc';
}

/** The server's hosts as the kick sees them; the MUC service API is looked up per request. */
function directoryOf(ctx: ModuleContext<HttpMucKickOptions>): MucDirectory {
  return {
    hasHost: (domain) => ctx.hostByName(domain) !== undefined,
    mucService: (domain) => {
      const host = ctx.hostByName(domain);
      return host === undefined ? undefined : ctx.service(mucServiceKey, host);
    },
    // Spec §2.4 row 6d: on a MUC service the endpoint serves only that service.
    ownService: isMucService(ctx) ? ctx.host.name : undefined,
  };
}

function load(ctx: ModuleContext<HttpMucKickOptions>): void {
  const authorization = readAuthorizationHeader(ctx.options[OPTION]);
  if (!authorization.ok) {
    // Validation refused this config already; a module loaded some other way still serves nothing.
    ctx.logger.error({ option: OPTION }, authorization.error);
    return;
  }
  const routes = ctx.service(httpServiceKey);
  if (routes === undefined) {
    ctx.logger.error('no HTTP listener is available on this host: /muc_kick is not served');
    return;
  }
  if (!isMucService(ctx)) {
    ctx.logger.warn(`http_muc_kick is enabled on ${ctx.host.name}, which is not a MUC service: it kicks from every MUC service of this server`);
  }
  if (routes.isPlainHttpPublic) {
    ctx.logger.warn('/muc_kick is reachable over plain HTTP on a non-loopback interface: its Authorization secret travels in clear');
  }
  const dispose = routes.addRoute(kickRoute({
    authorization: authorization.value,
    directory: directoryOf(ctx),
    limiter: new FailureLimiter(),
    logger: ctx.logger,
  }));
  ctx.onUnload(dispose);
}

/** The `http_muc_kick` module definition, listed in the composition root's module catalog. */
export const httpMucKickModule = defineModule({
  name: 'http_muc_kick',
  description: 'Kicks MUC occupants through an authenticated HTTP endpoint (POST /muc_kick)',
  hostKinds: ['component', 'user'],
  options: httpMucKickOptionShape,
  validate: (options) => authorizationHeaderProblem(options[OPTION]),
  load,
});
