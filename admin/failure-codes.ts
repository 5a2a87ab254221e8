/**
 * The operation-specific failure codes of the admin API and their statuses, in one table so that
 * an answer and the OpenAPI document always agree. Room operations add theirs through
 * `roomFailureStatuses` (admin/rooms/index.ts).
 */
import type { AdminFailure } from './admin-operation.js';

export const RESOURCE_FAILURE_STATUSES = {
  'user-not-found': 404,
  'user-exists': 409,
  'invalid-username': 400,
  'invalid-password': 400,
  'session-not-found': 404,
  'host-not-found': 404,
  'roster-not-found': 404,
  'roster-externally-managed': 409,
  'roster-unavailable': 503,
  'roster-too-large': 422,
  'invalid-jid': 400,
} as const satisfies Record<string, AdminFailure['status']>;

export type ResourceFailureCode = keyof typeof RESOURCE_FAILURE_STATUSES;

/** A failure with its code's status. */
export function resourceFailure(code: ResourceFailureCode, message: string, details?: unknown): AdminFailure {
  return { status: RESOURCE_FAILURE_STATUSES[code], code, message, ...(details === undefined ? {} : { details }) };
}
