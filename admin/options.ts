/**
 * The options of `http_admin_api`: the bearer tokens allowed to call it (stored as digests, see
 * `server/crypto/token-digest.ts`) with their scopes, and the body limit. An unknown scope, a
 * malformed digest or two tokens with one name stop start-up with the option named.
 */
import * as z from 'zod';
import { TOKEN_DIGEST_PATTERN } from '../server/crypto/index.js';
import { ADMIN_SCOPES } from './admin-operation.js';

export const TOKENS_OPTION = 'http_admin_api_tokens';
export const MAX_BODY_OPTION = 'http_admin_api_max_body';

/** 1 MiB: a bulk affiliation change of 1,000 JIDs is about 60 KiB, a full roster of 1,000 about 100 KiB. */
export const DEFAULT_MAX_BODY = 1024 * 1024;

const tokenEntry = z.strictObject({
  name: z.string().min(1).max(100).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces'),
  hash: z.string().regex(TOKEN_DIGEST_PATTERN, 'must be "sha256:" followed by 64 lower-case hex digits (salon admin-token prints it)'),
  scopes: z.array(z.enum(ADMIN_SCOPES)).min(1),
});

export type AdminTokenEntry = z.output<typeof tokenEntry>;

export const httpAdminApiOptionShape = {
  [TOKENS_OPTION]: z.array(tokenEntry).default(() => [])
    .describe('[Salon] Bearer tokens of the admin API: list of { name, hash = "sha256:<hex>", scopes = { "users:read", … } }. Create one with `salon admin-token --scopes a,b`. Scopes: ' + ADMIN_SCOPES.join(', ') + '.'),
  [MAX_BODY_OPTION]: z.number().int().min(1024).max(64 * 1024 * 1024).default(DEFAULT_MAX_BODY)
    .describe('[Salon] Largest admin API request body in bytes (413 body-too-large above it).'),
};

export type HttpAdminApiOptions = z.output<z.ZodObject<typeof httpAdminApiOptionShape>>;

/** Cross-entry checks: names identify tokens in logs and must be unique; so must digests. */
export function validateHttpAdminApiOptions(options: HttpAdminApiOptions): string | undefined {
  const names = new Set<string>();
  const hashes = new Set<string>();
  for (const token of options[TOKENS_OPTION]) {
    if (names.has(token.name)) return `option "${TOKENS_OPTION}": two tokens are named "${token.name}"`;
    if (hashes.has(token.hash)) return `option "${TOKENS_OPTION}": tokens "${token.name}" and another share one hash`;
    names.add(token.name);
    hashes.add(token.hash);
  }
  return undefined;
}
