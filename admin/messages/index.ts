/**
 * The messages operations of the admin API: a groupchat message from a room or a system nick, an
 * invitation to a room, and a direct message to a user.
 */
import type { AnyAdminOperation } from '../admin-operation.js';
import { sendDirectMessageOperation } from './direct-message-operation.js';
import { inviteOperation } from './invitation-operation.js';
import { postRoomMessageOperation } from './room-message-operation.js';

export const messageOperations: readonly AnyAdminOperation[] = [
  postRoomMessageOperation, inviteOperation, sendDirectMessageOperation,
];
