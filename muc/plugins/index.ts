/**
 * Plugins of the MUC service, for the composition root's catalog: `muc_http_auth` (external
 * authorization of joins) and `http_muc_kick` (kicks over HTTP).
 */
import type { AnyModuleDefinition } from '../../server/modules/index.js';
import { httpMucKickModule } from './http_muc_kick/index.js';
import { mucHttpAuthModule } from './muc_http_auth/index.js';

export { httpMucKickModule } from './http_muc_kick/index.js';
export { mucHttpAuthModule } from './muc_http_auth/index.js';

export const mucPluginModules: readonly AnyModuleDefinition[] = [
  mucHttpAuthModule,
  httpMucKickModule,
];
