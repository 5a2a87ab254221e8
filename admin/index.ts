/**
 * The admin plane's REST API (`http_admin_api`): the module, and the operation contract other
 * units' operations are written against.
 */
export { httpAdminApiModule } from './http-admin-api-module.js';
export { ADMIN_SCOPES, defineOperation } from './admin-operation.js';
export type { AdminAnswer, AdminCaller, AdminFailure, AdminInput, AdminOperation, AdminScope, AnyAdminOperation } from './admin-operation.js';
export type { AdminEnvironment } from './admin-environment.js';
export { adminRequestCountsKey } from './request-counts.js';
export type { AdminRequestCount, AdminRequestCounts } from './request-counts.js';
