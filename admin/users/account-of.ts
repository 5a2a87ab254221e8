/** The account store and normalised username an operation on `{username}` works on. */
import { err, ok, type Result } from '../../server/errors/index.js';
import type { AccountStore } from '../../server/accounts/index.js';
import { Jid, normaliseLocal } from '../../server/jid/index.js';
import type { AdminEnvironment } from '../admin-environment.js';
import type { AdminFailure } from '../admin-operation.js';
import { commonFailure } from '../admin-errors.js';
import { resourceFailure } from '../failure-codes.js';

export interface AccountAddress {
  readonly accounts: AccountStore;
  readonly username: string;
  readonly jid: Jid;
}

/** The address of `username` on the API's host; `mustExist` refuses a missing account with 404. */
export async function accountOf(env: AdminEnvironment, username: string, mustExist: boolean): Promise<Result<AccountAddress, AdminFailure>> {
  const accounts = env.accounts();
  if (accounts === undefined) return err(commonFailure('internal-error', 'This host has no accounts'));
  const local = normaliseLocal(username);
  if (local === undefined || local === '') return err(resourceFailure('invalid-username', `${JSON.stringify(username)} is not a valid username`));
  const jid = new Jid(local, accounts.host);
  if (mustExist && !(await accounts.exists(local))) return err(resourceFailure('user-not-found', `no account ${jid.toString()}`));
  return ok({ accounts, username: local, jid });
}
