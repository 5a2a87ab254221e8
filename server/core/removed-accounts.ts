/**
 * Accounts removed while their owner is online end that owner's sessions, however they were
 * removed: in-band (XEP-0077 §3.2, the register module) or by `salon deluser` run as another
 * process on the same data directory, which the server learns of through the storage's change
 * watch. Each session gets the `not-authorized` stream error, as Prosody sends when an account is
 * deleted (RFC 6120 §4.9.3.17: the entity is no longer authorized). A password change keeps the
 * sessions, as in Prosody.
 */
import type { AccountStore } from '../accounts/index.js';
import { StreamError } from '../errors/index.js';
import { Jid } from '../jid/index.js';
import type { Logger } from '../log/index.js';
import type { SessionLocator } from '../session/index.js';

/** Watches `host`'s accounts; returns the function that stops watching. */
export function endSessionsOfRemovedAccounts(host: string, accounts: AccountStore, sessions: SessionLocator, logger: Logger): () => void {
  const onlineAccounts = (username: string | undefined): Jid[] => {
    if (username !== undefined) return [new Jid(username, host)];
    const online = new Map<string, Jid>();
    for (const session of sessions.all()) {
      if (session.jid.domain === host) online.set(session.jid.local, session.jid.bare());
    }
    return [...online.values()];
  };
  const check = async (account: Jid): Promise<void> => {
    if (sessions.ofAccount(account).length === 0 || await accounts.exists(account.local)) return;
    const ended = [...sessions.ofAccount(account)];
    for (const session of ended) session.close(new StreamError('not-authorized', 'Account removed'));
    logger.info({ user: account.toString(), sessions: ended.length }, 'account removed: its sessions ended');
  };
  return accounts.watch?.((username) => {
    for (const account of onlineAccounts(username)) {
      check(account).catch((error: unknown) => logger.error({ err: error, user: account.toString() }, 'cannot check a changed account'));
    }
  }) ?? (() => undefined);
}
