/** The server operations of the admin API. */
import type { AnyAdminOperation } from '../admin-operation.js';
import { serverInfoOperation } from './server-operations.js';

export const serverOperations: readonly AnyAdminOperation[] = [serverInfoOperation];
