/**
 * `POST /rooms/{room}/affiliations`: sets many affiliations of one room in one call, all or
 * nothing (`MucService.setAffiliations`): stored in one write, with the presence changes and
 * member-list notifications XEP-0045 requires (§9, §10). A failure names the entry at fault by
 * its index in `details.index`, and nothing has changed.
 */
import * as z from 'zod';
import type { AffiliationBatchProblem } from '../../muc/index.js';
import { err, ok } from '../../server/errors/index.js';
import { defineOperation, type AdminFailure } from '../admin-operation.js';
import { findRoom } from './room-address.js';
import { parseAffiliationBatch } from './affiliation-batch.js';
import { roomFailures } from './room-failures.js';
import { affiliationSchema, roomParamsSchema } from './room-schemas.js';

/** The most entries one call takes: the whole batch is checked and applied in one turn. */
export const MAX_AFFILIATION_BATCH = 10_000;

export const affiliationBatchEntrySchema = z.strictObject({
  jid: z.string().min(1).describe('The user\'s bare JID (a local part alone: a user of the API\'s own host).'),
  affiliation: affiliationSchema.describe('`none` removes the user\'s affiliation; `outcast` bans.'),
  reason: z.string().optional(),
});

function entryFailure(problem: AffiliationBatchProblem['problem'], index: number, jid: string | undefined): AdminFailure {
  switch (problem) {
    case 'invalid-jid': return roomFailures.invalidJid(`entry ${index} (${JSON.stringify(jid ?? '')})`, { index });
    case 'duplicate-jid': return roomFailures.duplicateJid(index);
    case 'last-owner': return roomFailures.lastOwner(index);
    case 'invalid-affiliation': return roomFailures.invalidAffiliation(index);
    case 'affiliation-limit': return roomFailures.affiliationLimit(index);
  }
}

export const setAffiliationsOperation = defineOperation({
  operationId: 'setAffiliations',
  method: 'POST',
  path: '/rooms/{room}/affiliations',
  scope: 'rooms:write',
  tag: 'affiliations',
  summary: 'Sets many affiliations of one room at once, all or nothing.',
  params: roomParamsSchema,
  body: z.strictObject({ affiliations: z.array(affiliationBatchEntrySchema).min(1).max(MAX_AFFILIATION_BATCH) }),
  response: z.object({ changed: z.number().int().min(0).describe('How many entries changed anything.') }),
  success: [200],
  failures: ['invalid-jid', 'muc-service-not-found', 'room-not-found', 'duplicate-jid', 'last-owner', 'invalid-affiliation', 'affiliation-limit'],
  handle: async ({ params, body }, env) => {
    const found = findRoom(env, params.room);
    if (!found.ok) return found;
    const changes = parseAffiliationBatch(body.affiliations, env.ctx.host.name);
    if (!changes.ok) {
      const { problem, index } = changes.error;
      return err(entryFailure(problem, index, body.affiliations[index]?.jid));
    }
    const applied = await found.value.service.setAffiliations(found.value.jid, changes.value);
    if (applied.ok) return ok({ status: 200 as const, body: { changed: applied.value } });
    if (applied.error === 'room-not-found') return err(roomFailures.roomNotFound(found.value.jid.toString()));
    const { problem, index } = applied.error;
    return err(entryFailure(problem, index, body.affiliations[index]?.jid));
  },
});
