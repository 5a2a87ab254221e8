/** The zod schemas of the users operations: they validate requests and make the OpenAPI document. */
import * as z from 'zod';

/** The local part of an account of the host serving the API (normalised by the handler). */
export const usernameParams = z.object({
  username: z.string().min(1).max(1023).describe('The account\'s local part (user of user@host).'),
});

export const sessionParams = usernameParams.extend({
  resource: z.string().min(1).max(1023).describe('The session\'s resource (the part after "/" in its full JID).'),
});

export const passwordBody = z.strictObject({
  password: z.string().min(1).max(1023).describe('The new password (SASLprep applies; stored only as SCRAM keys).'),
});

export const userSchema = z.object({
  username: z.string().describe('Normalised local part.'),
  jid: z.string().describe('The account\'s bare JID.'),
});

export const sessionSchema = z.object({
  jid: z.string().describe('Full JID of the session.'),
  resource: z.string(),
  since: z.string().describe('When the session was bound (RFC 3339); a resumed session keeps its first binding\'s time.'),
  secure: z.boolean().describe('The stream is encrypted (or on a transport declared secure).'),
  available: z.boolean().describe('Initial presence sent and not yet unavailable.'),
  priority: z.number().int(),
  transport: z.enum(['tcp', 'direct_tls', 'websocket', 'bosh']).describe(
    'How the client is connected: tcp (a c2s port, encrypted by STARTTLS when `secure`), direct_tls (XEP-0368), ' +
    'websocket or bosh; for a hibernated session, its last stream\'s. The metrics\' `transport` label uses the same values.',
  ),
  clientAddress: z.string().describe(
    'The client\'s IP address: the TCP peer, or for websocket and bosh the address a trusted proxy forwarded ' +
    '(`trusted_proxies`); for a hibernated session, its last stream\'s.',
  ),
});
