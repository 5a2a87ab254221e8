export { privateModule, DEFAULT_PRIVATE_MAX_BYTES } from './private-module.js';
export { privateStorageKey, type PrivateStorage, type PrivateInterceptor } from './private-service.js';
export { PRIVATE_NS } from './private-request.js';
