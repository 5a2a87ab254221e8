/**
 * The `AdminEnvironment` handlers get, built from the module's context: MUC services found among
 * the server's hosts, the accounts of the module's own VirtualHost, the roster services of user
 * hosts. Accounts are reached only on the host that serves the API (a module's context holds its
 * own host's accounts); the API of another VirtualHost is reached through that host's name in the
 * `Host` header, as in Prosody, where the admin API is a per-host module.
 */
import { mucServiceKey, type MucService } from '../muc/index.js';
import { rosterServiceKey, type RosterService } from '../roster/index.js';
import type { AccountStore } from '../server/accounts/index.js';
import type { ModuleContext } from '../server/modules/index.js';
import type { AdminEnvironment } from './admin-environment.js';

function mucServicesOf(ctx: ModuleContext<unknown>): MucService[] {
  const services: MucService[] = [];
  for (const host of ctx.hosts()) {
    const service = ctx.service(mucServiceKey, host);
    if (service !== undefined) services.push(service);
  }
  return services;
}

export function createAdminEnvironment(ctx: ModuleContext<unknown>, startedAt: number): AdminEnvironment {
  return {
    ctx,
    startedAt,
    muc(domain?: string): MucService | undefined {
      if (domain === undefined) return mucServicesOf(ctx)[0];
      const host = ctx.hostByName(domain);
      return host === undefined ? undefined : ctx.service(mucServiceKey, host);
    },
    mucServices: () => mucServicesOf(ctx),
    accounts(host?: string): AccountStore | undefined {
      return host === undefined || host === ctx.host.name ? ctx.accounts : undefined;
    },
    rosters(host?: string): RosterService | undefined {
      const target = host === undefined ? ctx.host : ctx.hostByName(host);
      return target === undefined || target.kind !== 'user' ? undefined : ctx.service(rosterServiceKey, target);
    },
  };
}
