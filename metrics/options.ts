/**
 * Options of `http_openmetrics`, named as Prosody 0.12's module names them: who may read
 * `/metrics` by address (`openmetrics_allow_ips`, `openmetrics_allow_cidr`), plus Salon's bearer
 * token for scrapers that are not on an allowed address.
 */
import * as z from 'zod';
import { TOKEN_DIGEST_PATTERN } from '../server/crypto/index.js';
import { isAddressOrPrefix } from '../http/index.js';

export const httpOpenmetricsOptionShape = {
  openmetrics_allow_ips: z.array(z.string()).default(['::1', '127.0.0.1'])
    .describe('Addresses allowed to read /metrics without a token (default the loopback addresses).'),
  openmetrics_allow_cidr: z.string().optional()
    .describe('A network (CIDR prefix such as "10.0.0.0/8") whose addresses may read /metrics.'),
  openmetrics_token: z.string()
    .regex(TOKEN_DIGEST_PATTERN, 'must be "sha256:" followed by 64 lower-case hex digits (the SHA-256 of the token)')
    .optional()
    .describe('[Salon] Digest ("sha256:<hex>") of a bearer token that lets any address read /metrics.'),
};

export type HttpOpenmetricsOptions = z.output<z.ZodObject<typeof httpOpenmetricsOptionShape>>;

/** Addresses and the prefix must parse: a typo would otherwise shut the scraper out silently. */
export function openmetricsOptionsProblem(options: HttpOpenmetricsOptions): string | undefined {
  const bad = options.openmetrics_allow_ips.find((entry) => !isAddressOrPrefix(entry) || entry.includes('/'));
  if (bad !== undefined) return `option "openmetrics_allow_ips": "${bad}" is not an IP address`;
  const cidr = options.openmetrics_allow_cidr;
  if (cidr !== undefined && !(isAddressOrPrefix(cidr) && cidr.includes('/'))) {
    return `option "openmetrics_allow_cidr": "${cidr}" is not a CIDR prefix such as 10.0.0.0/8 or fd00::/8`;
  }
  return undefined;
}
