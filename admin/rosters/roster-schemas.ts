/** The zod schemas of the roster operations (RFC 6121 §2.1 items as JSON). */
import * as z from 'zod';

export const SUBSCRIPTIONS = ['none', 'to', 'from', 'both'] as const;

export const rosterItemSchema = z.object({
  jid: z.string().describe('The contact\'s bare JID (normalised).'),
  name: z.string().optional(),
  groups: z.array(z.string()),
  subscription: z.enum(SUBSCRIPTIONS),
  ask: z.literal('subscribe').optional().describe('A subscription request to the contact is pending (RFC 6121 §2.1.2.2).'),
  approved: z.boolean().optional().describe('Subscription pre-approved (RFC 6121 §3.4).'),
});

export const rosterSchema = z.object({
  version: z.number().int().describe('Increases with every change clients can see (RFC 6121 §2.6).'),
  items: z.array(rosterItemSchema),
});

export const rosterReplaceSchema = rosterSchema.extend({
  changed: z.number().int().describe('Items added, changed or removed (each pushed to the user\'s clients).'),
});

/** An item as the caller sets it: the subscription is the backend's to decide, like an import's. */
export const rosterItemInput = z.strictObject({
  jid: z.string().min(1).max(3071).describe('The contact\'s bare JID.'),
  name: z.string().max(1023).optional(),
  groups: z.array(z.string().min(1).max(1023)).max(100).default(() => []),
  subscription: z.enum(SUBSCRIPTIONS).default('none'),
});

export const rosterReplaceBody = z.strictObject({
  items: z.array(rosterItemInput).describe('The whole new roster: items not listed are removed.'),
});

export type RosterItemInput = z.output<typeof rosterItemInput>;
