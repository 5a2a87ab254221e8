/**
 * Password-protected rooms (XEP-0045 §7.2.5): every joining session must give the room password in
 * `<x xmlns='http://jabber.org/protocol/muc'><password/></x>`, else <not-authorized/>. Compared
 * in constant time; the password is never logged.
 */
import { constantTimeEqual } from '../../server/crypto/index.js';
import { StanzaError } from '../../server/errors/index.js';
import { NS } from '../../server/xml/index.js';
import type { JoinCheck } from './join-checks.js';
import { isPasswordProtected } from '../configuration/room-config.js';

/** Join rule: the room password, when the room has one. */
export const passwordCheck: JoinCheck = ({ room, mucX }) => {
  if (!isPasswordProtected(room.config)) return undefined;
  const given = mucX?.getChildText('password', NS.muc) ?? '';
  if (constantTimeEqual(given, room.config.roomsecret)) return undefined;
  return StanzaError.auth('not-authorized', { text: 'A password is required to enter this room', by: room.address });
};
