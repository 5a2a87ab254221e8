/**
 * The HTTP listener (DESIGN.md §4): modules serve routes on their host through `HttpRoutes`
 * (`ctx.service(httpServiceKey)`); the composition root creates the `HttpServer`.
 */
export { httpServiceKey } from './http-types.js';
export type {
  HttpRoutes, RouteSpec, HttpRequest, HttpRequestHead, BodyGate, HttpResponse, HttpHandler, HttpMethod, HttpUpgrade, UpgradeSpec,
} from './http-types.js';
export { HttpServer } from './http-server.js';
export type { HttpServerOptions } from './http-server.js';
export type { BoundHttpListener, HttpScheme } from './listen-http.js';
export { httpModule } from './http-module.js';
export { httpOptionShape, readHttpSettings, validateHttpConfig } from './http-options.js';
export type { HttpSettings } from './http-options.js';
export { storageReadiness } from './readiness.js';
export type { ReadinessCheck, StorageProbeOptions } from './readiness.js';
export { webClientModules } from './web-client-modules.js';
export { websocketEndpointKey, boshEndpointKey } from './web-clients/endpoints.js';
export type { WebEndpoint } from './web-clients/endpoints.js';
