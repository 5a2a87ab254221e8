/**
 * The rooms, occupants, affiliations and messages operations of the admin API, over the MUC
 * services' `MucService` (messages: admin/messages/). Rooms are named by bare JID, or by local
 * part alone on the first MUC service. `roomFailureStatuses` gives the document their codes.
 */
import type { AnyAdminOperation } from '../admin-operation.js';
import { messageOperations } from '../messages/index.js';
import { listAffiliationsOperation } from './affiliation-list-operation.js';
import { setAffiliationsOperation } from './affiliation-set-operation.js';
import { kickOccupantOperation } from './occupant-kick-operation.js';
import { listOccupantsOperation } from './occupant-list-operation.js';
import { setOccupantRoleOperation } from './occupant-role-operation.js';
import { configureRoomOperation } from './room-configure-operation.js';
import { createRoomOperation } from './room-create-operation.js';
import { destroyRoomOperation } from './room-destroy-operation.js';
import { listRoomsOperation } from './room-list-operation.js';
import { readRoomOperation } from './room-read-operation.js';

export { ROOM_FAILURE_STATUSES as roomFailureStatuses } from './room-failures.js';

export const roomOperations: readonly AnyAdminOperation[] = [
  listRoomsOperation, createRoomOperation, readRoomOperation, configureRoomOperation, destroyRoomOperation,
  listOccupantsOperation, kickOccupantOperation, setOccupantRoleOperation,
  listAffiliationsOperation, setAffiliationsOperation,
  ...messageOperations,
];
