/** Options of the `bosh` module, with Prosody's mod_bosh names and defaults. */
import * as z from 'zod';
import { crossDomainOf, crossDomainOption, readCrossDomain, type CrossDomain } from '../web-clients/cross-domain.js';

export const boshOptionShape = {
  bosh_max_inactivity: z.number().int().min(1).max(3600).default(60)
    .describe('Seconds a BOSH session may go without a pending request before it is ended.'),
  bosh_max_wait: z.number().int().min(1).max(3600).default(120)
    .describe('Longest time, in seconds, a BOSH request is held waiting for data (caps the client\'s "wait").'),
  bosh_max_polling: z.number().int().min(0).max(3600).default(5)
    .describe('Shortest polling interval announced to BOSH clients, in seconds.'),
  consider_bosh_secure: z.boolean().default(false)
    .describe('Treat every plain-HTTP BOSH session as encrypted (TLS ends at a reverse proxy in front of Salon); BOSH on secure_interfaces (loopback) always is.'),
  // Any origin by default, as Prosody: BOSH authenticates with SASL inside the session, never with
  // cookies (the CORS answer allows no credentials), so a foreign page gains nothing.
  cross_domain_bosh: crossDomainOption.default(true)
    .describe('CORS for BOSH: true (any origin, the default), false (none), or a list of origins allowed to use /http-bind from other sites.'),
};

type ParsedOptions = z.output<z.ZodObject<typeof boshOptionShape>>;

export interface BoshSettings {
  readonly maxInactivitySeconds: number;
  readonly maxWaitSeconds: number;
  readonly pollingSeconds: number;
  readonly considerSecure: boolean;
  readonly crossDomain: CrossDomain;
}

export function validateBoshOptions(options: ParsedOptions): string | undefined {
  const read = readCrossDomain(options.cross_domain_bosh);
  return 'error' in read ? `option "cross_domain_bosh": ${read.error}` : undefined;
}

export function boshSettings(options: ParsedOptions): BoshSettings {
  return {
    maxInactivitySeconds: options.bosh_max_inactivity,
    maxWaitSeconds: options.bosh_max_wait,
    pollingSeconds: options.bosh_max_polling,
    considerSecure: options.consider_bosh_secure,
    crossDomain: crossDomainOf(options.cross_domain_bosh),
  };
}
