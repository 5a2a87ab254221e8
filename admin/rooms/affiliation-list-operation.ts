/** `GET /rooms/{room}/affiliations`: a room's owners, admins, members and outcasts. */
import * as z from 'zod';
import { ok } from '../../server/errors/index.js';
import { defineOperation } from '../admin-operation.js';
import { findRoom } from './room-address.js';
import { affiliationEntrySchema, affiliationSchema, roomParamsSchema } from './room-schemas.js';
import { affiliationView } from './room-views.js';

export const listAffiliationsOperation = defineOperation({
  operationId: 'listAffiliations',
  method: 'GET',
  path: '/rooms/{room}/affiliations',
  scope: 'rooms:read',
  tag: 'affiliations',
  summary: 'Reads a room\'s affiliation list, optionally only one affiliation.',
  params: roomParamsSchema,
  query: z.object({ affiliation: affiliationSchema.exclude(['none']).optional().describe('Only the users with this affiliation.') }),
  response: z.object({ affiliations: z.array(affiliationEntrySchema) }),
  success: [200],
  failures: ['invalid-jid', 'muc-service-not-found', 'room-not-found'],
  handle: async ({ params, query }, env) => {
    const found = findRoom(env, params.room);
    if (!found.ok) return found;
    const entries = found.value.room.affiliations()
      .filter((entry) => query.affiliation === undefined || entry.affiliation === query.affiliation)
      .map(affiliationView)
      .sort((a, b) => (a.jid < b.jid ? -1 : a.jid > b.jid ? 1 : 0));
    return ok({ status: 200 as const, body: { affiliations: entries } });
  },
});
