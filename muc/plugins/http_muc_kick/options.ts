/**
 * The one option of `http_muc_kick` (spec §2.2) and its load-time rule (§2.3): without a usable
 * `http_muc_kick_authorization_header` the plugin refuses to load — an error is logged, the rest
 * of the server runs and `/muc_kick` does not exist. Authorization must never be optional, so
 * the option accepts any value at validation and the plugin itself judges it.
 */
import * as z from 'zod';

export const OPTION = 'http_muc_kick_authorization_header';

export const httpMucKickOptionShape = {
  [OPTION]: z.unknown().optional()
    .describe('The exact Authorization header value every /muc_kick request must carry (required; compared as an opaque string).'),
};

export type HttpMucKickOptions = z.output<z.ZodObject<typeof httpMucKickOptionShape>>;

/** RFC 7230 §3.2: a field value has no control character but horizontal tab. */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000a-\u001f\u007f]/;
/** HTTP parsers drop whitespace around a field value (RFC 7230 §3.2.4): such a value never matches. */
const EDGE_WHITESPACE = /^[ \t]|[ \t]$/;

/** The configured value, or the error message explaining why the plugin does not load. */
export function readAuthorizationHeader(value: unknown): { ok: true; value: string } | { ok: false; error: string } {
  const refuse = (why: string) => ({ ok: false as const, error: `${why}; http_muc_kick is not loaded and /muc_kick is not served` });
  if (value === undefined || value === null) {
    return refuse(`The "${OPTION}" setting is missing: add it to the configuration before using http_muc_kick`);
  }
  if (typeof value !== 'string') return refuse(`The "${OPTION}" setting must be a string`);
  if (value.trim() === '') return refuse(`The "${OPTION}" setting is empty`);
  if (CONTROL_CHARACTER.test(value)) return refuse(`The "${OPTION}" setting contains a line break (CR or LF) or another control character`);
  if (EDGE_WHITESPACE.test(value)) {
    return refuse(`The "${OPTION}" setting has leading or trailing whitespace, which a received header never has`);
  }
  return { ok: true, value };
}
