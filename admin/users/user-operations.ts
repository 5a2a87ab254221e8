/**
 * Accounts of the host serving the API: list (paged), create (idempotent `PUT`), delete and
 * change password. Each change fires the host's account hook (`user-created`, `user-deleted`,
 * `user-password-changed`) as the CLI and in-band registration do, so rosters, archives and
 * webhooks follow.
 */
import * as z from 'zod';
import { StreamError, err, ok } from '../../server/errors/index.js';
import { defineOperation } from '../admin-operation.js';
import { resourceFailure } from '../failure-codes.js';
import { nextCursor, pageOfKeys, pageQuery } from '../paging.js';
import { accountOf } from './account-of.js';
import { passwordBody, userSchema, usernameParams } from './user-schemas.js';

/** Usernames are listed from the account index in memory; a page is built in one turn. */
export const MAX_USER_PAGE = 1000;

export const listUsersOperation = defineOperation({
  operationId: 'listUsers',
  method: 'GET',
  path: '/users',
  scope: 'users:read',
  tag: 'users',
  summary: 'Lists the accounts of this host (ordered by username, paged).',
  query: pageQuery(MAX_USER_PAGE, 100),
  response: z.object({
    users: z.array(userSchema),
    next: nextCursor,
  }),
  success: [200],
  handle: async ({ query }, env) => {
    const accounts = env.accounts();
    const names = accounts === undefined ? [] : await accounts.list();
    const page = pageOfKeys(names, query.limit, query.after);
    const host = accounts?.host ?? env.ctx.host.name;
    return ok({ status: 200 as const, body: { users: page.items.map((username) => ({ username, jid: `${username}@${host}` })), next: page.next } });
  },
});

export const createUserOperation = defineOperation({
  operationId: 'createUser',
  method: 'PUT',
  path: '/users/{username}',
  scope: 'users:write',
  tag: 'users',
  summary: 'Creates an account with a password (idempotent: 200 when it exists with this password, 409 with another).',
  params: usernameParams,
  body: passwordBody,
  response: userSchema,
  success: [200, 201],
  failures: ['invalid-username', 'invalid-password', 'user-exists'],
  handle: async ({ params, body }, env) => {
    const address = await accountOf(env, params.username, false);
    if (!address.ok) return address;
    const { accounts, username, jid } = address.value;
    const user = { username, jid: jid.toString() };
    const created = await accounts.create(username, body.password);
    if (created.ok) {
      env.ctx.logger.info({ user: user.jid }, 'account created through the admin API');
      env.ctx.host.hooks.notify('user-created', { username, host: env.ctx.host });
      return ok({ status: 201 as const, body: user });
    }
    switch (created.error) {
      // Same state: the account exists and this password opens it.
      case 'exists': return (await accounts.verifyPassword(username, body.password))
        ? ok({ status: 200 as const, body: user })
        : err(resourceFailure('user-exists', `${user.jid} exists with another password`));
      case 'invalid-password': return err(resourceFailure('invalid-password', 'The password is not acceptable (SASLprep)'));
      default: return err(resourceFailure('invalid-username', `${JSON.stringify(params.username)} is not a valid username`));
    }
  },
});

export const deleteUserOperation = defineOperation({
  operationId: 'deleteUser',
  method: 'DELETE',
  path: '/users/{username}',
  scope: 'users:write',
  tag: 'users',
  summary: 'Deletes an account; its sessions end with the stream error not-authorized.',
  params: usernameParams,
  success: [204],
  failures: ['invalid-username', 'user-not-found'],
  handle: async ({ params }, env) => {
    const address = await accountOf(env, params.username, false);
    if (!address.ok) return address;
    const { accounts, username, jid } = address.value;
    const deleted = await accounts.delete(username);
    if (!deleted.ok) return err(resourceFailure('user-not-found', `no account ${jid.toString()}`));
    env.ctx.logger.info({ user: jid.toString() }, 'account deleted through the admin API');
    env.ctx.host.hooks.notify('user-deleted', { username, host: env.ctx.host });
    // XEP-0077 §3.2's rule for a removed account, as `salon deluser` and in-band removal apply it.
    for (const session of [...env.ctx.sessions.ofAccount(jid)]) session.close(new StreamError('not-authorized', 'Account removed'));
    return ok({ status: 204 as const });
  },
});

export const changePasswordOperation = defineOperation({
  operationId: 'changePassword',
  method: 'PUT',
  path: '/users/{username}/password',
  scope: 'users:write',
  tag: 'users',
  summary: 'Sets a new password for an account (sessions stay up).',
  params: usernameParams,
  body: passwordBody,
  success: [204],
  failures: ['invalid-username', 'invalid-password', 'user-not-found'],
  handle: async ({ params, body }, env) => {
    const address = await accountOf(env, params.username, true);
    if (!address.ok) return address;
    const { accounts, username, jid } = address.value;
    const changed = await accounts.setPassword(username, body.password);
    if (!changed.ok) {
      return err(changed.error === 'not-found'
        ? resourceFailure('user-not-found', `no account ${jid.toString()}`)
        : resourceFailure('invalid-password', 'The password is not acceptable (SASLprep)'));
    }
    env.ctx.logger.info({ user: jid.toString() }, 'password changed through the admin API');
    env.ctx.host.hooks.notify('user-password-changed', { username, host: env.ctx.host });
    return ok({ status: 204 as const });
  },
});
