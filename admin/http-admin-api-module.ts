/**
 * `http_admin_api`: the administrative REST API under `/admin` (relocatable with
 * `http_paths.admin`) on a VirtualHost's HTTP routes. One prefix route serves every operation of
 * the table; what can be decided from the request head (token, path, scope, content type,
 * announced length) is decided in `authorize`, before any of the body is read.
 *
 * The OpenAPI document (`GET /admin/openapi.json`) needs a token too, of any scope: the API is
 * often reachable from a network, everything else on it is behind a token, and whoever builds a
 * client against it holds one. Tools fetch it with the same `Authorization` header.
 */
import { httpServiceKey, type HttpRequest, type HttpResponse } from '../http/index.js';
import { defineModule, salonVersion, type ModuleContext } from '../server/modules/index.js';
import { ADMIN_HEADERS, failureResponse, listenerErrorBody } from './admin-errors.js';
import { admit, type AdmissionSettings } from './admission.js';
import { BearerTokens } from './bearer-tokens.js';
import { dispatch } from './dispatcher.js';
import { createAdminEnvironment } from './environment.js';
import { openApiDocument } from './openapi-document.js';
import { OperationTable } from './operation-table.js';
import { adminOperations, failureStatuses } from './operations.js';
import { MAX_BODY_OPTION, TOKENS_OPTION, httpAdminApiOptionShape, validateHttpAdminApiOptions, type HttpAdminApiOptions } from './options.js';
import { AdminRequestCounter, adminRequestCountsKey } from './request-counts.js';

/** The `http_paths` name of the API and its default base. */
export const ADMIN_PATH_NAME = 'admin';

type LiveSettings = { -readonly [K in keyof AdmissionSettings]: AdmissionSettings[K] };

/** The settings each loaded instance decides with, for `reconfigure` to change in place. */
const liveSettings = new WeakMap<ModuleContext<HttpAdminApiOptions>, LiveSettings>();

function load(ctx: ModuleContext<HttpAdminApiOptions>): void {
  const routes = ctx.service(httpServiceKey);
  if (routes === undefined) {
    ctx.logger.error('no HTTP listener is available on this host: the admin API is not served');
    return;
  }
  const tokens = new BearerTokens(ctx.options[TOKENS_OPTION]);
  if (tokens.size === 0) ctx.logger.warn(`http_admin_api is enabled but ${TOKENS_OPTION} lists no token: every request is refused`);
  if (routes.isPlainHttpPublic) {
    ctx.logger.warn('the admin API is reachable over plain HTTP on a non-loopback interface: bearer tokens travel in clear; serve it over HTTPS or on loopback behind a TLS proxy');
  }
  const table = new OperationTable(adminOperations);
  const base = routes.pathFor(ADMIN_PATH_NAME);
  const settings: LiveSettings = { tokens, table, base, maxBody: ctx.options[MAX_BODY_OPTION] };
  liveSettings.set(ctx, settings);
  const document = openApiDocument(table.operations, { base, version: salonVersion }, failureStatuses);
  const env = createAdminEnvironment(ctx, Date.now());
  const counter = new AdminRequestCounter();
  ctx.provide(adminRequestCountsKey, counter);

  const handler = async (request: HttpRequest): Promise<HttpResponse> => {
    const admission = admit(settings, request);
    switch (admission.kind) {
      case 'refused':
        counter.add('none', admission.response.status);
        return admission.response;
      case 'document':
        counter.add('openapi', 200);
        return { status: 200, json: document, headers: ADMIN_HEADERS };
      case 'operation': {
        const response = await dispatch({ ...admission, request }, env, ctx.logger);
        counter.add(admission.operation.operationId, response.status);
        return response;
      }
    }
  };
  const authorize = (head: Parameters<typeof admit>[1]): HttpResponse | undefined => {
    const admission = admit(settings, head);
    if (admission.kind !== 'refused') return undefined;
    counter.add('none', admission.response.status);
    return admission.response;
  };
  const dispose = routes.addRoute({
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    path: `/${ADMIN_PATH_NAME}/*`,
    name: ADMIN_PATH_NAME,
    bodyLimit: settings.maxBody,
    errorBody: listenerErrorBody,
    malformedPath: failureResponse({ status: 400, code: 'malformed-path', message: 'Malformed percent-encoding in path' }),
    authorize,
    handler,
  });
  ctx.onUnload(dispose);
  ctx.logger.info({ base, operations: table.operations.length, tokens: tokens.size }, 'admin API served');
}

/**
 * A reload applies a new token list at once (rotating a token needs no restart, and a removed
 * token stops working with the reload); the body limit is the route's reading limit, fixed when
 * the route was added, so its change waits for a restart.
 */
function reconfigure(ctx: ModuleContext<HttpAdminApiOptions>, options: HttpAdminApiOptions): readonly string[] {
  const settings = liveSettings.get(ctx);
  if (settings === undefined) return [];
  settings.tokens = new BearerTokens(options[TOKENS_OPTION]);
  ctx.logger.info({ tokens: settings.tokens.size }, 'admin API tokens reloaded');
  return options[MAX_BODY_OPTION] === settings.maxBody ? [] : [MAX_BODY_OPTION];
}

/** The `http_admin_api` module definition, listed in the composition root's module catalog. */
export const httpAdminApiModule = defineModule({
  name: 'http_admin_api',
  description: 'Administrative REST API with bearer tokens and an OpenAPI 3.1 document (/admin)',
  hostKinds: ['user'],
  options: httpAdminApiOptionShape,
  validate: validateHttpAdminApiOptions,
  load,
  reconfigure,
});
