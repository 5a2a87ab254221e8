/**
 * The HTTP listener (DESIGN.md §4): modules serve routes on their host through `HttpRoutes`
 * (`ctx.service(httpServiceKey)`); the composition root creates the `HttpServer`.
 */
export { httpServiceKey } from './http-types.js';
export type { HttpRoutes, RouteSpec, HttpRequest, HttpRequestHead, HttpResponse } from './http-types.js';
export { HttpServer } from './http-server.js';
export { httpModule } from './http-module.js';
export { validateHttpConfig } from './http-options.js';
export { storageReadiness } from './readiness.js';
export type { ReadinessCheck } from './readiness.js';
export { webClientModules } from './web-client-modules.js';
export { websocketEndpointKey, boshEndpointKey } from './web-clients/endpoints.js';
export { AddressSet, isAddressOrPrefix } from './peer-address.js';
export { httpFileShareModule, fileStorageRootKey } from './file-share/index.js';
