/**
 * A user's roster: read it, and replace it as a whole (`PUT`, idempotent: the same items twice
 * change nothing the second time). A replacement is saved through the host's `RosterService`
 * (one change per user at a time, saved before anyone is told), then each item set or removed is
 * pushed to the user's interested sessions with the presence it implies, through the roster
 * unit's change effects (RFC 6121 §2.1.6, §3.1.5, §3.2.2). On a host whose rosters belong to an
 * external system (http_roster_admin) both answer 409 `roster-externally-managed`: that system
 * is the source of truth, and its refresh endpoint the way to change them.
 */
import { err, ok, type Result } from '../../server/errors/index.js';
import { createRosterChangeEffects, type Roster, type RosterService } from '../../roster/index.js';
import { commonFailure } from '../admin-errors.js';
import type { AdminEnvironment } from '../admin-environment.js';
import { defineOperation, type AdminFailure } from '../admin-operation.js';
import { resourceFailure } from '../failure-codes.js';
import { accountOf } from '../users/account-of.js';
import { usernameParams } from '../users/user-schemas.js';
import { replaceRoster, type Replacement, type ReplacementProblem } from './roster-replacement.js';
import { rosterReplaceBody, rosterReplaceSchema, rosterSchema } from './roster-schemas.js';

function rosterView(roster: Roster): { version: number; items: { jid: string; name?: string; groups: string[]; subscription: 'none' | 'to' | 'from' | 'both'; ask?: 'subscribe'; approved?: boolean }[] } {
  const items = [...roster.items.values()].sort((a, b) => (a.jid < b.jid ? -1 : a.jid > b.jid ? 1 : 0)).map((item) => ({
    jid: item.jid,
    ...(item.name === undefined ? {} : { name: item.name }),
    groups: [...item.groups],
    subscription: item.subscription,
    ...(item.ask === undefined ? {} : { ask: item.ask }),
    ...(item.approved === true ? { approved: true } : {}),
  }));
  return { version: roster.version, items };
}

function ownRosters(env: AdminEnvironment): Result<RosterService, AdminFailure> {
  const rosters = env.rosters();
  if (rosters === undefined) return err(resourceFailure('roster-unavailable', 'This host has no roster service'));
  if (rosters.externallyManaged === true) {
    return err(resourceFailure('roster-externally-managed', 'Rosters of this host are managed by an external service (http_roster_admin)'));
  }
  return ok(rosters);
}

function problemFailure(problem: ReplacementProblem): AdminFailure {
  return problem.kind === 'invalid-jid'
    ? resourceFailure('invalid-jid', `items[${problem.index}].jid is not a bare JID`, { index: problem.index })
    : commonFailure('invalid-request', `items[${problem.index}].jid repeats an earlier item's JID`, { index: problem.index });
}

export const readRosterOperation = defineOperation({
  operationId: 'readRoster',
  method: 'GET',
  path: '/users/{username}/roster',
  scope: 'rosters:read',
  tag: 'rosters',
  summary: 'Reads a user\'s roster.',
  params: usernameParams,
  response: rosterSchema,
  success: [200],
  failures: ['invalid-username', 'user-not-found', 'roster-externally-managed', 'roster-unavailable'],
  handle: async ({ params }, env) => {
    const rosters = ownRosters(env);
    if (!rosters.ok) return rosters;
    const address = await accountOf(env, params.username, true);
    if (!address.ok) return address;
    const roster = await rosters.value.load(address.value.jid);
    if (!roster.ok) return err(resourceFailure('roster-unavailable', `The roster could not be loaded (${roster.error.condition})`));
    return ok({ status: 200 as const, body: rosterView(roster.value) });
  },
});

export const replaceRosterOperation = defineOperation({
  operationId: 'replaceRoster',
  method: 'PUT',
  path: '/users/{username}/roster',
  scope: 'rosters:write',
  tag: 'rosters',
  summary: 'Replaces a user\'s roster; every change is pushed to the user\'s online clients (idempotent).',
  params: usernameParams,
  body: rosterReplaceBody,
  response: rosterReplaceSchema,
  success: [200],
  failures: ['invalid-username', 'user-not-found', 'invalid-jid', 'roster-too-large', 'roster-externally-managed', 'roster-unavailable'],
  handle: async ({ params, body }, env) => {
    const rosters = ownRosters(env);
    if (!rosters.ok) return rosters;
    const service = rosters.value;
    if (body.items.length > service.maxSize) {
      return err(resourceFailure('roster-too-large', `A roster holds at most ${service.maxSize} items (max_roster_size)`, { limit: service.maxSize }));
    }
    const address = await accountOf(env, params.username, true);
    if (!address.ok) return address;
    const user = address.value.jid;
    let problem: ReplacementProblem | undefined;
    const applied = await service.update<{ replacement: Replacement; roster: Roster } | undefined>(user, (roster) => {
      const replacement = replaceRoster(roster.items, body.items);
      if (!replacement.ok) {
        problem = replacement.error;
        return ok({ value: undefined, changed: false });
      }
      const { changes } = replacement.value;
      const changed = changes.set.length + changes.removed.length > 0;
      if (changed) {
        roster.items = replacement.value.items;
        // One version step for the whole replacement; every push of it carries that version.
        roster.version += 1;
      }
      return ok({ value: { replacement: replacement.value, roster }, changed });
    });
    if (problem !== undefined) return err(problemFailure(problem));
    if (!applied.ok || applied.value === undefined) {
      return err(resourceFailure('roster-unavailable', `The roster could not be changed${applied.ok ? '' : ` (${applied.error.condition})`}`));
    }
    const { replacement, roster } = applied.value;
    const { changes } = replacement;
    const count = changes.set.length + changes.removed.length;
    if (count > 0) {
      await createRosterChangeEffects(env.ctx, service.itemElement).applyRosterChanges(user, {
        ...changes, ...(service.versioning ? { version: roster.version } : {}),
      });
      env.ctx.logger.info({ user: user.toString(), changed: count }, 'roster replaced through the admin API');
    }
    return ok({ status: 200 as const, body: { ...rosterView(roster), changed: count } });
  },
});
