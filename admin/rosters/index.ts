/** The roster operations of the admin API. */
import type { AnyAdminOperation } from '../admin-operation.js';
import { readRosterOperation, replaceRosterOperation } from './roster-operations.js';

export const rosterOperations: readonly AnyAdminOperation[] = [readRosterOperation, replaceRosterOperation];
