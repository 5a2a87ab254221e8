/**
 * `GET /server`: what a monitoring backend asks first: which software and version, since when it
 * runs, and how much it serves. Counts are taken when asked (no counters kept on the hot path):
 * accounts of the host serving the API, sessions, rooms and occupants of the whole server.
 */
import * as z from 'zod';
import { ok } from '../../server/errors/index.js';
import { salonVersion } from '../../server/modules/index.js';
import { defineOperation } from '../admin-operation.js';

export const serverInfoSchema = z.object({
  software: z.literal('Salon'),
  version: z.string(),
  node: z.string().describe('The Node.js version running the server.'),
  startedAt: z.string().describe('When the admin API of this host started (RFC 3339), about when the server started.'),
  uptimeSeconds: z.number().int(),
  counts: z.object({
    hosts: z.number().int().describe('VirtualHosts and components.'),
    virtualHosts: z.number().int(),
    accounts: z.number().int().describe('Accounts of the host serving this API.'),
    sessions: z.number().int().describe('Bound client sessions, all hosts.'),
    sessionsOnHost: z.number().int().describe('Bound client sessions of the host serving this API.'),
    rooms: z.number().int().describe('Rooms of every MUC service.'),
    occupants: z.number().int().describe('Occupants of every room.'),
  }),
});

export const serverInfoOperation = defineOperation({
  operationId: 'serverInfo',
  method: 'GET',
  path: '/server',
  scope: 'server:read',
  tag: 'server',
  summary: 'Software version, uptime and counts (hosts, accounts, sessions, rooms, occupants).',
  response: serverInfoSchema,
  success: [200],
  handle: async (_input, env) => {
    const { ctx } = env;
    const hosts = ctx.hosts();
    const accounts = (await env.accounts()?.list())?.length ?? 0;
    let sessionsOnHost = 0;
    for (const session of ctx.sessions.all()) if (session.jid.domain === ctx.host.name) sessionsOnHost += 1;
    let rooms = 0;
    let occupants = 0;
    for (const service of env.mucServices()) {
      for (const room of service.rooms()) {
        rooms += 1;
        const present = service.occupants(room.jid);
        if (present.ok) occupants += present.value.length;
      }
    }
    return ok({
      status: 200 as const,
      body: {
        software: 'Salon' as const,
        version: salonVersion,
        node: process.version,
        startedAt: new Date(env.startedAt).toISOString(),
        uptimeSeconds: Math.floor((Date.now() - env.startedAt) / 1000),
        counts: {
          hosts: hosts.length, virtualHosts: hosts.filter((host) => host.kind === 'user').length,
          accounts, sessions: ctx.sessions.size, sessionsOnHost, rooms, occupants,
        },
      },
    });
  },
});
