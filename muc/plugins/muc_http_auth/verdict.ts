/**
 * Reading the authorization service's answer (spec §1.6). Only HTTP 200 with a JSON object whose
 * `allowed` is exactly `true` admits. The original admitted any non-false `allowed` (`null`,
 * `"false"`, `0`, `{}`), ignored the status (an error page carrying `{"allowed": true}` let users
 * in) and left the user without an answer when the body was a bare number or boolean.
 */
import { isJsonObject, parseJsonBody, type OutboundResult } from '../../../server/net/index.js';

/** The most of the service's `error` text that goes into a log line. */
const MAX_LOGGED_ERROR = 500;

export type Verdict =
  | { readonly kind: 'allowed' }
  /** A genuine refusal; `error` is the service's text, for the log only — never for the user. */
  | { readonly kind: 'refused'; readonly error: string }
  /** The service failed (network, timeout, status, body): the join is refused and a warning logged. */
  | { readonly kind: 'failed'; readonly problem: string };

const ALLOWED: Verdict = { kind: 'allowed' };

function failed(problem: string): Verdict {
  return { kind: 'failed', problem };
}

function errorText(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, MAX_LOGGED_ERROR) : '';
}

/** The verdict an outbound result carries (see the file comment). */
export function verdictOf(result: OutboundResult): Verdict {
  if (!result.ok) return failed(`${result.reason}: ${result.detail}`);
  if (result.status !== 200) return failed(`HTTP status ${result.status}`);
  const parsed = parseJsonBody(result.body);
  if (!parsed.ok) return failed('the body is not JSON');
  if (!isJsonObject(parsed.value)) return failed('the body is not a JSON object');
  const allowed = parsed.value.allowed;
  if (allowed === true) return ALLOWED;
  if (allowed === false || allowed === undefined) return { kind: 'refused', error: errorText(parsed.value.error) };
  return failed(`invalid 'allowed' value (${allowed === null ? 'null' : Array.isArray(allowed) ? 'array' : typeof allowed}); only true admits`);
}
