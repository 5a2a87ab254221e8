/**
 * The web client transports and their discovery, for the composition root's catalog:
 * `websocket` (RFC 7395), `bosh` (XEP-0206) and `http_altconnect` (XEP-0156).
 */
import type { AnyModuleDefinition } from '../server/modules/index.js';
import { altconnectModule } from './altconnect/index.js';
import { boshModule } from './bosh/index.js';
import { websocketModule } from './websocket/index.js';

export const webClientModules: readonly AnyModuleDefinition[] = [
  websocketModule,
  boshModule,
  altconnectModule,
];
