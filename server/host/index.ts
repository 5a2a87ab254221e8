/** Hosts this server serves (VirtualHost or Component), each with its own hook bus and disco registry. */
export { Host } from './host.js';
export type { HostKind, HostSettings } from './host.js';
export type { DiscoIdentity, DiscoItem, DiscoRegistry } from './disco-registry.js';
