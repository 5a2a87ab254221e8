/**
 * The one option of `http_muc_kick` (spec §2.2) and its rule (§2.3): without a usable
 * `http_muc_kick_authorization_header` the plugin never serves `/muc_kick`. Where the spec's
 * [COMPAT] rule only logged an error and let the server start, the value is now checked by
 * configuration validation like every required plugin option (`muc_http_auth_url`): start-up
 * stops and `salon check` exits 2, naming the option, instead of a module listed as loaded that
 * is not. The schema accepts any value so that the module's `validate` gives the precise reason.
 */
import * as z from 'zod';
import { headerValueProblem } from '../../../server/net/index.js';

export const OPTION = 'http_muc_kick_authorization_header';

export const httpMucKickOptionShape = {
  [OPTION]: z.unknown().optional()
    .describe('The exact Authorization header value every /muc_kick request must carry (required; compared as an opaque string).'),
};

export type HttpMucKickOptions = z.output<z.ZodObject<typeof httpMucKickOptionShape>>;

/**
 * Why the value cannot be used, or undefined when it can. Checked by configuration validation
 * (the module's `validate`): a missing or unusable value stops start-up and fails `salon check`
 * with exit 2, as every other required plugin option does.
 */
export function authorizationHeaderProblem(value: unknown): string | undefined {
  if (value === undefined || value === null) {
    return `option "${OPTION}" is not set: add it to the configuration before using http_muc_kick (authorization is never optional)`;
  }
  if (typeof value !== 'string') return `option "${OPTION}" must be a string`;
  const problem = headerValueProblem(value);
  return problem === undefined ? undefined : `option "${OPTION}" ${problem}`;
}

/** The configured value, or the error message explaining why the plugin does not load. */
export function readAuthorizationHeader(value: unknown): { ok: true; value: string } | { ok: false; error: string } {
  const problem = authorizationHeaderProblem(value);
  if (problem !== undefined) return { ok: false, error: `${problem}; http_muc_kick is not loaded and /muc_kick is not served` };
  return { ok: true, value: value as string };
}
