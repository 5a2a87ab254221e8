/** Looks hosts up by domain; the router asks it which host a `to` belongs to. */
import type { Host } from '../host/index.js';

export interface HostDirectory {
  host(domain: string): Host | undefined;
}
