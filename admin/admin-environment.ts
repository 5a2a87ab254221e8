/**
 * What an admin operation's handler may use: the `http_admin_api` module's context (accounts,
 * sessions, storage, routing of stanzas it generates) and the services of the server's hosts.
 * Handlers never reach into another folder's internals: only public service APIs.
 */
import type { ModuleContext } from '../server/modules/index.js';
import type { MucService } from '../muc/index.js';
import type { RosterService } from '../roster/index.js';
import type { AccountStore } from '../server/accounts/index.js';

export interface AdminEnvironment {
  /** The module's context on the VirtualHost whose HTTP routes serve the API. */
  readonly ctx: ModuleContext<unknown>;
  /** The server's start time (ms since the epoch), for uptime. */
  readonly startedAt: number;
  /**
   * The MUC service of `domain`, or the first MUC service when `domain` is undefined (a room
   * named by its local part alone lives there); undefined when there is none.
   */
  muc(domain?: string): MucService | undefined;
  /** Every MUC service of this server. */
  mucServices(): readonly MucService[];
  /** The accounts of a VirtualHost (default: the module's own); undefined for an unknown host. */
  accounts(host?: string): AccountStore | undefined;
  /** The roster service of a VirtualHost (default: the module's own); undefined when it has none. */
  rosters(host?: string): RosterService | undefined;
}
