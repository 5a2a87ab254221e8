/**
 * `salon adduser`, `passwd` and `deluser`: account changes through the same storage driver and
 * account store the server uses, so what they write is what the server reads.
 */
import { ACCOUNTS_STORE, openAccountStore, type AccountProblem, type AccountStore } from '../accounts/index.js';
import { coreOptionsFor, findHost, resolvedDataPath, type ServerConfig } from '../config/index.js';
import type { Result } from '../errors/index.js';
import { parseJid, type Jid } from '../jid/index.js';
import { createStorageDriver } from '../storage/index.js';
import { obtainPassword } from './cli-io.js';
import { complain, Exit, type CommandContext, type ExitCode } from './command-context.js';
import { configName, loadForCommand } from './load-for-command.js';

export type AccountCommand = 'adduser' | 'passwd' | 'deluser';

/** The store of user message archives (Prosody's name, as `ctx.archiveStorage('archive')`). */
const USER_ARCHIVE_STORE = 'archive';
/** Per-user archiving preferences (XEP-0313 §6), keyed by username. */
const USER_ARCHIVE_PREFS_STORE = 'archive_prefs';

const PROBLEMS: Readonly<Record<AccountProblem, [string, ExitCode]>> = {
  exists: ['the account already exists', Exit.Failure],
  'not-found': ['no such account', Exit.Failure],
  'invalid-username': ['the username is not valid', Exit.Usage],
  'invalid-password': ['the password is not valid (it must not be empty or contain control characters)', Exit.Usage],
};

const DONE: Readonly<Record<AccountCommand, string>> = {
  adduser: 'created', passwd: 'password changed for', deluser: 'deleted',
};

/** The user JID argument, or undefined after saying why it is not one. */
function userJid(ctx: CommandContext, text: string): Jid | undefined {
  const parsed = parseJid(text);
  if (parsed.ok && parsed.value.local !== '' && parsed.value.isBare) return parsed.value;
  complain(ctx, `"${text}" is not a user JID (user@host)`);
  return undefined;
}

/** Whether the JID's domain is a configured VirtualHost; says so when it is not. */
function checkHost(ctx: CommandContext, config: ServerConfig, jid: Jid): boolean {
  if (findHost(config, jid.domain)?.kind === 'user') return true;
  const hosts = config.hosts.filter((h) => h.kind === 'user').map((h) => h.name).join(', ');
  const where = configName(config, ctx) ?? 'the built-in default config';
  complain(ctx, `"${jid.domain}" is not a VirtualHost in ${where} (VirtualHosts: ${hosts})`);
  return false;
}

async function apply(command: AccountCommand, store: AccountStore, local: string, password: string): Promise<Result<void, AccountProblem>> {
  switch (command) {
    case 'adduser': return store.create(local, password);
    case 'passwd': return store.setPassword(local, password);
    case 'deluser': return store.delete(local);
  }
}

/** Runs an account command: positionals are `JID [PASSWORD]`. */
export async function runAccountCommand(command: AccountCommand, ctx: CommandContext): Promise<ExitCode> {
  const [address = '', given] = ctx.positionals;
  const jid = userJid(ctx, address);
  if (jid === undefined) return Exit.Usage;
  const config = await loadForCommand(ctx);
  if (config === undefined || !checkHost(ctx, config, jid)) return Exit.Usage;
  let password = '';
  if (command !== 'deluser') {
    const obtained = await obtainPassword(ctx.io, given);
    if (!obtained.ok) {
      complain(ctx, obtained.error);
      return Exit.Usage;
    }
    password = obtained.value;
  }
  const core = coreOptionsFor(config, jid.domain);
  const driver = createStorageDriver(core.storage, resolvedDataPath(config, ctx.deps.cwd), core.sql, { archiveSync: core.archive_sync });
  if (!driver.ok) {
    complain(ctx, driver.error);
    return Exit.Usage;
  }
  if (driver.value.driverFor(ACCOUNTS_STORE) === 'memory') {
    complain(ctx, 'warning: accounts use the "memory" storage driver; this change is lost when the command exits');
  }
  try {
    const store = openAccountStore(driver.value, jid.domain, { iterations: core.sasl_iterations });
    const result = await apply(command, store, jid.local, password);
    if (result.ok && command === 'deluser') {
      // Deleting an account deletes its message archive and archive preferences, as the
      // server's own `user-deleted` handling does. The archive engine lets several processes
      // share it, so this works beside a running server.
      await driver.value.openArchive(jid.domain, USER_ARCHIVE_STORE).deleteArchive(jid.toString());
      await driver.value.open(jid.domain, USER_ARCHIVE_PREFS_STORE).delete(jid.local);
    }
    await driver.value.flush();
    if (!result.ok) {
      const [message, code] = PROBLEMS[result.error];
      complain(ctx, `${jid.toString()}: ${message}`);
      return code;
    }
  } finally {
    await driver.value.close();
  }
  ctx.io.stdout.write(`${DONE[command]} ${jid.toString()}\n`);
  return Exit.Ok;
}
