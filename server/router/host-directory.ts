/** Looks hosts up by domain; the router asks it which host a `to` belongs to. */
import type { Host } from '../host/host.js';
import type { AccountStore } from '../accounts/account-store.js';

export interface HostDirectory {
  host(domain: string): Host | undefined;
  /** Accounts of a user host; undefined for components. */
  accounts(domain: string): AccountStore | undefined;
}
