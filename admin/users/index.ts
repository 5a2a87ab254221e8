/** The users operations of the admin API: accounts and their sessions. */
import type { AnyAdminOperation } from '../admin-operation.js';
import { endSessionOperation, listSessionsOperation } from './session-operations.js';
import { changePasswordOperation, createUserOperation, deleteUserOperation, listUsersOperation } from './user-operations.js';

export const userOperations: readonly AnyAdminOperation[] = [
  listUsersOperation, createUserOperation, deleteUserOperation, changePasswordOperation, listSessionsOperation, endSessionOperation,
];
