/**
 * Reading the authorization service's answer (spec §1.6). Only HTTP 200 with a JSON object whose
 * `allowed` is exactly `true` admits. The original admitted any non-false `allowed` (`null`,
 * `"false"`, `0`, `{}`), ignored the status (an error page carrying `{"allowed": true}` let users
 * in) and left the user without an answer when the body was a bare number or boolean.
 *
 * With `muc_http_auth_extended` the answer may say more (`extended-answer.ts`): an allow carries
 * what it grants, a refusal the reason shown to the user. Without it, extra fields are ignored.
 */
import { isJsonObject, parseJsonBody, type OutboundResult } from '../../../server/net/index.js';
import { readGrant, readReason, type AnswerGrant } from './extended-answer.js';

/** The most of the service's `error` text that goes into a log line. */
const MAX_LOGGED_ERROR = 500;

export type Verdict =
  /** `grant` is empty unless extended answers are on. */
  | { readonly kind: 'allowed'; readonly grant: AnswerGrant }
  /**
   * A genuine refusal; `error` is the service's text, for the log only — never for the user.
   * `reason` is the text for the user (extended answers only), already made showable.
   */
  | { readonly kind: 'refused'; readonly error: string; readonly reason?: string }
  /** The service failed (network, timeout, status, body): the join is refused and a warning logged. */
  | { readonly kind: 'failed'; readonly problem: string };

const ALLOWED: Verdict = { kind: 'allowed', grant: {} };

function failed(problem: string): Verdict {
  return { kind: 'failed', problem };
}

function errorText(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, MAX_LOGGED_ERROR) : '';
}

/** How an answer that passed the `allowed` rules reads when extended answers are on. */
function extendedVerdict(answer: Readonly<Record<string, unknown>>, allowed: boolean): Verdict {
  if (allowed) {
    const grant = readGrant(answer);
    return grant.ok ? { kind: 'allowed', grant: grant.value } : failed(grant.error);
  }
  const reason = readReason(answer);
  if (!reason.ok) return failed(reason.error);
  const error = errorText(answer.error);
  return reason.value === undefined ? { kind: 'refused', error } : { kind: 'refused', error, reason: reason.value };
}

/** The verdict an outbound result carries (see the file comment); `extended`: `muc_http_auth_extended`. */
export function verdictOf(result: OutboundResult, extended = false): Verdict {
  if (!result.ok) return failed(`${result.reason}: ${result.detail}`);
  if (result.status !== 200) return failed(`HTTP status ${result.status}`);
  const parsed = parseJsonBody(result.body);
  if (!parsed.ok) return failed('the body is not JSON');
  if (!isJsonObject(parsed.value)) return failed('the body is not a JSON object');
  const allowed = parsed.value.allowed;
  const decided = allowed === true || allowed === false || allowed === undefined;
  if (decided && extended) return extendedVerdict(parsed.value, allowed === true);
  if (allowed === true) return ALLOWED;
  if (allowed === false || allowed === undefined) return { kind: 'refused', error: errorText(parsed.value.error) };
  return failed(`invalid 'allowed' value (${allowed === null ? 'null' : Array.isArray(allowed) ? 'array' : typeof allowed}); only true admits`);
}
