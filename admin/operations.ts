/**
 * Every operation of the admin API, and the statuses of their failure codes. A new operation is
 * listed here (room operations in admin/rooms/index.ts) and appears in the table, the OpenAPI
 * document and the test that calls every documented operation.
 */
import type { AdminFailure, AnyAdminOperation } from './admin-operation.js';
import { RESOURCE_FAILURE_STATUSES } from './failure-codes.js';
import { roomFailureStatuses, roomOperations } from './rooms/index.js';
import { rosterOperations } from './rosters/index.js';
import { serverOperations } from './server-info/index.js';
import { userOperations } from './users/index.js';

export const adminOperations: readonly AnyAdminOperation[] = [...userOperations, ...rosterOperations, ...serverOperations, ...roomOperations];

/** Status of each operation-specific failure code, for the document. */
export const failureStatuses: ReadonlyMap<string, AdminFailure['status']> = new Map<string, AdminFailure['status']>([
  ...Object.entries(RESOURCE_FAILURE_STATUSES), ...Object.entries(roomFailureStatuses),
]);
