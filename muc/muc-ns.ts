/**
 * Names the room engine needs that the core's `NS` table does not hold (they concern rooms only).
 */
export const MUC_NS = {
  /** XEP-0045 §7.10 registration form FORM_TYPE (§16.5.2). */
  register: 'http://jabber.org/protocol/muc#register',
  /** XEP-0054 vCards: requests to an occupant go to the user's bare JID (Prosody does the same). */
  vcard: 'vcard-temp',
} as const;

/** XEP-0045 §7.12: the disco#info node that tells a user its registered nickname. */
export const ROOM_USER_ITEM_NODE = 'x-roomuser-item';
